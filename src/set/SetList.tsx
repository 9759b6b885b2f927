import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ProfileSet } from '../session/profile-session';
import type { SetRow } from '~/core/analysis/profile-set';
import { formatAmount } from '../weights';
import { visibleText } from '../flame/names';
import { baselineAndNew, middleTime } from './baseline-group';

export type SortKey = 'name' | 'format' | 'total' | 'hottest';

/** A group of the set's files to merge and compare: a folder of it, the selected files, or the others. */
export interface Group {
  indices: number[];
  name: string;
}

interface Props {
  set: ProfileSet;
  onOpen(index: number): void;
  onMerge(indices: number[]): void;
  onCompare(base: Group, next: Group): void;
}

/** Every row is this tall (styles.css), so a thousand files make a scroll range, not a thousand rows. */
export const SET_ROW_HEIGHT = 22;
/** Rows drawn above and below those in view, so a scroll of a few rows shows drawn ones. */
const OVERSCAN = 8;

/** The rows to draw of `count`, first to last (exclusive), for a view `height` pixels tall scrolled to `scrollTop`. */
export function rowsInView(scrollTop: number, height: number, count: number): { first: number; last: number } {
  const first = Math.max(0, Math.min(count, Math.floor(scrollTop / SET_ROW_HEIGHT) - OVERSCAN));
  const last = Math.min(count, Math.ceil((scrollTop + height) / SET_ROW_HEIGHT) + OVERSCAN);
  return { first, last: Math.max(first, last) };
}

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The files' rows in `key`'s order (totals slowest first, text A to Z); files that could not be
 * read come last, by name.
 */
export function sortedRows(set: ProfileSet, key: SortKey): number[] {
  const order = set.files.map((_, i) => i);
  const row = (i: number) => set.rows[i];
  const by: Record<SortKey, (a: number, b: number) => number> = {
    name: (a, b) => text(set.files[a].name, set.files[b].name),
    format: (a, b) => text(okRow(row(a))?.format ?? '', okRow(row(b))?.format ?? ''),
    total: (a, b) => (okRow(row(b))?.total ?? 0) - (okRow(row(a))?.total ?? 0),
    hottest: (a, b) => text(okRow(row(a))?.hottest ?? '', okRow(row(b))?.hottest ?? ''),
  };
  return order.sort(
    (a, b) => Number(!row(a).ok) - Number(!row(b).ok) || by[key](a, b) || text(set.files[a].name, set.files[b].name),
  );
}

const okRow = (r: SetRow) => (r.ok ? r : null);

/** The groups a set can be compared by: each of its folders when it has several, then what is not selected and the selection. */
function groupsOf(set: ProfileSet, selected: Set<number>): Group[] {
  const readable = set.files.map((_, i) => i).filter((i) => set.rows[i].ok);
  const folders = [...new Set(set.files.map((f) => f.group).filter(Boolean))];
  // One folder is the whole set: compared with a part of it, it would compare the part with itself.
  const groups =
    folders.length > 1
      ? folders.map((g) => ({ name: g, indices: readable.filter((i) => set.files[i].group === g) }))
      : [];
  if (selected.size) {
    groups.push({ name: 'not selected', indices: readable.filter((i) => !selected.has(i)) });
    groups.push({ name: 'selected', indices: readable.filter((i) => selected.has(i)) });
  }
  return groups.filter((g) => g.indices.length);
}

/**
 * The list of a set of profiles, slowest first: name, format, total, its hottest function and a
 * bar of its total against the largest. A name opens that profile; the boxes choose files to
 * merge, and two groups (folders, or the selection and the rest) are merged and compared. Only
 * the rows in view are drawn; with the list focused, arrows, Page Up/Down, Home and End move
 * through all of them, Space selects one and Enter opens it.
 */
export function SetList({ set, onOpen, onMerge, onCompare }: Props) {
  const [key, setKey] = useState<SortKey>('total');
  const [selected, setSelected] = useState<Set<number>>(() => new Set());
  const order = useMemo(() => sortedRows(set, key), [set, key]);
  const groups = groupsOf(set, selected);
  const [baseName, setBaseName] = useState<string | null>(null);
  const [nextName, setNextName] = useState<string | null>(null);
  const folders = groups.filter((g) => g.name !== 'selected' && g.name !== 'not selected');
  const [firstBase, firstNext] = useMemo(
    () =>
      folders.length >= 2
        ? baselineAndNew(folders, (g) => middleTime(g.indices.map((i) => set.files[i].blob)))
        : [groups[0], groups[1]],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the groups are the set's and the selection's
    [set, selected],
  );
  const base = groups.find((g) => g.name === (baseName ?? firstBase?.name)) ?? groups[0];
  const next = groups.find((g) => g.name === (nextName ?? firstNext?.name)) ?? groups.find((g) => g !== base);
  // Bars compare totals in one unit: the unit of the first readable row.
  const unit = set.rows.find((r): r is Extract<SetRow, { ok: true }> => r.ok)?.unit ?? null;
  const max = Math.max(0, ...set.rows.map((r) => (r.ok && r.unit === unit ? r.total : 0)));
  const readable = set.rows.filter((r) => r.ok).length;

  const scroller = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLTableSectionElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  useEffect(() => {
    const el = scroller.current!;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const { first, last } = rowsInView(scrollTop, height, order.length);
  /** The row the keys act on, by its place in the order. */
  const [cursor, setCursor] = useState(0);
  const at = Math.min(cursor, order.length - 1);
  const moveTo = (place: number) => {
    const to = Math.max(0, Math.min(order.length - 1, place));
    setCursor(to);
    const el = scroller.current!;
    const top = to * SET_ROW_HEIGHT,
      view = el.clientHeight - (head.current?.offsetHeight ?? 0);
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + SET_ROW_HEIGHT > el.scrollTop + view) el.scrollTop = top + SET_ROW_HEIGHT - view;
  };
  const onKeyDown = (e: KeyboardEvent) => {
    // Keys pressed on a row's box or name are theirs.
    if (e.target !== e.currentTarget || !order.length) return;
    const page = Math.max(1, Math.floor(height / SET_ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      PageDown: at + page,
      PageUp: at - page,
      Home: 0,
      End: order.length - 1,
    };
    const i = order[at];
    if (e.key in moves) moveTo(moves[e.key]);
    else if (e.key === ' ' && set.rows[i].ok) toggle(i);
    else if (e.key === 'Enter' && set.rows[i].ok) onOpen(i);
    else return;
    e.preventDefault();
  };

  const toggle = (i: number) => {
    const next = new Set(selected);
    if (!next.delete(i)) next.add(i);
    setSelected(next);
  };
  const header = (k: SortKey, label: string) => (
    <th aria-sort={key === k ? (k === 'total' ? 'descending' : 'ascending') : undefined}>
      <button class="link" onClick={() => setKey(k)}>
        {label}
      </button>
    </th>
  );

  return (
    <section class="set-list" data-testid="set-list" aria-label={`The profiles of ${set.name}`}>
      <div class="set-actions">
        <strong>{visibleText(set.name)}</strong>
        <span class="muted">
          {readable} of {set.files.length} profiles read
        </span>
        <button disabled={selected.size < 1} onClick={() => onMerge([...selected].sort((a, b) => a - b))}>
          Merge selected ({selected.size})
        </button>
        <button disabled={readable < 1} onClick={() => onMerge(set.files.map((_, i) => i))}>
          Merge all
        </button>
        {groups.length >= 2 && base && next && (
          <span class="set-compare">
            Compare
            <select
              aria-label="Baseline group"
              value={base.name}
              onChange={(e) => {
                // The other side stays what it shows, not a default worked out again from this one.
                setNextName(next.name);
                setBaseName((e.target as HTMLSelectElement).value);
              }}
            >
              {groups.map((g) => (
                <option key={g.name} value={g.name}>
                  {visibleText(g.name)} ({g.indices.length})
                </option>
              ))}
            </select>
            →
            <select
              aria-label="New group"
              value={next.name}
              onChange={(e) => {
                setBaseName(base.name);
                setNextName((e.target as HTMLSelectElement).value);
              }}
            >
              {groups.map((g) => (
                <option key={g.name} value={g.name}>
                  {visibleText(g.name)} ({g.indices.length})
                </option>
              ))}
            </select>
            <button disabled={base === next} onClick={() => onCompare(base, next)}>
              Compare groups
            </button>
          </span>
        )}
      </div>
      <div
        class="set-scroll"
        ref={scroller}
        tabIndex={0}
        aria-label="The list of profiles: arrows move, Space selects, Enter opens"
        onScroll={(e) => setScrollTop((e.target as HTMLDivElement).scrollTop)}
        onKeyDown={onKeyDown}
      >
        <table class="set-table" aria-rowcount={order.length + 1}>
          <colgroup>
            <col class="set-col-check" />
            <col class="set-col-name" />
            <col class="set-col-format" />
            <col class="set-col-total" />
            <col class="set-col-bar" />
            <col />
          </colgroup>
          <thead ref={head}>
            <tr>
              <th aria-label="Selected" />
              {header('name', 'Profile')}
              {header('format', 'Format')}
              {header('total', 'Total')}
              <th aria-label="Total, as a bar" />
              {header('hottest', 'Hottest function')}
            </tr>
          </thead>
          <tbody>
            {first > 0 && <tr aria-hidden="true" style={{ height: `${first * SET_ROW_HEIGHT}px` }} />}
            {order.slice(first, last).map((i, k) => {
              const row = set.rows[i],
                name = visibleText(set.files[i].name);
              const place = first + k;
              return (
                <tr
                  key={i}
                  data-testid="set-row"
                  aria-rowindex={place + 2}
                  class={`${row.ok ? '' : 'set-bad'}${place === at ? ' cursor' : ''}`}
                  onClick={() => setCursor(place)}
                >
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${name}`}
                      disabled={!row.ok}
                      checked={selected.has(i)}
                      onChange={() => toggle(i)}
                    />
                  </td>
                  <td class="set-name">
                    {row.ok ? (
                      <button class="link" title={`Open ${name}`} onClick={() => onOpen(i)}>
                        {name}
                      </button>
                    ) : (
                      name
                    )}
                  </td>
                  {row.ok ? (
                    <>
                      <td>{row.format}</td>
                      <td class="num">{formatAmount(row.unit, row.total)}</td>
                      <td class="set-bar-cell">
                        <div
                          class="set-bar"
                          style={{ width: `${row.unit === unit && max > 0 ? (100 * row.total) / max : 0}%` }}
                        />
                      </td>
                      <td class="set-hottest" title={row.hottest ? visibleText(row.hottest) : undefined}>
                        {row.hottest ? `${visibleText(row.hottest)} · ${formatAmount(row.unit, row.hottestSelf)}` : '—'}
                      </td>
                    </>
                  ) : (
                    <td colSpan={4} class="set-message">
                      {visibleText(row.message)}
                    </td>
                  )}
                </tr>
              );
            })}
            {last < order.length && (
              <tr aria-hidden="true" style={{ height: `${(order.length - last) * SET_ROW_HEIGHT}px` }} />
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
