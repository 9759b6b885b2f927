import type { CallTree, FrameTable, Profile } from '../model/profile';
import { functionOf } from './function-of';
import { saysLine, summedLines, type Lines } from './node-lines';
import type { TreeNodes } from './tree-nodes';
import { LazyRewrite } from './transforms/lazy-rewrite';
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
export function quickCallTree(p: Profile, t: Transform): QuickCallTree | null {
  if (p.callsPending || !wholeWeights(p.tree)) return null;
  const rewrite = localRewrite(p, t);
  if (!rewrite) return null;
  const { profile } = rewrite;
  const byLine = new LazyRewrite(rewrite);
  // The rewritten profile has no pstats table, so its functions are found by file and name.
  if (profile.treeIsEstimate) return { profile, nodes: byLine, byLine, lines: () => null };
  const byFunction = new ByFunction(byLine, functionOf({ strings: profile.strings, frames: profile.frames }));
  return { profile, nodes: byFunction, byLine, lines: (node) => byFunction.lines(node, profile.frames) };
}

const whole = new WeakMap<CallTree, boolean>();

/** Whether every self weight is a whole number and their sum exact: then sums in any order agree to the bit. */
function wholeWeights(tree: CallTree): boolean {
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
 * (which `functionTree` ranks equal siblings by), its nodes kept in that preorder.
 */
class ByFunction implements TreeNodes {
  private readonly parents: number[] = [];
  private readonly frames: number[] = [];
  private readonly depths: number[] = [];
  private readonly totals: number[] = [];
  private readonly selfs: number[] = [];
  /** The nodes of the tree by line that went to each node, in that tree's preorder. */
  private readonly members: number[][] = [];
  private readonly kids: (Int32Array | undefined)[] = [];
  private rootKids: Int32Array | null = null;

  constructor(
    private readonly byLine: TreeNodes,
    private readonly fn: Int32Array,
  ) {}

  children(node: number): Int32Array {
    const known = node < 0 ? this.rootKids : this.kids[node];
    if (known) return known;
    const { byLine, fn } = this;
    const made = new Map<number, number>();
    const add = (c: number) => {
      const f = fn[byLine.frame(c)];
      let id = made.get(f);
      if (id === undefined) {
        id = this.frames.length;
        made.set(f, id);
        this.parents.push(node);
        this.frames.push(f);
        this.depths.push(node < 0 ? 0 : this.depths[node] + 1);
        this.totals.push(0);
        this.selfs.push(NaN);
        this.members.push([]);
        this.kids.push(undefined);
      }
      this.members[id].push(c);
      this.totals[id] += byLine.total(c);
    };
    if (node < 0) for (const c of byLine.children(-1)) add(c);
    else for (const m of this.members[node]) for (const c of byLine.children(m)) add(c);
    // Ids are given in the order of first reach, so equal totals keep it.
    const kids = Int32Array.from(made.values()).sort((a, b) => this.totals[b] - this.totals[a] || a - b);
    if (node < 0) this.rootKids = kids;
    else this.kids[node] = kids;
    return kids;
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
      for (const m of this.members[node]) s += this.byLine.self(m);
      this.selfs[node] = s;
    }
    return this.selfs[node];
  }

  lines(node: number, frames: FrameTable): Lines | null {
    const { byLine } = this;
    const members = this.members[node];
    if (!members.some((m) => saysLine(frames, byLine.frame(m)))) return null;
    return summedLines(frames, (add) => {
      for (const m of members) add(byLine.frame(m), byLine.self(m), byLine.total(m));
    });
  }
}
