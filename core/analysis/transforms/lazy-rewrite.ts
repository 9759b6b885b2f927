import { grown, slotOf } from '../../model/builders';
import type { CallTree } from '../../model/profile';
import type { TreeNodes } from '../tree-nodes';
import { DROPPED, type NodeWriter } from './rewrite-tree';
import type { Rewrite } from './transforms';

/** Room for the nodes a first screen places (the flame graph's first frame: about 15,000), so that it does not grow. */
export const START = 1 << 14;
const NOT_YET = 0x7fffffff;

/**
 * A transform's tree made only as far as it is looked at: a node's children are placed by the
 * transform's rule when they are first asked for, from the nodes of the source tree that went to
 * the node. Node for node it is `rewriteTree`'s result, siblings in the same order, for a rule that
 * puts every node at its parent's place or at a child of it (`localRewrite`) and a source whose
 * weights are whole numbers (sums of them do not depend on their order).
 *
 * Nodes live in typed arrays and the source nodes waiting at them in one pooled list, so that
 * placing the nodes a first screen asks for allocates little and runs the same shapes every time.
 */
export class LazyRewrite implements NodeWriter, TreeNodes {
  private count = 0;
  private parents: Int32Array;
  private frames: Int32Array;
  private depths: Int32Array;
  private totals: Float64Array;
  private selfs: Float64Array;
  /**
   * The first source node placed at each node (a preorder index): `rewriteTree` makes nodes in
   * that order and ranks siblings of equal weight by it.
   */
  private firsts: Int32Array;
  /** 1 + the index in `placed` of a node's children once they are placed, 0 before. */
  private placedAt: Int32Array;
  private readonly placed: Int32Array[] = [];
  private rootKids: Int32Array | null = null;
  /**
   * The source nodes placed at each node from its parent's place, their subtrees not yet read: a
   * list per node (index node + 1, the roots' first) of entries in one pool, first and last kept.
   */
  private heads: Int32Array;
  private tails: Int32Array;
  private entryNode: Int32Array;
  private entryNext: Int32Array;
  private entries = 0;
  /** Node ids by hash of (parent, frame); -1 is empty. */
  private slots: Int32Array;
  /** The children being placed, before they are ranked. */
  private made: Int32Array;
  private madeCount = 0;
  private readonly source: CallTree;
  /** Each source node's total without the subtrees the rule leaves out. */
  private readonly kept: (node: number) => number;
  private readonly ranked = (a: number, b: number) =>
    this.totals[b] - this.totals[a] || this.firsts[a] - this.firsts[b];

  /** `room`: nodes to make room for at first, a power of two (more are made room for as needed). */
  constructor(
    private readonly rewrite: Rewrite,
    room = START,
  ) {
    this.parents = new Int32Array(room);
    this.frames = new Int32Array(room);
    this.depths = new Int32Array(room);
    this.totals = new Float64Array(room);
    this.selfs = new Float64Array(room);
    this.firsts = new Int32Array(room);
    this.placedAt = new Int32Array(room);
    this.heads = new Int32Array(room + 1).fill(-1);
    this.tails = new Int32Array(room + 1);
    this.entryNode = new Int32Array(4 * room);
    this.entryNext = new Int32Array(4 * room);
    this.slots = new Int32Array(4 * room).fill(-1);
    this.made = new Int32Array(room);
    const { tree } = rewrite.profile;
    this.source = tree;
    this.kept = rewrite.dropped ? keptTotals(tree, rewrite.dropped) : (node) => tree.total[node];
  }

  step(node: number, frame: number): number {
    const at = slotOf(this.slots, this.parents, this.frames, node, frame);
    const known = this.slots[at];
    if (known >= 0) return known;
    const id = this.count++;
    if (id === this.parents.length) this.growNodes();
    this.parents[id] = node;
    this.frames[id] = frame;
    this.depths[id] = node < 0 ? 0 : this.depths[node] + 1;
    this.firsts[id] = NOT_YET;
    if (2 * this.count > this.slots.length) this.rehash();
    else this.slots[at] = id;
    return id;
  }

  frameOf(node: number): number {
    return this.frames[node];
  }

  children(node: number): Int32Array {
    if (node < 0) return this.rootKids ?? this.place(node);
    const at = this.placedAt[node];
    return at > 0 ? this.placed[at - 1] : this.place(node);
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
    if (this.placedAt[node] === 0) this.place(node);
    return this.selfs[node];
  }

  /** Places the children of the source nodes at `node` (-1: the roots) and those merged into it, in one loop. */
  private place(node: number): Int32Array {
    const src = this.source;
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
    let self = 0;
    // Nodes merged into `node` join its list while it is read.
    for (let e = this.heads[node + 1]; e >= 0; e = this.entryNext[e]) {
      const s = this.entryNode[e];
      self += src.self[s];
      for (let c = s + 1, end = s + src.size[s]; c < end; c += src.size[c]) this.put(c, node);
    }
    this.heads[node + 1] = -1;
    const kids = this.made.slice(0, this.madeCount).sort(this.ranked);
    if (node < 0) this.rootKids = kids;
    else {
      this.placed.push(kids);
      this.placedAt[node] = this.placed.length;
      this.selfs[node] = self;
    }
    return kids;
  }

  /** Places source node `c`, read below `node`: at `node` itself (read in the same loop) or at a child of it. */
  private put(c: number, node: number): void {
    const to = this.rewrite.place(c, node, this);
    if (to === DROPPED) return;
    if (to !== node) {
      if (this.heads[to + 1] < 0) {
        if (this.madeCount === this.made.length) this.made = grown(this.made);
        this.made[this.madeCount++] = to;
      }
      this.totals[to] += this.kept(c);
      if (c < this.firsts[to]) this.firsts[to] = c;
    }
    this.enqueue(to, c);
  }

  private enqueue(node: number, c: number): void {
    const e = this.entries++;
    if (e === this.entryNode.length) {
      this.entryNode = grown(this.entryNode);
      this.entryNext = grown(this.entryNext);
    }
    this.entryNode[e] = c;
    this.entryNext[e] = -1;
    if (this.heads[node + 1] < 0) this.heads[node + 1] = e;
    else this.entryNext[this.tails[node + 1]] = e;
    this.tails[node + 1] = e;
  }

  private rehash(): void {
    this.slots = new Int32Array(2 * this.slots.length).fill(-1);
    for (let id = 0; id < this.count; id++)
      this.slots[slotOf(this.slots, this.parents, this.frames, this.parents[id], this.frames[id])] = id;
  }

  private growNodes(): void {
    this.parents = grown(this.parents);
    this.frames = grown(this.frames);
    this.depths = grown(this.depths);
    this.totals = grown(this.totals);
    this.selfs = grown(this.selfs);
    this.firsts = grown(this.firsts);
    this.placedAt = grown(this.placedAt);
    const heads = grown(this.heads);
    heads.fill(-1, this.heads.length);
    this.heads = heads;
    this.tails = grown(this.tails);
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
