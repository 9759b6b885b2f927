import type { CallTree } from '~/core/model/profile';

/**
 * Where each node starts on the weight axis: roots side by side from 0, children side by side
 * from their parent's start; a node's children found by stepping over their subtrees. For a
 * whole tree at once (an SVG export): the flame graph finds starts as it walks.
 */
export function nodeStarts(tree: CallTree): Float64Array {
  const { count, size, total } = tree;
  const start = new Float64Array(count);
  let x = 0;
  for (let r = 0; r < count; r += size[r]) {
    start[r] = x;
    x += total[r];
  }
  // A node's children are the runs after it, each as long as its subtree.
  for (let i = 0; i < count; i++) {
    x = start[i];
    for (let c = i + 1, end = i + size[i]; c < end; c += size[c]) {
      start[c] = x;
      x += total[c];
    }
  }
  return start;
}

export function treeTotal(tree: CallTree): number {
  let t = 0;
  for (let i = 0; i < tree.count; i += tree.size[i]) t += tree.total[i];
  return t;
}

export function maxDepth(tree: CallTree): number {
  let d = 0;
  for (let i = 0; i < tree.count; i++) if (tree.depth[i] > d) d = tree.depth[i];
  return tree.count ? d + 1 : 0;
}

/**
 * Where one node starts (as `nodeStarts` has it, sums made in the same order): its parent's start
 * and the totals of the siblings before it.
 */
export function nodeStart(tree: CallTree, node: number): number {
  let x = 0;
  for (const n of pathTo(tree, node)) {
    for (let s = tree.parent[n] < 0 ? 0 : tree.parent[n] + 1; s < n; s += tree.size[s]) x += tree.total[s];
  }
  return x;
}

/** The node at weight position x and the given depth, or -1. Descends from the roots, adding up starts as it goes. */
export function nodeAt(tree: CallTree, x: number, depth: number): number {
  let i = 0,
    start = 0;
  let end = tree.count;
  while (i < end) {
    if (x >= start && x < start + tree.total[i]) {
      if (tree.depth[i] === depth) return i;
      // The first child starts where its parent does.
      end = i + tree.size[i];
      i++;
    } else {
      start += tree.total[i];
      i += tree.size[i];
    }
  }
  return -1;
}

/** Ancestors of a node, root first, ending with the node. */
export function pathTo(tree: CallTree, node: number): number[] {
  const path: number[] = [];
  for (let i = node; i >= 0; i = tree.parent[i]) path.push(i);
  return path.reverse();
}

/**
 * Marks the nodes whose frame matches, and sums the weight they cover with nested matches
 * counted once (a matching subtree is not looked into again).
 */
export function searchTree(tree: CallTree, frameMatches: Uint8Array): { matched: Uint8Array; weight: number } {
  const matched = new Uint8Array(tree.count);
  let weight = 0;
  for (let i = 0; i < tree.count;) {
    if (frameMatches[tree.frame[i]]) {
      weight += tree.total[i];
      const end = i + tree.size[i];
      for (let k = i; k < end; k++) if (frameMatches[tree.frame[k]]) matched[k] = 1;
      i = end;
    } else {
      i++;
    }
  }
  return { matched, weight };
}

/** The frames from a root down to a node: what a node is, apart from where one tree keeps it. */
export function framePath(tree: CallTree, node: number): number[] {
  return pathTo(tree, node).map((n) => tree.frame[n]);
}

/** The node a frame path leads to from the roots (the first, should two siblings share a frame), or -1. */
export function nodeOfFramePath(tree: CallTree, frames: readonly number[]): number {
  let node = -1;
  for (const f of frames) {
    const from = node + 1,
      end = node < 0 ? tree.count : node + tree.size[node];
    node = -1;
    for (let i = from; i < end; i += tree.size[i])
      if (tree.frame[i] === f) {
        node = i;
        break;
      }
    if (node < 0) return -1;
  }
  return node;
}

/** The match a search shows first: the shallowest, the widest of those; -1 when nothing matches. */
export function firstMatch(tree: CallTree, matched: Uint8Array): number {
  let best = -1;
  for (let i = 0; i < tree.count; i++)
    if (
      matched[i] &&
      (best < 0 ||
        tree.depth[i] < tree.depth[best] ||
        (tree.depth[i] === tree.depth[best] && tree.total[i] > tree.total[best]))
    )
      best = i;
  return best;
}
