import type { TreeNodes } from '~/core/analysis/tree-nodes';

/** How siblings are ordered: the tree's own order is heaviest total first. */
export interface SiblingOrder {
  /** `delta`: the change from the baseline, while comparing. */
  column: 'total' | 'self' | 'calls' | 'delta' | 'name';
  ascending: boolean;
}

/**
 * Rows that are not nodes have ids below -1 (-1 is none): under a node of a function, the row that
 * opens its lines, and each line. A node has fewer lines than this.
 */
const LINE_SLOTS = 2 ** 20;
export const linesRow = (node: number) => -2 - node * LINE_SLOTS;
export const lineRow = (node: number, line: number) => -3 - line - node * LINE_SLOTS;
/** The node a row belongs to. */
export const nodeOfRow = (row: number) => (row >= 0 ? row : Math.floor((-2 - row) / LINE_SLOTS));
/** The line a row shows: -1 for a node's row, -2 for the row that opens its lines. */
export function lineOfRow(row: number): number {
  if (row >= 0) return -1;
  const slot = (-2 - row) % LINE_SLOTS;
  return slot === 0 ? -2 : slot - 1;
}

/** The row above a row in the tree: a line's is the row of the lines, whose is its node's; -1 for a root. */
export function parentRow(nodes: TreeNodes, row: number): number {
  const line = lineOfRow(row);
  const node = nodeOfRow(row);
  return line === -1 ? nodes.parent(node) : line === -2 ? node : linesRow(node);
}

/**
 * The rows shown: the roots, and below each open row its lines' row (when `lines` gives it any)
 * then its children, siblings in `order`; below an open lines' row, its lines. No recursion.
 * `under`: only the rows below that row, as if it were open (-1: all of them). `delta`: each
 * node's change from the baseline, for the order by change.
 */
export function visibleRows(
  nodes: TreeNodes,
  open: Set<number>,
  order: SiblingOrder,
  label: (frame: number) => string,
  calls: (frame: number) => number = () => 0,
  lines: (node: number) => number = () => 0,
  under = -1,
  delta: (node: number) => number = () => 0,
): number[] {
  const ordered = (kids: Int32Array): ArrayLike<number> => {
    if (order.column === 'total' && !order.ascending) return kids;
    const ids = Array.from(kids);
    const key =
      order.column === 'total'
        ? (v: number) => nodes.total(v)
        : order.column === 'self'
          ? (v: number) => nodes.self(v)
          : order.column === 'calls'
            ? (v: number) => calls(nodes.frame(v))
            : order.column === 'delta'
              ? delta
              : null;
    if (key) ids.sort((a, b) => key(a) - key(b));
    else ids.sort((a, b) => label(nodes.frame(a)).localeCompare(label(nodes.frame(b))));
    if (!order.ascending) ids.reverse();
    return ids;
  };
  const rows: number[] = [];
  const todo: number[] = [];
  const openBelow = (v: number) => {
    if (v < -1) {
      if (lineOfRow(v) !== -2) return;
      const node = nodeOfRow(v);
      for (let k = lines(node) - 1; k >= 0; k--) todo.push(lineRow(node, k));
      return;
    }
    const kids = ordered(nodes.children(v));
    for (let k = kids.length - 1; k >= 0; k--) todo.push(kids[k]);
    if (v >= 0 && lines(v)) todo.push(linesRow(v));
  };
  openBelow(under);
  while (todo.length) {
    const v = todo.pop()!;
    rows.push(v);
    if (open.has(v)) openBelow(v);
  }
  return rows;
}

/** The depth of a row: a node's, one more for its lines' row, two more for a line. */
export function rowDepth(nodes: TreeNodes, row: number): number {
  const line = lineOfRow(row);
  return nodes.depth(nodeOfRow(row)) + (line === -1 ? 0 : line === -2 ? 1 : 2);
}

/**
 * `rows` after the row at `at` opened (`below`: the rows under it then) or closed (`below` null):
 * the rows around it are kept, so the cost is that of the rows it shows or hides, not of all.
 */
export function rowsToggled(nodes: TreeNodes, rows: number[], at: number, below: number[] | null): number[] {
  if (below) return rows.slice(0, at + 1).concat(below, rows.slice(at + 1));
  const depth = rowDepth(nodes, rows[at]);
  let end = at + 1;
  while (end < rows.length && rowDepth(nodes, rows[end]) > depth) end++;
  return rows.slice(0, at + 1).concat(rows.slice(end));
}

/** From `node` (-1: the heaviest root) down the heaviest child at each step to a leaf, `node` included. */
export function hottestPath(nodes: TreeNodes, node: number): number[] {
  const path: number[] = [];
  let v = node;
  if (v < 0) {
    const roots = nodes.children(-1);
    if (!roots.length) return path;
    v = roots[0];
  }
  for (;;) {
    path.push(v);
    const kids = nodes.children(v);
    if (!kids.length) return path;
    v = kids[0];
  }
}

/**
 * Where the nodes of `from` are in `to`, a tree made anew (a transform applied): a node's path of
 * frames from the root compared by `key` in each tree, a frame not found below the place so far
 * passed over, as a merged or hidden one is, or found below a frame put in place of those above it.
 * `at` is the place found for the node, or for its nearest ancestor still there (-1, the root, for
 * none); `kept` whether the node itself is there; `through` the frame put in place it was found below, or -1.
 */
export function placesIn(
  from: TreeNodes,
  to: TreeNodes,
  keyFrom: (frame: number) => string,
  keyTo: (frame: number) => string,
): (node: number) => { at: number; kept: boolean; through: number } {
  const found = new Map<number, { at: number; kept: boolean; through: number }>([
    [-1, { at: -1, kept: true, through: -1 }],
  ]);
  return (node) => {
    const path: number[] = [];
    let v = node;
    for (; !found.has(v); v = from.parent(v)) path.push(v);
    let { at } = found.get(v)!;
    const childOf = (at: number, key: string) => {
      for (const c of to.children(at)) if (keyTo(to.frame(c)) === key) return c;
      return -2;
    };
    for (let k = path.length - 1; k >= 0; k--) {
      const key = keyFrom(from.frame(path[k]));
      let next = childOf(at, key);
      // Else below a frame the transform put in place of those above it (a collapsed library or
      // file): a child of the place that none of the node's old siblings is.
      let through = -1;
      if (next === -2) {
        const siblings = new Set(Array.from(from.children(from.parent(path[k])), (c) => keyFrom(from.frame(c))));
        for (const c of to.children(at))
          if (!siblings.has(keyTo(to.frame(c))) && (next = childOf(c, key)) !== -2) {
            through = c;
            break;
          }
      }
      if (next !== -2) at = next;
      found.set(path[k], { at, kept: next !== -2, through });
    }
    return found.get(node)!;
  };
}

/**
 * The open rows of `from` found in `to`, a tree made anew (see `placesIn`); a lines' row with its
 * function's. Rows whose place is gone are left out.
 */
export function openRowsIn(
  from: TreeNodes,
  open: Set<number>,
  to: TreeNodes,
  keyFrom: (frame: number) => string,
  keyTo: (frame: number) => string,
): Set<number> {
  const placeOf = placesIn(from, to, keyFrom, keyTo);
  const out = new Set<number>();
  for (const row of open) {
    const line = lineOfRow(row);
    if (line >= 0) continue;
    const { at, kept, through } = placeOf(nodeOfRow(row));
    if (kept && at >= 0) out.add(line === -2 ? linesRow(at) : at);
    if (kept && through >= 0) out.add(through);
  }
  return out;
}
