import type { TreeNodes } from '~/core/analysis/tree-nodes';

/** How siblings are ordered: the tree's own order is heaviest total first. */
export interface SiblingOrder {
  column: 'total' | 'self' | 'calls' | 'name';
  ascending: boolean;
}

/** The rows shown: the roots, and the children of each open row below it, siblings in `order`. No recursion. */
export function visibleRows(
  nodes: TreeNodes,
  open: Set<number>,
  order: SiblingOrder,
  label: (frame: number) => string,
  calls: (frame: number) => number = () => 0,
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
            : null;
    if (key) ids.sort((a, b) => key(a) - key(b));
    else ids.sort((a, b) => label(nodes.frame(a)).localeCompare(label(nodes.frame(b))));
    if (!order.ascending) ids.reverse();
    return ids;
  };
  const rows: number[] = [];
  const todo: number[] = [];
  const push = (kids: ArrayLike<number>) => {
    for (let k = kids.length - 1; k >= 0; k--) todo.push(kids[k]);
  };
  push(ordered(nodes.children(-1)));
  while (todo.length) {
    const v = todo.pop()!;
    rows.push(v);
    if (open.has(v)) push(ordered(nodes.children(v)));
  }
  return rows;
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
