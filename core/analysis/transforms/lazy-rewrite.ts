import { grown } from '../../model/builders';
import type { CallTree } from '../../model/profile';
import { PlacingNodes } from './placing-nodes';
import { DROPPED, type NodeWriter } from './rewrite-tree';
import type { Rewrite } from './transforms';

/** Room for the nodes a first screen places (the flame graph's first frame: about 15,000), so that it does not grow. */
export const START = 1 << 14;
const NOT_YET = 0x7fffffff;

/**
 * A transform's tree made only as far as it is looked at: a node's children are placed by the
 * transform's rule when they are first asked for, from the nodes of the source tree that went to
 * the node. Node for node it is `rewriteTree`'s result, siblings in the same order, for a rule that
 * puts every node at its parent's place or at a child of it (`localRewrite`), or that collapses a
 * function's recursion (its calls below the outermost read at the outermost's place); its weights are
 * `rewriteTree`'s where the source's are whole numbers (sums of them do not depend on their order),
 * else they may differ in the last bits.
 *
 * Nodes live in typed arrays and the source nodes waiting at them in one pooled list, so that
 * placing the nodes a first screen asks for allocates little and runs the same shapes every time.
 */
export class LazyRewrite extends PlacingNodes implements NodeWriter {
  private readonly source: CallTree;
  /** Each source node's total without the subtrees the rule leaves out. */
  private readonly kept: (node: number) => number;
  /**
   * Collapsing recursion: the frames of the function, whether each node is at or below the place
   * of its outermost calls, and each source node's total less those of the calls below it (which
   * go to that place).
   */
  private readonly recursion: Uint8Array | undefined;
  private inside: Uint8Array;
  private readonly below: Float64Array | null;
  private readonly ranked = (a: number, b: number) =>
    this.totals[b] - this.totals[a] || this.firsts[a] - this.firsts[b];

  /** `room`: nodes to make room for at first, a power of two (more are made room for as needed). */
  constructor(
    private readonly rewrite: Rewrite,
    room = START,
  ) {
    // `rewriteTree` makes nodes in the order of the first source node (a preorder index) placed at
    // each and ranks siblings of equal weight by it.
    super(room, NOT_YET);
    const { tree } = rewrite.profile;
    this.source = tree;
    this.kept = rewrite.dropped ? keptTotals(tree, rewrite.dropped) : (node) => tree.total[node];
    this.recursion = rewrite.recursion;
    this.inside = new Uint8Array(this.recursion ? room : 0);
    this.below = this.recursion ? callsBelow(tree, this.recursion) : null;
  }

  /** Places the children of the source nodes at `node` (-1: the roots) and those merged into it, in one loop. */
  protected list(node: number): Int32Array {
    const src = this.source;
    const { waiting } = this;
    this.madeCount = 0;
    const rootFrames = node < 0 ? this.rewrite.rootFrames : undefined;
    // The outermost nodes of those frames found by a scan that steps over their subtrees, instead
    // of placing every node outside them nowhere one by one.
    if (rootFrames) {
      for (let i = 0; i < src.count;)
        if (!rootFrames[src.frame[i]]) i++;
        else {
          this.put(i, node);
          i += src.size[i];
        }
    } else if (node < 0) for (let r = 0; r < src.count; r += src.size[r]) this.put(r, node);
    const { recursion } = this;
    // Below the place of a function's outermost calls, its calls are read at that place.
    const skipped = recursion && node >= 0 && this.inside[node] ? recursion : null;
    if (skipped && skipped[this.frames[node]]) this.gatherCalls(node);
    let self = 0;
    // Nodes merged into `node` join its list while it is read.
    for (let e = waiting.heads[node + 1]; e >= 0; e = waiting.next[e]) {
      const s = waiting.value[e];
      self += src.self[s];
      for (let c = s + 1, end = s + src.size[s]; c < end; c += src.size[c])
        if (!skipped?.[src.frame[c]]) this.put(c, node);
    }
    waiting.heads[node + 1] = -1;
    const kids = this.keep(node, this.ranked);
    if (node >= 0) this.selfs[node] = self;
    return kids;
  }

  /** Places source node `c`, read below `node`: at `node` itself (read in the same loop) or at a child of it. */
  private put(c: number, node: number): void {
    // A node whose every sample was dropped is left out, as `rewriteTree` leaves it (sums of
    // fractional weights less their dropped parts may miss zero by the last bits).
    if (this.rewrite.dropped && this.kept(c) <= this.source.total[c] * 1e-12 && this.source.total[c] > 0) return;
    const to = this.rewrite.place(c, node, this);
    if (to === DROPPED) return;
    if (to !== node) {
      if (this.waiting.heads[to + 1] < 0) this.madeNow(to);
      const { recursion } = this;
      const inside = recursion !== undefined && node >= 0 && this.inside[node] === 1;
      this.totals[to] += inside ? this.source.total[c] - this.below![c] : this.kept(c);
      if (c < this.firsts[to]) this.firsts[to] = c;
      if (recursion) this.inside[to] = inside ? 1 : recursion[this.source.frame[c]];
    }
    this.waiting.add(to + 1, c);
  }

  /**
   * The place of a function's outermost calls: every call of it below them, at any depth, joins
   * them there (found by one scan of their subtrees), so that its weight and callees are read there.
   */
  private gatherCalls(node: number): void {
    const src = this.source;
    const { waiting } = this;
    const recursion = this.recursion!;
    const outer: number[] = [];
    for (let e = waiting.heads[node + 1]; e >= 0; e = waiting.next[e]) outer.push(waiting.value[e]);
    for (const s of outer)
      for (let c = s + 1, end = s + src.size[s]; c < end; c++) if (recursion[src.frame[c]]) waiting.add(node + 1, c);
  }

  protected growNodes(): void {
    super.growNodes();
    if (this.recursion) this.inside = grown(this.inside);
  }
}

/** For each node, the totals of the nodes of `frames` below it with none of them between: one pass from the leaves up. */
function callsBelow(tree: CallTree, frames: Uint8Array): Float64Array {
  const below = new Float64Array(tree.count);
  for (let i = tree.count - 1; i > 0; i--) {
    const up = tree.parent[i];
    if (up >= 0) below[up] += frames[tree.frame[i]] ? tree.total[i] : below[i];
  }
  return below;
}

/**
 * Each node's total without the subtrees of `dropped` frames, for a node with none above it: its
 * total less those of the outermost dropped nodes in its range of the preorder. They are found by
 * one scan of the frames that steps over their subtrees; a node's share is two binary searches.
 * Exact on whole-number weights.
 */
function keptTotals(tree: CallTree, dropped: Uint8Array): (node: number) => number {
  const at: number[] = [];
  const before: number[] = [0];
  for (let i = 0; i < tree.count;) {
    if (!dropped[tree.frame[i]]) {
      i++;
      continue;
    }
    at.push(i);
    before.push(before[before.length - 1] + tree.total[i]);
    i += tree.size[i];
  }
  const firstFrom = (node: number) => {
    let lo = 0,
      hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid] < node) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (node) => tree.total[node] - (before[firstFrom(node + tree.size[node])] - before[firstFrom(node)]);
}
