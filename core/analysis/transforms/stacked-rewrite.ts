import type { LazyNodes } from '../lazy-nodes';
import { PlacingNodes } from './placing-nodes';
import { DROPPED, type NodeWriter } from './rewrite-tree';
import type { Rewrite } from './transforms';

/**
 * A transform applied to a tree made as far as it is looked at (another transform's, whose whole
 * result has not come): node for node `rewriteTree` applied to that tree's whole result, siblings in
 * the same order, for a rule that puts every node at its parent's place or at a child of it and
 * reads nothing of a node but its frame (merging a function, collapsing its direct recursion, runs
 * of files or of library code, hiding library code). A node's children are placed from the nodes
 * of the tree below that went to it, when first asked for; its total is the sum of theirs.
 */
export class StackedRewrite extends PlacingNodes implements NodeWriter {
  private readonly ranked = (a: number, b: number) =>
    this.totals[b] - this.totals[a] || this.preorder(this.firsts[a], this.firsts[b]);

  constructor(
    private readonly below: LazyNodes,
    private readonly rewrite: Rewrite,
    room: number,
  ) {
    // The node below with the first place in that tree's preorder, of those placed at each node:
    // equal siblings are ranked by it.
    super(room, -1);
  }

  protected list(node: number): Int32Array {
    const { below, waiting } = this;
    this.madeCount = 0;
    if (node < 0) for (const r of below.children(-1)) this.put(r, node);
    let self = 0;
    // Nodes merged into `node` join its list while it is read.
    for (let e = waiting.heads[node + 1]; e >= 0; e = waiting.next[e]) {
      const s = waiting.value[e];
      self += below.self(s);
      const kids = below.children(s);
      for (let k = 0; k < kids.length; k++) this.put(kids[k], node);
    }
    waiting.heads[node + 1] = -1;
    const kids = this.keep(node, this.ranked);
    if (node >= 0) this.selfs[node] = self;
    return kids;
  }

  /** Places node `c` of the tree below, read below `node`: at `node` itself (read in the same loop) or at a child of it. */
  private put(c: number, node: number): void {
    const to = this.rewrite.place(c, node, this);
    if (to === DROPPED) return;
    if (to !== node) {
      if (this.waiting.heads[to + 1] < 0) this.madeNow(to);
      this.totals[to] += this.below.total(c);
      if (this.firsts[to] < 0 || this.preorder(c, this.firsts[to]) < 0) this.firsts[to] = c;
    }
    this.waiting.add(to + 1, c);
  }

  /** Negative when node `a` of the tree below comes before `b` in its preorder: an ancestor first, else the earlier sibling's subtree. */
  private preorder(a: number, b: number): number {
    const t = this.below;
    let x = a,
      y = b;
    while (t.depth(x) > t.depth(y)) x = t.parent(x);
    while (t.depth(y) > t.depth(x)) y = t.parent(y);
    if (x === y) return a === b ? 0 : x === a ? -1 : 1;
    while (t.parent(x) !== t.parent(y)) {
      x = t.parent(x);
      y = t.parent(y);
    }
    const siblings = t.children(t.parent(x));
    return siblings.indexOf(x) - siblings.indexOf(y);
  }
}
