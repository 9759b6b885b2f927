import { Component } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Profile } from '~/core/model/profile';
import { functionTree } from '~/core/analysis/function-tree';
import type { QuickCallTree } from '~/core/analysis/quick-call-tree';
import { NodeLines, type Lines } from '~/core/analysis/node-lines';
import { InvertedTree } from '~/core/analysis/inverted-tree';
import { topDown, type TreeNodes } from '~/core/analysis/tree-nodes';
import { ncallsText } from '~/core/formats/pstats/pstats-text';
import { stringAt } from '~/core/model/string-pack';
import type { TreeDiff } from '~/core/analysis/tree-diff';
import { formatAmount, signOf } from '../weights';
import { changeByNode } from './call-tree-change';
import { KeptRows } from './kept-rows';
import { RowBlocks } from './row-blocks';
import { displayName, visibleText } from '../flame/names';
import { placeWhereAmbiguous } from '../flame/frame-place';
import {
  hottestPath,
  lineOfRow,
  openRowsIn,
  placesIn,
  nodeOfRow,
  parentRow,
  rowDepth,
  rowsToggled,
  visibleRows,
  type SiblingOrder,
} from './call-tree-rows';

interface Props {
  profile: Profile;
  /** A transform's top-down tree made as rows open, drawn instead of the profile's (see `useTransformed`). */
  quick: QuickCallTree | null;
  inverted: boolean;
  onInverted(inverted: boolean): void;
  /** Marks the frames of the selected function. */
  highlighted: Uint8Array | null;
  onSelect(frame: number): void;
  /** Enter on a row: focus on its subtree (top-down: the path of frames from its root) or on its function. */
  onFocusPath(path: number[]): void;
  onFocusFunction(frame: number): void;
  formatWeight(w: number): string;
  grandTotal: number;
  /** The run's calls per function, where transforms left every call of the functions they kept. */
  runCalls?: Profile['pstats'];
  /** When comparing: the diff of the profile's tree with the baseline's, and what the view says of it. */
  compared: { diff: TreeDiff | null; note: string; perProfile: boolean } | null;
}

const TREE_ORDER: SiblingOrder = { column: 'total', ascending: false };
const ROW_HEIGHT = 22;
const HEAD_HEIGHT = 26;
/** Rows drawn beyond each edge of the view: every row drawn is laid out again when the view moves. */
const OVERSCAN = 4;
/** Views' worth of rows kept drawn outside the view: scrolling a screen and back redraws none. */
const KEPT_VIEWS = 2;
/** Rows a block of rows takes: opening a row moves the blocks below it, and draws again at most this many rows of its own. */
const BLOCK_ROWS = 8;
const INDENT_PX = 14;
/** How long the cursor rests on a row before the row's function is selected everywhere. */
const SELECT_AFTER_MS = 120;

type SortColumn = SiblingOrder['column'];

/**
 * The call tree as expandable rows, top-down or inverted (the functions holding self time at the
 * root, their callers below). Only the rows in view are drawn; children are read when a row opens.
 */
export function CallTreeView(props: Props) {
  const { highlighted, formatWeight, grandTotal, quick, inverted, compared } = props;
  // Until the worker's result comes, the quick tree's frames are named in the profile it was made
  // from (with the frames its transform adds); a transformed profile has no pstats calls.
  const profile = quick?.profile ?? props.profile;
  const pstats = (quick ? undefined : profile.pstats) ?? props.runCalls;
  const [chosenOrder, setOrder] = useState<SiblingOrder>(TREE_ORDER);
  const byFunction = useMemo(() => (quick ? null : functionTree(profile)), [quick, profile]);
  const nodes: TreeNodes = useMemo(
    () => quick?.nodes ?? (inverted ? new InvertedTree(byFunction!.tree) : topDown(byFunction!.tree)),
    [quick, byFunction, inverted],
  );
  // Where frames are lines, a function's row opens onto its lines there; inverted, onto the lines
  // its self weight was on (a root), or that it called from (a caller).
  const lineIndex = useMemo(() => {
    const nodeOf = byFunction?.nodeOf;
    return nodeOf && new NodeLines(profile.tree, nodeOf, profile.frames, byFunction.tree.count);
  }, [byFunction, profile]);
  // Grouping a million nodes by function takes tens of milliseconds: done while the page is idle
  // rather than in the frame that first shows a function's lines.
  useEffect(() => {
    if (!lineIndex) return;
    if (typeof requestIdleCallback !== 'function') {
      const later = setTimeout(() => lineIndex.group(), 200);
      return () => clearTimeout(later);
    }
    const idle = requestIdleCallback(() => lineIndex.group());
    return () => cancelIdleCallback(idle);
  }, [lineIndex]);
  const linesAt = useMemo(() => {
    const index = lineIndex;
    if (quick) return memoised(quick.lines);
    if (!index) return () => null;
    const linesOf =
      nodes instanceof InvertedTree
        ? (node: number) => {
            const lines = index.ofInverted(nodes.leaves(node), nodes.depth(node));
            return index.anySaysLine(lines) ? lines : null;
          }
        : (node: number) => (index.has(node) ? index.of(node) : null);
    return memoised(linesOf);
  }, [lineIndex, nodes, quick]);
  // The baseline's weight of each row's path, top-down only: an inverted row is no path from a root.
  const change = useMemo(
    () =>
      compared?.diff && byFunction && !inverted
        ? changeByNode(compared.diff, byFunction.nodeOf, byFunction.tree.count)
        : null,
    [compared, byFunction, inverted],
  );
  // The order by change outlives no comparison.
  const order = chosenOrder.column === 'delta' && !change ? TREE_ORDER : chosenOrder;
  const changeText = useMemo(() => {
    if (!change) return null;
    const text = change.absolute
      ? (v: number) => formatAmount(change.unit, v)
      : (v: number) => `${(100 * v).toFixed(1)} %`;
    const delta = (v: number) => {
      const t = change.absolute ? text(Math.abs(v)) : `${(100 * Math.abs(v)).toFixed(1)} pp`;
      return `${signOf(v, t)}${t}`;
    };
    return {
      // A path the baseline never reached is new: "0 s" would read as a measured nothing.
      before: (node: number) => (change.inBase[node] ? text(change.before[node]) : 'new'),
      after: (node: number) => text(change.after[node]),
      delta: (node: number) => delta(change.after[node] - change.before[node]),
    };
  }, [change]);
  // Their columns stand from the start of a comparison, empty until the numbers come: the Function column stays put.
  const changeColumns = !!compared && !inverted;
  const opens = (row: number) => (row >= 0 ? nodes.hasChildren(row) || linesAt(row) !== null : lineOfRow(row) === -2);
  /** The frame a row stands for: its node's, or its line's. */
  const frameOfRow = (row: number) => {
    const node = nodeOfRow(row);
    const line = lineOfRow(row);
    return line >= 0 ? linesAt(node)!.frame[line] : nodes.frame(node);
  };
  const [open, setOpen] = useState<{ of: TreeNodes | null; set: Set<number>; profile: Profile | null }>({
    of: null,
    set: new Set(),
    profile: null,
  });
  const expanded = useMemo(() => {
    if (open.of === nodes) return open.set;
    // A tree made anew in the same direction (a transform) keeps the open rows whose places it has.
    const before = open.profile;
    const kept =
      before && open.of && open.of instanceof InvertedTree === nodes instanceof InvertedTree
        ? openRowsIn(
            open.of,
            open.set,
            nodes,
            (f) => stringAt(before.strings, before.frames.label[f]),
            (f) => stringAt(profile.strings, profile.frames.label[f]),
          )
        : null;
    if (kept?.size) return kept;
    // Else it opens its only root, if it has one.
    const roots = nodes.children(-1);
    return new Set(roots.length === 1 ? [roots[0]] : []);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the profile is the one the nodes are made from
  }, [open, nodes]);
  const setExpanded = (set: Set<number>) => setOpen({ of: nodes, set, profile });
  /** The cursor's row, and where it was in the rows when set: it is looked for only if it moved. */
  const [cursorOf, setCursorOf] = useState<{ of: TreeNodes; node: number; at: number; profile: Profile } | null>(null);
  const setCursor = (at: { of: TreeNodes; node: number; at: number }) => setCursorOf({ ...at, profile });
  // A tree made anew in the same direction (a transform) keeps the cursor at its place, else at its
  // nearest caller still there.
  const carried = useMemo(() => {
    if (!cursorOf || cursorOf.of === nodes) return null;
    if (cursorOf.of instanceof InvertedTree !== nodes instanceof InvertedTree) return null;
    const before = cursorOf.profile;
    const place = placesIn(
      cursorOf.of,
      nodes,
      (f) => stringAt(before.strings, before.frames.label[f]),
      (f) => stringAt(profile.strings, profile.frames.label[f]),
    )(nodeOfRow(cursorOf.node));
    return place.at >= 0 ? place : null;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the profile is the one the nodes are made from
  }, [cursorOf, nodes]);
  const cursor = cursorOf?.of === nodes ? cursorOf.node : (carried?.at ?? -1);

  const label = (f: number) => stringAt(profile.strings, profile.frames.label[f]);
  const listRows = (open: Set<number>, under?: number) =>
    visibleRows(
      nodes,
      open,
      order,
      (f) => label(f),
      (f) => pstats?.nc[f] ?? 0,
      (v) => linesAt(v)?.count ?? 0,
      under,
      change ? (v) => change.after[v] - change.before[v] : undefined,
    );
  /** Rows made as a row opened or closed, from the rows before, for the set of open rows it made. */
  const toggled = useRef<{
    nodes: TreeNodes;
    order: SiblingOrder;
    linesAt: unknown;
    change: unknown;
    open: Set<number>;
    rows: number[];
  }>(null);
  const rows = useMemo(() => {
    const made = toggled.current;
    if (
      made &&
      made.open === expanded &&
      made.nodes === nodes &&
      made.order === order &&
      made.linesAt === linesAt &&
      made.change === change
    )
      return made.rows;
    return listRows(expanded);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- labels are the profile's, and the nodes are made from it
  }, [nodes, expanded, order, linesAt, change]);

  const scroller = useRef<HTMLDivElement>(null);
  const kept = useRef(new KeptRows());
  const blocks = useRef(new RowBlocks(BLOCK_ROWS));
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const el = scroller.current!;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const cursorAt = cursor === -1 ? -1 : rows[cursorOf!.at] === cursor ? cursorOf!.at : rows.indexOf(cursor);
  // Geometry from state, not read from the element: a read after preact's writes would lay the page
  // out in the middle of the frame. The element is written only when the cursor leaves the view.
  useEffect(() => {
    const el = scroller.current;
    if (!el || cursorAt < 0) return;
    const top = cursorAt * ROW_HEIGHT;
    const view = height - HEAD_HEIGHT;
    if (top < scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > scrollTop + view) el.scrollTop = top + ROW_HEIGHT - view;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- scrolls when the cursor moves, not when the view does
  }, [cursorAt]);

  // The selection, shared by every view and kept in the address, follows the keyboard's cursor once
  // it rests: holding an arrow key moves through rows without drawing the whole page each time.
  const selectLater = useRef(0);
  const pending = useRef<number | null>(null);
  useEffect(() => () => clearTimeout(selectLater.current), []);
  const select = () => {
    clearTimeout(selectLater.current);
    if (pending.current !== null) props.onSelect(pending.current);
    pending.current = null;
  };
  useEffect(() => {
    if (!carried) return;
    setCursor({ of: nodes, node: carried.at, at: -1 });
    if (!carried.kept) props.onSelect(frameOfRow(carried.at));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per tree the cursor is carried to
  }, [carried]);
  const moveTo = (node: number, now = false, at = -1) => {
    setCursor({ of: nodes, node, at });
    clearTimeout(selectLater.current);
    pending.current = frameOfRow(node);
    if (now) select();
    else selectLater.current = window.setTimeout(select, SELECT_AFTER_MS);
  };
  const toggle = (node: number, at: number) => {
    const set = new Set(expanded);
    const below = set.delete(node) ? null : (set.add(node), listRows(set, node));
    toggled.current = { nodes, order, linesAt, change, open: set, rows: rowsToggled(nodes, rows, at, below) };
    setExpanded(set);
  };
  const expandHottest = () => {
    const path = hottestPath(nodes, cursor === -1 ? -1 : nodeOfRow(cursor));
    if (!path.length) return;
    const set = new Set(expanded);
    for (const v of path.slice(0, -1)) set.add(v);
    setExpanded(set);
    moveTo(path[path.length - 1]);
  };
  const pathOf = (node: number) => {
    const path: number[] = [];
    for (let v = nodeOfRow(node); v >= 0; v = nodes.parent(v)) path.push(nodes.frame(v));
    return path.reverse();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const at = cursorAt;
    const node = cursor;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        const next = Math.min(rows.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)));
        if (rows.length) moveTo(rows[next], false, next);
        break;
      }
      case 'PageDown':
      case 'PageUp': {
        // A page is the rows in view, less one kept in sight: the cursor moves with the page, as in a grid.
        const page = Math.max(1, Math.floor((height - HEAD_HEIGHT) / ROW_HEIGHT) - 1);
        const next = Math.min(rows.length - 1, Math.max(0, at + (e.key === 'PageDown' ? page : -page)));
        if (rows.length) moveTo(rows[next], false, next);
        break;
      }
      case 'Home':
      case 'End':
        if (rows.length) {
          const to = e.key === 'Home' ? 0 : rows.length - 1;
          moveTo(rows[to], false, to);
        }
        break;
      case 'ArrowRight':
        if (node === -1) break;
        if (!expanded.has(node)) {
          if (opens(node)) toggle(node, at);
        } else if (at + 1 < rows.length && parentRow(nodes, rows[at + 1]) === node) moveTo(rows[at + 1], false, at + 1);
        break;
      case 'ArrowLeft':
        if (node === -1) break;
        if (expanded.has(node)) toggle(node, at);
        else if (parentRow(nodes, node) !== -1) moveTo(parentRow(nodes, node));
        break;
      case 'Enter':
        if (node === -1) break;
        // A function's "Lines" row is a group, not a place to focus on: Enter opens or closes it.
        if (lineOfRow(node) === -2) toggle(node, at);
        else if (inverted) props.onFocusFunction(nodes.frame(node));
        else props.onFocusPath(pathOf(node));
        break;
      case '*':
        expandHottest();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const calls = pstats;
  // Columns of fixed widths, one class each (styles.css): rows lay out as flex lines, cheaper than grids.
  const columns: { id: SortColumn | null; title: string; help: string; cell: string; numeric: boolean }[] = [
    {
      id: 'total',
      title: 'Total',
      help: 'Weight in the function and below, at this place',
      cell: 'c-total',
      numeric: true,
    },
    { id: 'total', title: '%', help: 'Total as a share of the whole profile', cell: 'c-share', numeric: true },
    { id: 'self', title: 'Self', help: 'Weight in the function itself, at this place', cell: 'c-self', numeric: true },
    ...(changeColumns
      ? [
          {
            id: null,
            title: compared!.perProfile ? 'Mean before' : 'Before',
            help: "The baseline's weight at the same path of functions",
            cell: 'c-before',
            numeric: true,
          },
          ...(compared!.perProfile
            ? [
                {
                  id: null,
                  title: 'Mean after',
                  help: "This path's weight per profile of the new group",
                  cell: 'c-before',
                  numeric: true,
                },
              ]
            : []),
          {
            id: 'delta' as const,
            title: compared!.perProfile ? 'Δ mean' : 'Δ',
            help:
              (change?.absolute ?? true)
                ? 'The change from the baseline at this path of functions'
                : "The change of this path's share of each profile's total",
            cell: 'c-delta',
            numeric: true,
          },
        ]
      : []),
    ...(calls
      ? [
          {
            id: 'calls' as const,
            title: 'Calls',
            help: "The function's calls in the whole run (pstats ncalls)",
            cell: 'c-calls',
            numeric: true,
          },
        ]
      : []),
    {
      id: 'name',
      title: 'Function',
      help: 'Click to open (a function opens onto its lines too); arrows, PageUp/PageDown, Home/End move, ←/→ close/open, Enter focus, * hottest path',
      cell: 'c-name',
      numeric: false,
    },
  ];
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const drawn = blocks.current.arrange(rows, kept.current.drawn(rows, first, last, KEPT_VIEWS * (last - first)));

  return (
    // The weight columns as wide as their widest number, the grand total's: no node weighs more.
    <div class="call-tree stats-table" style={{ '--weight-chars': formatWeight(grandTotal).length }}>
      <div class="table-tools">
        <div class="direction" role="group" aria-label="Direction">
          <button aria-pressed={!inverted} onClick={() => props.onInverted(false)}>
            Top-down
          </button>
          <button aria-pressed={inverted} onClick={() => props.onInverted(true)} data-testid="inverted">
            Inverted
          </button>
        </div>
        <button
          onClick={expandHottest}
          title="Open the heaviest child, then its heaviest child, down to a leaf (key *)"
        >
          Expand hottest path
        </button>
        <span class="row-count" data-testid="call-tree-rows">
          {rows.length.toLocaleString('en')} {rows.length === 1 ? 'row' : 'rows'}
        </span>
      </div>
      {compared && (
        <p class="muted tree-note" data-testid="call-tree-compared">
          {inverted ? 'Before and Δ are shown top-down only, where a row is a path from a root.' : compared.note}
        </p>
      )}
      <div
        class="table-body"
        role="treegrid"
        aria-label={inverted ? 'Inverted call tree' : 'Call tree'}
        data-nodes={byFunction?.tree.count}
        aria-activedescendant={cursor !== -1 ? `call-tree-node-${cursor}` : undefined}
        tabIndex={0}
        ref={scroller}
        onScroll={(e) => setScrollTop((e.target as HTMLDivElement).scrollTop)}
        onKeyDown={onKeyDown}
        // Leaving the tree (for a tab, a menu) selects where the cursor is, resting or not.
        onBlur={select}
      >
        <div class="table-head" role="row">
          {columns.map((c, k) => {
            const sorted = order.column === c.id && k !== 1;
            const id = c.id;
            if (id === null)
              return (
                <span key={k} role="columnheader" class={`th ${c.cell} num`} title={c.help}>
                  {c.title}
                </span>
              );
            return (
              <button
                key={k}
                role="columnheader"
                class={`th ${c.cell} ${c.numeric ? 'num' : ''} ${sorted ? 'sorted' : ''}`}
                title={`${c.help}. Click to sort siblings.`}
                aria-sort={sorted ? (order.ascending ? 'ascending' : 'descending') : 'none'}
                onClick={() =>
                  setOrder(
                    order.column === id
                      ? { column: id, ascending: !order.ascending }
                      : { column: id, ascending: !c.numeric },
                  )
                }
              >
                {c.title}
                {sorted ? (order.ascending ? ' ▲' : ' ▼') : ''}
              </button>
            );
          })}
        </div>
        <div
          class="tree-rows"
          style={{ height: `${rows.length * ROW_HEIGHT}px` }}
          // One handler for every row: rows keep no closures, so an unchanged row is not drawn again.
          onClick={(e) => {
            const target = e.target as HTMLElement;
            const el = target.closest<HTMLElement>('[data-at]');
            if (!el) return;
            const at = Number(el.dataset.at);
            const v = rows[at];
            if (target.closest('.twisty')) {
              setCursor({ of: nodes, node: v, at });
              toggle(v, at);
            } else moveTo(v, true, at);
          }}
        >
          {drawn.map((block) => (
            <div key={block.id} class="row-block" style={{ transform: `translateY(${block.base * ROW_HEIGHT}px)` }}>
              {block.places.map((at) => {
                const v = rows[at];
                const node = nodeOfRow(v);
                const line = lineOfRow(v);
                const lines = line === -1 ? null : linesAt(node)!;
                const f = frameOfRow(v);
                return (
                  <CallTreeRow
                    key={v}
                    row={v}
                    at={at}
                    top={at - block.base}
                    profile={profile}
                    frame={f}
                    line={line}
                    linesCount={lines?.count ?? 0}
                    depth={rowDepth(nodes, v)}
                    canOpen={opens(v)}
                    isOpen={expanded.has(v)}
                    isCursor={v === cursor}
                    isSelected={!!highlighted?.[f]}
                    total={line === -1 ? nodes.total(node) : line === -2 ? null : lines!.total[line]}
                    self={line === -1 ? nodes.self(node) : line === -2 ? null : lines!.self[line]}
                    before={changeText && line === -1 ? changeText.before(node) : null}
                    after={compared?.perProfile && line === -1 ? (changeText?.after(node) ?? '') : null}
                    delta={changeText && line === -1 ? changeText.delta(node) : null}
                    hasChange={changeColumns}
                    calls={calls && line === -1 && f < calls.nc.length ? ncallsText(calls.nc[f], calls.cc[f]) : null}
                    hasCalls={!!calls}
                    formatWeight={formatWeight}
                    grandTotal={grandTotal}
                  />
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  row: number;
  /** The row's place in the list. */
  at: number;
  /** Its place in its block of rows. */
  top: number;
  profile: Profile;
  frame: number;
  /** -1: a function's row; -2: the row of its lines; else the line's index among them. */
  line: number;
  linesCount: number;
  depth: number;
  canOpen: boolean;
  isOpen: boolean;
  isCursor: boolean;
  isSelected: boolean;
  /** Null on a lines' row. */
  total: number | null;
  self: number | null;
  /** The baseline's weight and the change, when comparing; null on a line's row. */
  before: string | null;
  /** The new side's weight per profile, when groups of different size are compared. */
  after: string | null;
  delta: string | null;
  hasChange: boolean;
  calls: string | null;
  hasCalls: boolean;
  formatWeight(w: number): string;
  grandTotal: number;
}

/** A node's lines, each made once; one line says no more than its function's row does. */
function memoised(linesOf: (node: number) => Lines | null): (node: number) => Lines | null {
  const made = new Map<number, Lines | null>();
  return (node) => {
    let lines = made.get(node);
    if (lines === undefined) {
      const all = linesOf(node);
      made.set(node, (lines = all && all.count > 1 ? all : null));
    }
    return lines;
  };
}

/**
 * One row, drawn again only when what it shows changed: moving the cursor redraws two rows, not all.
 * A component of its own rather than preact/compat's `memo`, whose compat layer rewrites every
 * element's props of the whole page as it is made. Its place is written here, not drawn: a row
 * opening moves every row below it, kept ones too, and a row that only moved is not drawn again.
 */
class CallTreeRow extends Component<RowProps> {
  shouldComponentUpdate(next: RowProps): boolean {
    let moved = false;
    for (const key in next)
      if (next[key as keyof RowProps] !== this.props[key as keyof RowProps]) {
        if (key !== 'at' && key !== 'top') return true;
        moved = true;
      }
    if (moved) this.place(next, this.props);
    return false;
  }

  componentDidMount() {
    this.place(this.props, null);
  }

  componentDidUpdate(before: RowProps) {
    this.place(this.props, before);
  }

  /** Writes only what changed: a row moved with its block keeps its `top`. */
  private place({ at, top }: RowProps, before: RowProps | null) {
    const el = this.base as HTMLElement;
    if (top !== before?.top) el.style.top = `${top * ROW_HEIGHT}px`;
    if (at !== before?.at) el.dataset.at = String(at);
  }

  render(props: RowProps) {
    const { row, profile, frame: f, line, total, self, grandTotal, formatWeight } = props;
    const share = (w: number) => (grandTotal ? `${((100 * w) / grandTotal).toFixed(1)} %` : '');
    return (
      <div
        id={`call-tree-node-${row}`}
        role="row"
        aria-level={props.depth + 1}
        aria-expanded={props.canOpen ? props.isOpen : undefined}
        aria-selected={props.isCursor}
        class={`tr ${line === -1 ? '' : 'line-row'} ${props.isCursor ? 'cursor' : ''} ${props.isSelected ? 'selected' : ''}`}
      >
        <span role="gridcell" class="td num c-total">
          {total === null ? '' : formatWeight(total)}
        </span>
        <span role="gridcell" class="td num c-share">
          {total === null ? '' : share(total)}
        </span>
        <span role="gridcell" class="td num c-self">
          {self === null ? '' : formatWeight(self)}
        </span>
        {props.hasChange && (
          <>
            <span role="gridcell" class="td num c-before">
              {props.before ?? ''}
            </span>
            {props.after !== null && (
              <span role="gridcell" class="td num c-before">
                {props.after}
              </span>
            )}
            <span role="gridcell" class="td num c-delta">
              {props.delta ?? ''}
            </span>
          </>
        )}
        {props.hasCalls && (
          <span role="gridcell" class="td num c-calls">
            {props.calls ?? ''}
          </span>
        )}
        <span
          role="gridcell"
          class="td c-name"
          title={visibleText(stringAt(profile.strings, profile.frames.label[f]))}
          style={{ paddingLeft: `${props.depth * INDENT_PX}px` }}
        >
          <span class="twisty" aria-hidden="true">
            {props.canOpen ? (props.isOpen ? '▾' : '▸') : ''}
          </span>
          {line === -1 ? (
            <>
              {displayName(profile, f)}
              <Place profile={profile} frame={f} />
            </>
          ) : line === -2 ? (
            <span class="muted">{`Lines (${props.linesCount}) of ${displayName(profile, f)}`}</span>
          ) : (
            `line ${profile.frames.line[f]}`
          )}
        </span>
      </div>
    );
  }
}

/** The file of a function whose name alone is shared, dim after the name: read as part of the row's text. */
function Place({ profile, frame }: { profile: Profile; frame: number }) {
  const place = placeWhereAmbiguous(profile, frame);
  return place === null ? null : <span class="place"> {place}</span>;
}
