import type { CallTree, FrameTable, Profile } from '../model/profile';
import { functionOf } from './function-of';
import { saysLine, summedLines, type Lines } from './node-lines';
import type { TreeNodes } from './tree-nodes';
import { LazyNodes, PooledLists } from './lazy-nodes';
import { LazyRewrite, START } from './transforms/lazy-rewrite';
import { StackedRewrite } from './transforms/stacked-rewrite';
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
  /**
   * Whether its numbers are the whole rewrite's to the bit: its weights are whole numbers. Else its
   * sums, made in another order, may differ in the last bits until `withWholeNumbers` gives the
   * worker's on the same rows.
   */
  exact: boolean;
}

/**
 * `t` applied to `p` for the call tree alone, in time proportional to the rows opened instead of
 * the tree: null where only the whole rewrite gives the same rows (a pstats table whose calls are
 * pending, a path of frames the profile does not have).
 */
export function quickCallTree(
  p: Profile,
  t: Transform,
  /** Nodes to make room for at first, a power of two. */
  room = START,
): QuickCallTree | null {
  if (p.callsPending) return null;
  const rewrite = localRewrite(p, t);
  if (!rewrite) return null;
  const { profile } = rewrite;
  return withByFunction(profile, new LazyRewrite(rewrite, room), wholeWeights(p.tree), room);
}

/**
 * The weight the transform leaves, the whole rewrite's `samples`: what the call tree's shares are of
 * (the profile a quick tree names its frames in still holds what the transform left out).
 */
export function leftTotal(quick: QuickCallTree): number {
  const { byLine } = quick;
  const roots = byLine.children(-1);
  let sum = 0;
  for (let k = 0; k < roots.length; k++) sum += byLine.total(roots[k]);
  return sum;
}

/** The kinds of transform a quick tree is made for on top of another's: their rule reads a node's frame alone. */
const STACKED = new Set<Transform['kind']>([
  'merge-function',
  'collapse-direct-recursion',
  'collapse-resource',
  'collapse-library',
  'hide-library',
]);

/**
 * `t` applied to the tree of `before` (a quick tree whose transform's whole result has not come),
 * made as rows open as well: null for a kind of transform that reads more of a node than its frame,
 * or leaves out subtrees.
 */
export function stackedCallTree(before: QuickCallTree, t: Transform, room = START): QuickCallTree | null {
  const below = before.byLine;
  if (!STACKED.has(t.kind) || !(below instanceof LazyNodes)) return null;
  const source = before.profile;
  // The rule reads the frames of the tree below by node id, as it grows.
  const tree = Object.defineProperty({ ...source.tree }, 'frame', { get: () => below.frameColumn() });
  const rewrite = localRewrite({ ...source, tree }, t);
  if (!rewrite || rewrite.dropped) return null;
  const profile = { ...rewrite.profile, tree: source.tree };
  return withByFunction(profile, new StackedRewrite(below, rewrite, room), before.exact, room);
}

/**
 * The quick tree of a tree by line: grouped by function as it opens, unless its frames are functions
 * already. The grouping is made when first read: the graphs read the tree by line alone.
 */
function withByFunction(profile: Profile, byLine: LazyNodes, exact: boolean, room: number): QuickCallTree {
  // The rewritten profile has no pstats table, so its functions are found by file and name.
  if (profile.treeIsEstimate) return { profile, nodes: byLine, byLine, lines: () => null, exact };
  let byFunction: ByFunction | null = null;
  const grouped = () =>
    (byFunction ??= new ByFunction(byLine, functionOf({ strings: profile.strings, frames: profile.frames }), room));
  return {
    profile,
    get nodes() {
      return grouped();
    },
    byLine,
    lines: (node) => grouped().lines(node, profile.frames),
    exact,
  };
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
class ByFunction extends LazyNodes {
  /** The nodes of the tree by line that went to each node, in that tree's preorder. */
  private readonly members: PooledLists;
  /** While a node's children are listed: the child made for each function, -1 for none yet. */
  private readonly childOf: Int32Array;
  private readonly ranked = (a: number, b: number) => this.totals[b] - this.totals[a] || a - b;

  constructor(
    private readonly byLine: TreeNodes,
    private readonly fn: Int32Array,
    room: number,
  ) {
    super(room);
    this.members = new PooledLists(room, room);
    let functions = 0;
    for (let i = 0; i < fn.length; i++) functions = Math.max(functions, fn[i] + 1);
    this.childOf = new Int32Array(functions).fill(-1);
  }

  self(node: number): number {
    if (Number.isNaN(this.selfs[node])) {
      const { members } = this;
      let s = 0;
      for (let m = members.heads[node]; m >= 0; m = members.next[m]) s += this.byLine.self(members.value[m]);
      this.selfs[node] = s;
    }
    return this.selfs[node];
  }

  lines(node: number, frames: FrameTable): Lines | null {
    const { byLine, members } = this;
    let any = false;
    for (let m = members.heads[node]; m >= 0 && !any; m = members.next[m])
      any = saysLine(frames, byLine.frame(members.value[m]));
    if (!any) return null;
    return summedLines(frames, (add) => {
      for (let m = members.heads[node]; m >= 0; m = members.next[m]) {
        const c = members.value[m];
        add(byLine.frame(c), byLine.self(c), byLine.total(c));
      }
    });
  }

  protected list(node: number): Int32Array {
    const { members } = this;
    this.madeCount = 0;
    if (node < 0) this.addAll(-1, node);
    else for (let m = members.heads[node]; m >= 0; m = members.next[m]) this.addAll(members.value[m], node);
    for (let k = 0; k < this.madeCount; k++) this.childOf[this.frames[this.made[k]]] = -1;
    // Ids are given in the order of first reach, so equal totals keep it.
    return this.keep(node, this.ranked);
  }

  /** Adds the children of `of` in the tree by line to the children of `node` by function. */
  private addAll(of: number, node: number): void {
    const { byLine } = this;
    const kids = byLine.children(of);
    for (let k = 0; k < kids.length; k++) {
      const c = kids[k];
      const f = this.fn[byLine.frame(c)];
      let id = this.childOf[f];
      if (id < 0) {
        id = this.childOf[f] = this.newNode(node, f);
        this.selfs[id] = NaN;
        this.madeNow(id);
      }
      this.members.add(id, c);
      this.totals[id] += byLine.total(c);
    }
  }

  protected growNodes(): void {
    super.growNodes();
    this.members.growOwners();
  }
}
