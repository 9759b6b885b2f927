import type { CallTree } from '~/core/model/profile';
import type { TreeNodes } from '~/core/analysis/tree-nodes';
import { grown } from '~/core/model/builders';

/** Nodes narrower than this many pixels are not drawn one by one: their subtrees are skipped. */
export const MIN_WIDTH_PX = 0.4;

/** Room for the nodes drawn at a wide window's width (about 15,000 on a million-node tree), so that they do not grow. */
const START = 1 << 14;

/**
 * The part of a tree a flame graph up to `widthPx` wide draws unzoomed, as a preorder tree: every
 * node's children listed where it is `MIN_WIDTH_PX` wide or more (less a millionth, far more than
 * the rounding in where boxes start), the others leaves. Its nodes are the drawn tree's in the same
 * order, at the same places: ten thousand or so of a million.
 */
export function drawnTree(
  nodes: TreeNodes,
  widthPx: number,
  /** Nodes to make room for at first (more are made room for as needed). */
  room = START,
): CallTree {
  const roots = nodes.children(-1);
  let sum = 0;
  for (const r of roots) sum += nodes.total(r);
  const least = MIN_WIDTH_PX * (1 - 1e-6) * (sum / widthPx);
  let parent = new Int32Array(room),
    frame = new Int32Array(room),
    depth = new Int32Array(room),
    self = new Float64Array(room),
    total = new Float64Array(room);
  let count = 0;
  /** Pairs of (node, its parent's index in the drawn tree), the next to visit last. */
  let todo = new Int32Array(room);
  let top = 0;
  const push = (node: number, up: number) => {
    if (top + 2 > todo.length) todo = grown(todo);
    todo[top++] = node;
    todo[top++] = up;
  };
  for (let k = roots.length - 1; k >= 0; k--) push(roots[k], -1);
  while (top > 0) {
    const up = todo[--top],
      node = todo[--top];
    const at = count++;
    if (at === parent.length) {
      parent = grown(parent);
      frame = grown(frame);
      depth = grown(depth);
      self = grown(self);
      total = grown(total);
    }
    parent[at] = up;
    frame[at] = nodes.frame(node);
    depth[at] = up < 0 ? 0 : depth[up] + 1;
    total[at] = nodes.total(node);
    if (total[at] < least) {
      // Not drawn one by one, nor what is below it: its own weight is not asked for.
      self[at] = NaN;
      continue;
    }
    self[at] = nodes.self(node);
    const kids = nodes.children(node);
    for (let k = kids.length - 1; k >= 0; k--) push(kids[k], at);
  }
  const size = new Int32Array(count).fill(1);
  for (let i = count - 1; i > 0; i--) if (parent[i] >= 0) size[parent[i]] += size[i];
  return {
    count,
    parent: parent.slice(0, count),
    frame: frame.slice(0, count),
    depth: depth.slice(0, count),
    size,
    self: self.slice(0, count),
    total: total.slice(0, count),
  };
}
