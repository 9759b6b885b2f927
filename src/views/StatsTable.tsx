import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { compileFilter } from '../filter';
import { firstByNumber, orderByNumber } from '../table/row-order';
import type { ShownTable, SortState, TableColumn } from '../table/table-types';

interface Props {
  columns: TableColumn[];
  rowCount: number;
  /** The text the filter box matches. */
  rowLabel(row: number): string;
  noun: string;
  sort: SortState;
  onSort(sort: SortState): void;
  filter: string;
  onFilter(filter: string): void;
  selected: number | null;
  onSelect(row: number): void;
  /** Told what the table shows whenever that changes, so that it can be exported as shown. */
  onShown?(table: ShownTable): void;
}

const ROW_HEIGHT = 22;
/** The sticky column titles' height (see .table-head in styles.css). */
const HEAD_HEIGHT = 26;
const OVERSCAN = 12;
/** A column dragged narrower keeps room for a few characters. */
const MIN_COLUMN_PX = 32;

/** Tables of this many rows are shown first with only their first rows in order. */
const ORDER_LATER_MIN_ROWS = 16_384;
/** Rows ordered first, at least: more than a screen holds. */
const FIRST_ROWS = 128;

interface RowOrder {
  order: number[];
  /** Whether all rows are in order in `order`. */
  complete: boolean;
  /** The whole order: `order` when complete, else made now. */
  whole(): number[];
}

/**
 * The table's rows in order: numbers largest first, text A→Z, both stable, so ties keep file
 * order. A large table sorted by a number, with no filter, comes first with only the rows down
 * to `shownTo` in order (the others after them as they are), so that it is drawn without waiting
 * for the whole sort, which follows once it is on screen. A filter reads every row anyway: then
 * the whole order is made at once.
 */
function useRowOrder(
  columns: TableColumn[],
  rowCount: number,
  sort: SortState,
  shownTo: number,
  filtering: boolean,
): RowOrder {
  // Made again only when the order changes, with the screen and the filter of that moment.
  const first = useMemo(() => {
    const column = columns.find((c) => c.id === sort.column) ?? columns[0];
    const largestFirst = !sort.ascending;
    if (rowCount > 0 && typeof column.sortValue(0) === 'number') {
      // Held as doubles, not as an array of numbers, each of which would be an object to collect.
      const keys = new Float64Array(rowCount);
      for (let i = 0; i < rowCount; i++) keys[i] = column.sortValue(i) as number;
      const top = Math.max(FIRST_ROWS, shownTo);
      if (rowCount < ORDER_LATER_MIN_ROWS || filtering || top * 8 > rowCount)
        return { order: orderByNumber(keys, largestFirst), later: null };
      return { order: topRowsFirst(firstByNumber(keys, largestFirst, top), rowCount), later: { keys, largestFirst } };
    }
    const ids = Array.from({ length: rowCount }, (_, i) => i);
    const keys = ids.map((i) => column.sortValue(i));
    const cmp = (a: number, b: number) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0);
    ids.sort(sort.ascending ? cmp : (a, b) => cmp(b, a));
    return { order: ids, later: null };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- ordered again when the sort changes; the rows in view and the filter only decide how much is ordered at once
  }, [columns, rowCount, sort.column, sort.ascending]);
  const [whole, setWhole] = useState<{ of: typeof first; order: number[] } | null>(null);
  useEffect(() => {
    const { later } = first;
    if (!later) return;
    const timer = setTimeout(() => setWhole({ of: first, order: orderByNumber(later.keys, later.largestFirst) }));
    return () => clearTimeout(timer);
  }, [first]);
  const { later } = first;
  if (!later) return { order: first.order, complete: true, whole: () => first.order };
  if (whole?.of === first) return { order: whole.order, complete: true, whole: () => whole.order };
  return { order: first.order, complete: false, whole: () => orderByNumber(later.keys, later.largestFirst) };
}

/** `top`, then every other row of `rowCount` in row order. */
function topRowsFirst(top: number[], rowCount: number): number[] {
  const out = top.slice();
  const inTop = new Uint8Array(rowCount);
  for (const r of top) inTop[r] = 1;
  for (let r = 0; r < rowCount; r++) if (!inTop[r]) out.push(r);
  return out;
}

/** A sortable, filterable table that renders only the rows in view, so 100,000 rows scroll smoothly. */
export function StatsTable(props: Props) {
  const { columns, rowCount, sort, selected } = props;
  const filter = useMemo(() => compileFilter(props.filter), [props.filter]);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const { order, complete, whole } = useRowOrder(
    columns,
    rowCount,
    sort,
    Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN,
    filter.test !== undefined,
  );
  const filtered = (o: number[]) => (filter.test ? o.filter((r) => filter.test!(props.rowLabel(r))) : o);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `filtered` is the filter and the labels, both listed
  const rows = useMemo(() => filtered(order), [order, filter, props.rowLabel]);

  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = scroller.current!;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Keep the selected row in view when it changes from elsewhere (keyboard, callers panel, graphs).
  useEffect(() => {
    const el = scroller.current;
    // A row below the first ones has no place yet while the order is partial.
    if (!el || selected === null || !complete) return;
    const at = rows.indexOf(selected);
    if (at < 0) return;
    const top = at * ROW_HEIGHT;
    const view = el.clientHeight - HEAD_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + view) el.scrollTop = top + ROW_HEIGHT - view;
  }, [selected, rows, complete]);

  useEffect(() => {
    performance.mark('kiln:table-painted');
  }, [columns]);
  // Told before the browser paints, so that an export in the frame that shows a new order has it.
  useLayoutEffect(
    () => props.onShown?.({ columns, rows: complete ? () => rows : () => filtered(whole()) }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- told when what is shown changes: its columns or its rows
    [columns, rows, complete],
  );

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  // Widths dragged on a title's edge, in pixels, by column id.
  const [widths, setWidths] = useState<Record<string, number>>({});
  const widthOf = (c: TableColumn) => (widths[c.id] ? `${widths[c.id]}px` : c.width);
  const template = columns.map(widthOf).join(' ');
  // Header and rows share one horizontal scroll; below this width they scroll rather than squeeze.
  const rem = (c: TableColumn) =>
    widths[c.id] ? widths[c.id] / 16 : parseFloat(/[\d.]+(?=rem)/.exec(c.width)?.[0] ?? '4');
  const minWidth = `${columns.reduce((sum, c) => sum + rem(c) + 0.5, 1.5)}rem`;
  /** Set while a title's edge is dragged, so that letting go does not also sort by that column. */
  const resizing = useRef(false);
  const startResize = (e: PointerEvent, c: TableColumn) => {
    e.preventDefault();
    resizing.current = true;
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture(e.pointerId);
    const startX = e.clientX,
      startWidth = handle.parentElement!.getBoundingClientRect().width;
    const move = (m: PointerEvent) =>
      setWidths((w) => ({ ...w, [c.id]: Math.max(MIN_COLUMN_PX, Math.round(startWidth + m.clientX - startX)) }));
    const stop = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', stop);
      handle.removeEventListener('pointercancel', stop);
      // The click that follows the pointerup, if any, comes first.
      setTimeout(() => (resizing.current = false));
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', stop);
    handle.addEventListener('pointercancel', stop);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const at = selected === null ? -1 : rows.indexOf(selected);
    const next = Math.min(rows.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)));
    if (rows.length) props.onSelect(rows[next]);
  };

  return (
    <div class="stats-table">
      <div class="table-tools">
        <input
          class="filter"
          type="search"
          placeholder="Filter: text or /regex/"
          aria-label="Filter functions"
          value={props.filter}
          onInput={(e) => props.onFilter((e.target as HTMLInputElement).value)}
        />
        <span class="row-count" data-testid="row-count">
          {filter.error
            ? filter.error
            : `${rows.length.toLocaleString('en')} of ${rowCount.toLocaleString('en')} ${props.noun}`}
        </span>
      </div>
      <div
        class="table-body"
        role="grid"
        tabIndex={0}
        ref={scroller}
        onScroll={(e) => setScrollTop((e.target as HTMLDivElement).scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div class="table-head" role="row" style={{ gridTemplateColumns: template, minWidth }}>
          {columns.map((c) => (
            <button
              key={c.id}
              role="columnheader"
              class={`th ${c.numeric ? 'num' : ''} ${sort.column === c.id ? 'sorted' : ''}`}
              title={c.help}
              data-column={c.id}
              aria-sort={sort.column === c.id ? (sort.ascending ? 'ascending' : 'descending') : 'none'}
              onClick={() =>
                !resizing.current &&
                props.onSort(
                  sort.column === c.id
                    ? { column: c.id, ascending: !sort.ascending }
                    : { column: c.id, ascending: !c.numeric },
                )
              }
            >
              {c.title}
              {sort.column === c.id ? (sort.ascending ? ' ▲' : ' ▼') : ''}
              <span
                class="col-resize"
                aria-hidden="true"
                title="Drag to widen or narrow this column"
                onPointerDown={(e) => startResize(e, c)}
                onClick={(e) => e.stopPropagation()}
              />
            </button>
          ))}
        </div>
        <div style={{ height: `${rows.length * ROW_HEIGHT}px`, position: 'relative', minWidth }}>
          {rows.slice(first, last).map((r, i) => (
            <div
              key={r}
              role="row"
              class={`tr ${r === selected ? 'selected' : ''}`}
              aria-selected={r === selected}
              style={{ top: `${(first + i) * ROW_HEIGHT}px`, gridTemplateColumns: template }}
              onClick={() => props.onSelect(r)}
            >
              {columns.map((c) => {
                const text = c.cell(r);
                const note = c.note?.(r);
                return (
                  <span
                    key={c.id}
                    role="gridcell"
                    class={`td ${c.numeric ? 'num' : ''} ${c.keepEnd ? 'keep-end' : ''}`}
                    // The whole value, which a narrow column cuts short.
                    title={note ? `${text}\n${note}` : text}
                  >
                    {c.chip ? (
                      <span class="chip" style={{ background: c.chip(r) }}>
                        {text}
                      </span>
                    ) : c.keepEnd ? (
                      <bdi>{text}</bdi>
                    ) : (
                      text
                    )}
                  </span>
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
