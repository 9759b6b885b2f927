import { grown } from '../model/builders';
import type { CallTree, FrameTable, Profile } from '../model/profile';
import { functionOf } from './function-of';
import { saysLine, summedLines, type Lines } from './node-lines';
import type { TreeNodes } from './tree-nodes';
import { LazyRewrite, START } from './transforms/lazy-rewrite';
import { localRewrite, type Transform } from './transforms/transforms';

/** The call tree view's top-down tree of a transformed profile, made as far as rows are opened. */
export interface QuickCallTree {
  /** The profile the frames are named in: the one transformed, with the frames the transform adds. */
  profile: Profile;
  /** The tree by function: `functionTree(applyTransform(profile, transform)).tree`, row for row. */
  nodes: TreeNodes;
  /** The tree by line: `applyTransform(profile, transform).tree`, node for node, siblings in its order. */
  byLine: TreeNodes;
  /** A node's lines, as the full tree's `NodeLines` gives them (null where it has none). */
  lines(node: number): Lines | null;
}

/**
 * `t` applied to `p` for the call tree alone, in time proportional to the rows opened instead of
 * the tree: null where only the whole rewrite gives the same rows (collapsing any recursion, which
 * moves a node above its parent's place; weights that are not whole numbers; a pstats table whose
 * calls are pending).
 */
export function quickCallTree(
  p: Profile,
  t: Transform,
  /** Nodes to make room for at first, a power of two. */
  room = START,
): QuickCallTree | null {
  if (p.callsPending || !wholeWeights(p.tree)) return null;
  const rewrite = localRewrite(p, t);
  if (!rewrite) return null;
  const { profile } = rewrite;
  const byLine = new LazyRewrite(rewrite, room);
  // The rewritten profile has no pstats table, so its functions are found by file and name.
  if (profile.treeIsEstimate) return { profile, nodes: byLine, byLine, lines: () => null };
  const byFunction = new ByFunction(byLine, functionOf({ strings: profile.strings, frames: profile.frames }), room);
  return { profile, nodes: byFunction, byLine, lines: (node) => byFunction.lines(node, profile.frames) };
}

const whole = new WeakMap<CallTree, boolean>();

/**
 * Whether every self weight is a whole number and their sum exact: then sums in any order agree to the bit.
 * One pass over the weights, remembered per tree: the page asks it when the profile arrives, while idle,
 * so that a transform's frame does not pay for it.
 */
export function wholeWeights(tree: CallTree): boolean {
  let known = whole.get(tree);
  if (known === undefined) {
    let sum = 0;
    known = true;
    for (let i = 0; i < tree.count && known; i++) {
      const w = tree.self[i];
      sum += w;
      known = Number.isInteger(w) && w >= 0;
    }
    known &&= sum <= Number.MAX_SAFE_INTEGER;
    whole.set(tree, known);
  }
  return known;
}

/**
 * The tree by function of a tree whose children are made when asked for: a node's children are its
 * nodes' children grouped by function, in the order the full tree's preorder first reaches them
 * (which `functionTree` ranks equal siblings by), its nodes kept in that preorder. Nodes live in
 * typed arrays and their members in one pooled list, as in `LazyRewrite`.
 */
class ByFunction implements TreeNodes {
  private count = 0;
  private parents: Int32Array;
  private frames: Int32Array;
  private depths: Int32Array;
  private totals: Float64Array;
  /** NaN until asked for. */
  private selfs: Float64Array;
  /** The nodes of the tree by line that went to each node, in that tree's preorder: a pooled list per node. */
  private heads: Int32Array;
  private tails: Int32Array;
  private memberNode: Int32Array;
  private memberNext: Int32Array;
  private members = 0;
  /** 1 + the index in `listed` of a node's children once listed, 0 before. */
  private listedAt: Int32Array;
  private readonly listed: Int32Array[] = [];
  private rootKids: Int32Array | null = null;
  /** While a node's children are listed: the child made for each function, -1 for none yet. */
  private readonly childOf: Int32Array;
  private made: Int32Array;
  private madeCount = 0;
  private readonly ranked = (a: number, b: number) => this.totals[b] - this.totals[a] || a - b;

  constructor(
    private readonly byLine: TreeNodes,
    private readonly fn: Int32Array,
    room: number,
  ) {
    this.parents = new Int32Array(room);
    this.frames = new Int32Array(room);
    this.depths = new Int32Array(room);
    this.totals = new Float64Array(room);
    this.selfs = new Float64Array(room);
    this.heads = new Int32Array(room).fill(-1);
    this.tails = new Int32Array(room);
    this.memberNode = new Int32Array(room);
    this.memberNext = new Int32Array(room);
    this.listedAt = new Int32Array(room);
    this.made = new Int32Array(room);
    let functions = 0;
    for (let i = 0; i < fn.length; i++) functions = Math.max(functions, fn[i] + 1);
    this.childOf = new Int32Array(functions).fill(-1);
  }

  children(node: number): Int32Array {
    if (node < 0) return this.rootKids ?? this.list(node);
    const at = this.listedAt[node];
    return at > 0 ? this.listed[at - 1] : this.list(node);
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
    if (Number.isNaN(this.selfs[node])) {
      let s = 0;
      for (let m = this.heads[node]; m >= 0; m = this.memberNext[m]) s += this.byLine.self(this.memberNode[m]);
      this.selfs[node] = s;
    }
    return this.selfs[node];
  }

  lines(node: number, frames: FrameTable): Lines | null {
    const { byLine } = this;
    let any = false;
    for (let m = this.heads[node]; m >= 0 && !any; m = this.memberNext[m])
      any = saysLine(frames, byLine.frame(this.memberNode[m]));
    if (!any) return null;
    return summedLines(frames, (add) => {
      for (let m = this.heads[node]; m >= 0; m = this.memberNext[m]) {
        const c = this.memberNode[m];
        add(byLine.frame(c), byLine.self(c), byLine.total(c));
      }
    });
  }

  private list(node: number): Int32Array {
    this.madeCount = 0;
    if (node < 0) this.addAll(-1, node);
    else for (let m = this.heads[node]; m >= 0; m = this.memberNext[m]) this.addAll(this.memberNode[m], node);
    for (let k = 0; k < this.madeCount; k++) this.childOf[this.frames[this.made[k]]] = -1;
    // Ids are given in the order of first reach, so equal totals keep it.
    const kids = this.made.slice(0, this.madeCount).sort(this.ranked);
    if (node < 0) this.rootKids = kids;
    else {
      this.listed.push(kids);
      this.listedAt[node] = this.listed.length;
    }
    return kids;
  }

  /** Adds the children of `of` in the tree by line to the children of `node` by function. */
  private addAll(of: number, node: number): void {
    const { byLine } = this;
    const kids = byLine.children(of);
    for (let k = 0; k < kids.length; k++) {
      const c = kids[k];
      const f = this.fn[byLine.frame(c)];
      let id = this.childOf[f];
      if (id < 0) id = this.childOf[f] = this.make(node, f);
      this.addMember(id, c);
      this.totals[id] += byLine.total(c);
    }
  }

  private make(node: number, f: number): number {
    const id = this.count++;
    if (id === this.parents.length) this.growNodes();
    this.parents[id] = node;
    this.frames[id] = f;
    this.depths[id] = node < 0 ? 0 : this.depths[node] + 1;
    this.selfs[id] = NaN;
    if (this.madeCount === this.made.length) this.made = grown(this.made);
    this.made[this.madeCount++] = id;
    return id;
  }

  private addMember(node: number, c: number): void {
    const m = this.members++;
    if (m === this.memberNode.length) {
      this.memberNode = grown(this.memberNode);
      this.memberNext = grown(this.memberNext);
    }
    this.memberNode[m] = c;
    this.memberNext[m] = -1;
    if (this.heads[node] < 0) this.heads[node] = m;
    else this.memberNext[this.tails[node]] = m;
    this.tails[node] = m;
  }

  private growNodes(): void {
    this.parents = grown(this.parents);
    this.frames = grown(this.frames);
    this.depths = grown(this.depths);
    this.totals = grown(this.totals);
    this.selfs = grown(this.selfs);
    this.listedAt = grown(this.listedAt);
    const heads = grown(this.heads);
    heads.fill(-1, this.heads.length);
    this.heads = heads;
    this.tails = grown(this.tails);
  }
}
