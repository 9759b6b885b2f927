import { useMemo, useState } from 'preact/hooks';
import type { ProfileSet } from '../session/profile-session';
import type { SetRow } from '~/core/analysis/profile-set';
import { formatAmount } from '../weights';
import { visibleText } from '../flame/names';

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

/** The groups a set can be compared by: each of its folders, then the selection and what is not selected. */
function groupsOf(set: ProfileSet, selected: Set<number>): Group[] {
  const readable = set.files.map((_, i) => i).filter((i) => set.rows[i].ok);
  const folders = [...new Set(set.files.map((f) => f.group).filter(Boolean))];
  const groups = folders.map((g) => ({ name: g, indices: readable.filter((i) => set.files[i].group === g) }));
  if (selected.size) {
    groups.push({ name: 'selected', indices: readable.filter((i) => selected.has(i)) });
    groups.push({ name: 'not selected', indices: readable.filter((i) => !selected.has(i)) });
  }
  return groups.filter((g) => g.indices.length);
}

/**
 * The list of a set of profiles, slowest first: name, format, total, its hottest function and a
 * bar of its total against the largest. A name opens that profile; the boxes choose files to
 * merge, and two groups (folders, or the selection and the rest) are merged and compared.
 */
export function SetList({ set, onOpen, onMerge, onCompare }: Props) {
  const [key, setKey] = useState<SortKey>('total');
  const [selected, setSelected] = useState<Set<number>>(() => new Set());
  const order = useMemo(() => sortedRows(set, key), [set, key]);
  const groups = groupsOf(set, selected);
  const [baseName, setBaseName] = useState<string | null>(null);
  const [nextName, setNextName] = useState<string | null>(null);
  const base = groups.find((g) => g.name === baseName) ?? groups[0];
  const next = groups.find((g) => g.name === nextName) ?? groups.find((g) => g !== base);
  // Bars compare totals in one unit: the unit of the first readable row.
  const unit = set.rows.find((r): r is Extract<SetRow, { ok: true }> => r.ok)?.unit ?? null;
  const max = Math.max(0, ...set.rows.map((r) => (r.ok && r.unit === unit ? r.total : 0)));
  const readable = set.rows.filter((r) => r.ok).length;

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
              onChange={(e) => setBaseName((e.target as HTMLSelectElement).value)}
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
              onChange={(e) => setNextName((e.target as HTMLSelectElement).value)}
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
      <div class="set-scroll">
        <table class="set-table">
          <thead>
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
            {order.map((i) => {
              const row = set.rows[i],
                name = visibleText(set.files[i].name);
              return (
                <tr key={i} data-testid="set-row" class={row.ok ? '' : 'set-bad'}>
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
          </tbody>
        </table>
      </div>
    </section>
  );
}
