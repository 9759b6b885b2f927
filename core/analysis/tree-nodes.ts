import type { CallTree } from '../model/profile';

/**
 * A call tree as the call tree view walks it: node ids, children asked for when a row is opened.
 * The top-down tree has them all already; the inverted one makes them as they are asked for.
 */
export interface TreeNodes {
  /** The children of `node` (-1: the roots), heaviest first. */
  children(node: number): Int32Array;
  /** Whether `node` has children, without making them. */
  hasChildren(node: number): boolean;
  parent(node: number): number;
  depth(node: number): number;
  frame(node: number): number;
  total(node: number): number;
  self(node: number): number;
}

/** The nodes of a preorder call tree. */
export function topDown(tree: CallTree): TreeNodes {
  return {
    children(node) {
      const from = node + 1;
      const to = node < 0 ? tree.count : node + tree.size[node];
      let n = 0;
      for (let c = from; c < to; c += tree.size[c]) n++;
      const out = new Int32Array(n);
      n = 0;
      for (let c = from; c < to; c += tree.size[c]) out[n++] = c;
      return out;
    },
    hasChildren: (node) => tree.size[node] > 1,
    parent: (node) => tree.parent[node],
    depth: (node) => tree.depth[node],
    frame: (node) => tree.frame[node],
    total: (node) => tree.total[node],
    self: (node) => tree.self[node],
  };
}
