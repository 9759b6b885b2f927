import type { CallTree } from '../../model/profile';
import type { TreeNodes } from '../tree-nodes';
import { DROPPED, type NodeWriter } from './rewrite-tree';
import type { Rewrite } from './transforms';

/**
 * A transform's tree made only as far as it is looked at: a node's children are placed by the
 * transform's rule when they are first asked for, from the nodes of the source tree that went to
 * the node. Node for node it is `rewriteTree`'s result, siblings in the same order, for a rule that
 * puts every node at its parent's place or at a child of it (`localRewrite`) and a source whose
 * weights are whole numbers (sums of them do not depend on their order).
 */
export class LazyRewrite implements NodeWriter, TreeNodes {
  private readonly parents: number[] = [];
  private readonly frames: number[] = [];
  private readonly depths: number[] = [];
  private readonly totals: number[] = [];
  /** NaN until the node's children are placed: merged nodes below it add to it. */
  private readonly selfs: number[] = [];
  /**
   * The first source node placed at each node (a preorder index): `rewriteTree` makes nodes in
   * that order and ranks siblings of equal weight by it.
   */
  private readonly firsts: number[] = [];
  /** The source nodes placed at each node from its parent's place, their subtrees not yet read. */
  private readonly entries: number[][] = [];
  private readonly kids: (Int32Array | undefined)[] = [];
  private rootKids: Int32Array | null = null;
  private readonly ids = new Map<number, number>();
  private readonly source: CallTree;
  /** Each source node's total without the subtrees the rule leaves out. */
  private readonly kept: (node: number) => number;
  /** Keys of (node, frame) pairs are `(node + 1) * frameSlots + frame`. */
  private readonly frameSlots: number;

  constructor(private readonly rewrite: Rewrite) {
    const { tree, frames } = rewrite.profile;
    this.source = tree;
    this.kept = rewrite.dropped ? keptTotals(tree, rewrite.dropped) : (node) => tree.total[node];
    this.frameSlots = frames.count;
  }

  step(node: number, frame: number): number {
    const key = (node + 1) * this.frameSlots + frame;
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    id = this.frames.length;
    this.ids.set(key, id);
    this.parents.push(node);
    this.frames.push(frame);
    this.depths.push(node < 0 ? 0 : this.depths[node] + 1);
    this.totals.push(0);
    this.selfs.push(NaN);
    this.firsts.push(Infinity);
    this.entries.push([]);
    this.kids.push(undefined);
    return id;
  }

  frameOf(node: number): number {
    return this.frames[node];
  }

  children(node: number): Int32Array {
    return (node < 0 ? this.rootKids : this.kids[node]) ?? this.place(node);
  }

  hasChildren(node: number): boolean {
    return this.children(node).length > 0;
  }

  parent(node: number): number {
    return this.parents[node];
  }

  depth(node: number): number {
    return this.depths[node];
  }

  frame(node: number): number {
    return this.frames[node];
  }

  total(node: number): number {
    return this.totals[node];
  }

  self(node: number): number {
    if (Number.isNaN(this.selfs[node])) this.place(node);
    return this.selfs[node];
  }

  /** Places the children of the source nodes at `node` (-1: the roots) and those merged into it, in one loop. */
  private place(node: number): Int32Array {
    const { source: src, kept } = this;
    const made: number[] = [];
    const at: number[] = node < 0 ? [] : this.entries[node];
    if (node >= 0) this.entries[node] = [];
    let self = 0;
    const put = (c: number) => {
      const to = this.rewrite.place(c, node, this);
      if (to === DROPPED) return;
      if (to === node) return void at.push(c);
      if (!this.entries[to].length) made.push(to);
      this.entries[to].push(c);
      this.totals[to] += kept(c);
      if (c < this.firsts[to]) this.firsts[to] = c;
    };
    const rootFrames = node < 0 ? this.rewrite.rootFrames : undefined;
    // The outermost nodes of those frames found by a scan that steps over their subtrees, instead
    // of placing every node outside them nowhere one by one.
    if (rootFrames) {
      for (let i = 0; i < src.count;)
        if (!rootFrames[src.frame[i]]) i++;
        else {
          put(i);
          i += src.size[i];
        }
    } else if (node < 0) for (let r = 0; r < src.count; r += src.size[r]) put(r);
    for (let k = 0; k < at.length; k++) {
      const s = at[k];
      self += src.self[s];
      for (let c = s + 1, end = s + src.size[s]; c < end; c += src.size[c]) put(c);
    }
    const { totals, firsts } = this;
    made.sort((a, b) => totals[b] - totals[a] || firsts[a] - firsts[b]);
    const kids = Int32Array.from(made);
    if (node < 0) this.rootKids = kids;
    else {
      this.kids[node] = kids;
      this.selfs[node] = self;
    }
    return kids;
  }
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
