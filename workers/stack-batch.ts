import { CallTreeBuilder, GrowableArray, buildPreorder, floats, grown, ints, sortHeaviestFirst, zeroTree } from './builders';
import type { CallTree } from './model';

/**
 * Stacks kept, their frames in one column, up to this many numbers in all (frames, and four for
 * each stack); past it they are merged into a tree as they come, which needs memory only for
 * the tree's nodes.
 */
const KEEP_AT_MOST = 1 << 24;

/**
 * Merges stacks (root first) into a calling-context tree, the same tree `CallTreeBuilder` makes
 * and with the same node order, by keeping them and merging them once, in sorted order: a stack
 * then shares the frames it has in common with the one before, and no node is looked up by
 * hash, which on a large profile costs a memory access that misses the cache per frame.
 */
export class StackBatch {
  private frames = new Int32Array(1 << 16);
  private used = 0;
  private readonly starts = new GrowableArray(ints);
  private readonly weights = new GrowableArray(floats);
  /** Whether every weight is an integer and their sum exact: then sums do not depend on their order. */
  private integral = true;
  private sum = 0;
  /** The tree the stacks go into once they are too many to keep, with each stack's leaf node. */
  private merged: { builder: CallTreeBuilder; leaves: GrowableArray<Int32Array> } | null = null;

  constructor(private readonly keepAtMost = KEEP_AT_MOST) {}

  /** Adds one stack of frame ids, root first; returns its index, which `build` maps to its leaf (-1 for an empty stack). */
  add(stack: ArrayLike<number>, length: number, weight: number): number {
    if (length === 0) return -1;
    if (this.merged) {
      this.merged.leaves.push(this.merged.builder.add(stack, length, weight));
      return this.merged.leaves.length - 1;
    }
    if (this.used + length > this.frames.length) this.frames = grown(this.frames, this.used + length);
    for (let i = 0; i < length; i++) this.frames[this.used + i] = stack[i];
    this.starts.push(this.used);
    this.used += length;
    this.weights.push(weight);
    this.sum += weight;
    if (!Number.isInteger(weight) || this.sum > Number.MAX_SAFE_INTEGER) this.integral = false;
    if (this.used + 4 * this.starts.length > this.keepAtMost) this.mergeKept();
    return this.starts.length - 1;
  }

  /** Adds the stacks given one after another in `ids`, `lengths[i]` frames each (none empty), as `add` adds each. */
  addAll(ids: Int32Array, lengths: Int32Array, weights: Float64Array): void {
    const lines = lengths.length;
    if (this.merged || this.used + ids.length + 4 * (this.starts.length + lines) > this.keepAtMost) {
      for (let i = 0, at = 0; i < lines; at += lengths[i++]) this.add(ids.subarray(at, at + lengths[i]), lengths[i], weights[i]);
      return;
    }
    if (this.used + ids.length > this.frames.length) this.frames = grown(this.frames, this.used + ids.length);
    this.frames.set(ids, this.used);
    for (let i = 0; i < lines; i++) {
      this.starts.push(this.used);
      this.used += lengths[i];
      this.weights.push(weights[i]);
      this.sum += weights[i];
      if (!Number.isInteger(weights[i]) || this.sum > Number.MAX_SAFE_INTEGER) this.integral = false;
    }
  }

  private mergeKept(): void {
    const builder = new CallTreeBuilder(), leaves = new GrowableArray(ints);
    const n = this.starts.length;
    for (let s = 0; s < n; s++) {
      const start = this.starts.get(s), end = s + 1 < n ? this.starts.get(s + 1) : this.used;
      leaves.push(builder.add(this.frames.subarray(start, end), end - start, this.weights.get(s)));
    }
    this.merged = { builder, leaves };
    this.frames = new Int32Array(0);
  }

  /** The tree in preorder (see `buildPreorder`), and for each index `add` returned, its leaf's index in the tree. */
  build(): { tree: CallTree; order: Int32Array } {
    if (this.merged) {
      const { tree, order } = this.merged.builder.build();
      return { tree, order: this.merged.leaves.view().map((leaf) => order[leaf]) };
    }
    const f = this.frames, starts = this.starts.view(), weights = this.weights.view();
    const n = starts.length;
    const end = (s: number) => (s + 1 < n ? starts[s + 1] : this.used);
    const sorted = sortedStacks(f, starts, this.used);

    // How many frames each stack shares with the one before it in that order: the rest are new nodes.
    const shared = new Int32Array(n);
    let count = 0;
    for (let k = 0; k < n; k++) {
      const s = sorted[k], from = starts[s], length = end(s) - from;
      if (k > 0) {
        const before = starts[sorted[k - 1]], most = Math.min(length, end(sorted[k - 1]) - before);
        let same = 0;
        while (same < most && f[from + same] === f[before + same]) same++;
        shared[k] = same;
      }
      count += length - shared[k];
    }

    // The nodes, and the stacks that end at each.
    const parents = new Int32Array(count), frames = new Int32Array(count);
    const selfs = new Float64Array(count);
    const leafOf = new Int32Array(n);
    let path = new Int32Array(256);
    for (let k = 0, next = 0; k < n; k++) {
      const s = sorted[k], from = starts[s], length = end(s) - from;
      if (length > path.length) path = grown(path, length);
      for (let d = shared[k]; d < length; d++, next++) {
        parents[next] = d > 0 ? path[d - 1] : -1;
        frames[next] = f[from + d];
        path[d] = next;
      }
      leafOf[s] = path[length - 1];
      selfs[leafOf[s]] += weights[s];
    }
    // The first stack (in the order they came) that reaches each node, plus one: the least of
    // those that end in its subtree, carried up from the last node to the first, children after
    // parents. Every node is on some stack's path, so none is left 0.
    const first = new Int32Array(count);
    for (let s = 0; s < n; s++) if (first[leafOf[s]] === 0) first[leafOf[s]] = s + 1;
    for (let v = count - 1; v > 0; v--) {
      const p = parents[v];
      if (p >= 0 && (first[p] === 0 || first[v] < first[p])) first[p] = first[v];
    }

    if (this.integral) {
      // Sums of integers come out the same in any order: siblings of equal weight need only be
      // ranked as `CallTreeBuilder` ranks them, by the first stack that reaches each.
      const { tree, order } = relaidPreorder(parents, frames, selfs, first);
      return { tree, order: leafOf.map((leaf) => order[leaf]) };
    }
    // Numbered as `CallTreeBuilder` numbers them, so that sums are made in its order: by the first
    // stack that reaches each, then by depth.
    const bucket = new Int32Array(n + 1);
    for (let v = 0; v < count; v++) bucket[first[v]]++;
    for (let s = 0; s < n; s++) bucket[s + 1] += bucket[s];
    const byFirst = new Int32Array(count);
    for (let v = 0; v < count; v++) byFirst[bucket[first[v] - 1]++] = v;
    const depths = new Int32Array(count);
    for (let v = 0; v < count; v++) depths[v] = parents[v] >= 0 ? depths[parents[v]] + 1 : 0;
    const newId = new Int32Array(count);
    for (let a = 0; a < count; ) {
      let b = a + 1;
      while (b < count && first[byFirst[b]] === first[byFirst[a]]) b++;
      // A stack's own nodes lie on its path, one a depth: a short run to put in depth order.
      for (let i = a + 1; i < b; i++) {
        const v = byFirst[i];
        let j = i - 1;
        for (; j >= a && depths[byFirst[j]] > depths[v]; j--) byFirst[j + 1] = byFirst[j];
        byFirst[j + 1] = v;
      }
      for (let i = a; i < b; i++) newId[byFirst[i]] = i;
      a = b;
    }
    const inOrder = { parent: new Int32Array(count), frame: new Int32Array(count), self: new Float64Array(count) };
    for (let v = 0; v < count; v++) {
      const id = newId[v];
      inOrder.parent[id] = parents[v] >= 0 ? newId[parents[v]] : -1;
      inOrder.frame[id] = frames[v];
      inOrder.self[id] = selfs[v];
    }
    const { tree, order } = buildPreorder(inOrder.parent, inOrder.frame, inOrder.self);
    return { tree, order: leafOf.map((leaf) => order[newId[leaf]]) };
  }
}

/** Ranges of stacks at or below this many are put in order by insertion. */
const INSERTION_SORT_MAX = 12;

/**
 * The indices of the stacks `frames[starts[s], starts[s + 1])` (the last ending at `end`) sorted
 * by their frames, a stack before those it is a prefix of, equal stacks in the order they came.
 * A multikey quicksort: a range of stacks that share their first `d` frames is split three ways
 * by the frame at `d` (a stack that ends there first), and the middle part goes on at `d + 1`, so
 * no comparison reads the frames a range is known to share.
 */
export function sortedStacks(frames: Int32Array, starts: Int32Array, end: number): Int32Array {
  const n = starts.length;
  const sorted = new Int32Array(n), length = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    sorted[s] = s;
    length[s] = (s + 1 < n ? starts[s + 1] : end) - starts[s];
  }
  const key = (s: number, d: number) => (d < length[s] ? frames[starts[s] + d] : -1);
  /** Whether stack `a` goes before stack `b`, given that they share their first `d` frames. */
  const before = (a: number, b: number, d: number) => {
    for (let i = starts[a] + d, j = starts[b] + d, ea = starts[a] + length[a], eb = starts[b] + length[b]; ; i++, j++) {
      if (i === ea || j === eb) return (ea - i - (eb - j) || a - b) < 0;
      if (frames[i] !== frames[j]) return frames[i] < frames[j];
    }
  };
  // Ranges still to sort, as (lo, hi, d) triples.
  let todo = new Int32Array(3 * 64), pending = 0;
  const push = (lo: number, hi: number, d: number) => {
    if (hi - lo < 2) return;
    if (pending + 3 > todo.length) todo = grown(todo, pending + 3);
    todo[pending++] = lo;
    todo[pending++] = hi;
    todo[pending++] = d;
  };
  push(0, n, 0);
  while (pending > 0) {
    const d = todo[--pending], hi = todo[--pending], lo = todo[--pending];
    if (hi - lo <= INSERTION_SORT_MAX) {
      for (let i = lo + 1; i < hi; i++) {
        const s = sorted[i];
        let j = i - 1;
        for (; j >= lo && before(s, sorted[j], d); j--) sorted[j + 1] = sorted[j];
        sorted[j + 1] = s;
      }
      continue;
    }
    const pivot = key(sorted[(lo + hi) >>> 1], d);
    // [lo, lt) below the pivot, [lt, i) equal to it, [gt, hi) above it.
    let lt = lo, i = lo, gt = hi;
    while (i < gt) {
      const k = key(sorted[i], d), s = sorted[i];
      if (k < pivot) {
        sorted[i++] = sorted[lt];
        sorted[lt++] = s;
      } else if (k > pivot) {
        sorted[i] = sorted[--gt];
        sorted[gt] = s;
      } else {
        i++;
      }
    }
    push(lo, lt, d);
    push(gt, hi, d);
    // Stacks that end at `d` are equal: in the order they came.
    if (pivot < 0) sorted.subarray(lt, gt).sort();
    else push(lt, gt, d + 1);
  }
  return sorted;
}

/**
 * The tree `buildPreorder(parent, frame, self, rank)` makes, from nodes already in a preorder
 * (each subtree a run of ids after its root, as the merge of sorted stacks makes them): a node's
 * children are found by stepping over their subtrees, so no lists of children are built.
 */
function relaidPreorder(
  parent: Int32Array,
  frame: Int32Array,
  self: Float64Array,
  rank: Int32Array,
): { tree: CallTree; order: Int32Array } {
  const n = parent.length;
  // Children come after their parent: each node's own share is added once its children's are in
  // (the weights are integers, whose sums do not depend on their order).
  const size = new Int32Array(n), total = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    size[i]++;
    total[i] += self[i];
    const p = parent[i];
    if (p >= 0) {
      size[p] += size[i];
      total[p] += total[i];
    }
  }
  // Where each node goes: its siblings put in order, each after its parent and the subtrees of
  // the siblings before it. Parents come first in the old order, so their place is known.
  const order = new Int32Array(n);
  let siblings = new Int32Array(64);
  const place = (from: number, end: number, at: number) => {
    let k = 0;
    for (let c = from; c < end; c += size[c]) {
      if (k === siblings.length) siblings = grown(siblings);
      siblings[k++] = c;
    }
    if (k > 1) sortHeaviestFirst(siblings, 0, k, total, rank);
    for (let j = 0; j < k; j++) {
      order[siblings[j]] = at;
      at += size[siblings[j]];
    }
  };
  place(0, n, 0);
  for (let v = 0; v < n; v++) {
    // An only child (most nodes of deep stacks) goes right after its parent.
    if (size[v] > 1 && size[v + 1] === size[v] - 1) order[v + 1] = order[v] + 1;
    else if (size[v] > 2) place(v + 1, v + size[v], order[v] + 1);
  }
  const tree = zeroTree(n);
  for (let v = 0; v < n; v++) {
    const at = order[v], p = parent[v];
    tree.parent[at] = p >= 0 ? order[p] : -1;
    tree.frame[at] = frame[v];
    tree.depth[at] = p >= 0 ? tree.depth[order[p]] + 1 : 0;
    tree.size[at] = size[v];
    tree.self[at] = self[v];
    tree.total[at] = total[v];
  }
  return { tree, order };
}
