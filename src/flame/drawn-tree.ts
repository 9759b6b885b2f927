import type { CallTree } from '~/core/model/profile';
import type { TreeNodes } from '~/core/analysis/tree-nodes';

/** Nodes narrower than this many pixels are not drawn one by one: their subtrees are skipped. */
export const MIN_WIDTH_PX = 0.4;

/**
 * The part of a tree a flame graph up to `widthPx` wide draws unzoomed, as a preorder tree: every
 * node's children listed where it is `MIN_WIDTH_PX` wide or more (less a millionth, far more than
 * the rounding in where boxes start), the others leaves. Its nodes are the drawn tree's in the same
 * order, at the same places: ten thousand or so of a million.
 */
export function drawnTree(nodes: TreeNodes, widthPx: number): CallTree {
  const roots = nodes.children(-1);
  let sum = 0;
  for (const r of roots) sum += nodes.total(r);
  const least = MIN_WIDTH_PX * (1 - 1e-6) * (sum / widthPx);
  const parent: number[] = [],
    frame: number[] = [],
    depth: number[] = [],
    self: number[] = [],
    total: number[] = [];
  /** Pairs of (node, its parent's index in the drawn tree), the next to visit last. */
  const todo: number[] = [];
  for (let k = roots.length - 1; k >= 0; k--) todo.push(roots[k], -1);
  while (todo.length) {
    const up = todo.pop()!,
      node = todo.pop()!;
    const at = frame.length;
    parent.push(up);
    frame.push(nodes.frame(node));
    depth.push(up < 0 ? 0 : depth[up] + 1);
    total.push(nodes.total(node));
    if (nodes.total(node) < least) {
      // Not drawn one by one, nor what is below it: its own weight is not asked for.
      self.push(NaN);
      continue;
    }
    self.push(nodes.self(node));
    const kids = nodes.children(node);
    for (let k = kids.length - 1; k >= 0; k--) todo.push(kids[k], at);
  }
  const count = frame.length;
  const size = new Int32Array(count).fill(1);
  for (let i = count - 1; i > 0; i--) if (parent[i] >= 0) size[parent[i]] += size[i];
  return {
    count,
    parent: Int32Array.from(parent),
    frame: Int32Array.from(frame),
    depth: Int32Array.from(depth),
    size,
    self: Float64Array.from(self),
    total: Float64Array.from(total),
  };
}
