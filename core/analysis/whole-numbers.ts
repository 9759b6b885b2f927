import type { CallTree, Profile } from '../model/profile';
import { functionTree } from './function-tree';
import { NodeLines } from './node-lines';
import type { QuickCallTree } from './quick-call-tree';
import type { TreeNodes } from './tree-nodes';

/**
 * The quick tree's rows in its own order, with the numbers of the whole rewrite (`whole`, the
 * worker's result of the same transforms): where weights are not whole numbers the quick tree's
 * sums, made in another order, differ from the worker's in the last bits, so once its result comes
 * the rows show its numbers without being laid out again.
 */
export function withWholeNumbers(quick: QuickCallTree, whole: Profile): QuickCallTree {
  const byLine = new NumbersFrom(
    () => quick.byLine,
    () => whole.tree,
  );
  // An estimated tree is by function already; else the tree by function is the worker's when it
  // made it for the call tree, made here only when a row asks (not for the graphs).
  const { profile } = quick;
  if (profile.treeIsEstimate) return { profile, exact: true, nodes: byLine, byLine, lines: () => null };
  const nodes = new NumbersFrom(
    () => quick.nodes,
    () => functionTree(whole).tree,
  );
  let index: NodeLines | null = null;
  const lines = (node: number) => {
    const v = nodes.matched(node);
    const { tree, nodeOf } = functionTree(whole);
    if (v < 0 || !nodeOf) return null;
    index ??= new NodeLines(whole.tree, nodeOf, whole.frames, tree.count);
    return index.has(v) ? index.of(v) : null;
  };
  return { profile, exact: true, nodes, byLine, lines };
}

/** A tree's nodes and order, with the weights of the nodes at the same places (paths of frames) in `tree`. */
class NumbersFrom implements TreeNodes {
  /** The node of `tree` at each node's place, once asked for. */
  private readonly places = new Map<number, number>();

  private knownNodes: TreeNodes | null = null;
  private knownTree: CallTree | null = null;

  /** Both asked for when first read. */
  constructor(
    private readonly nodesOf: () => TreeNodes,
    private readonly treeOf: () => CallTree,
  ) {}

  private get nodes(): TreeNodes {
    return (this.knownNodes ??= this.nodesOf());
  }

  private get tree(): CallTree {
    return (this.knownTree ??= this.treeOf());
  }

  /** The node of `tree` at the place of `node`; -1 for none (the trees differ there). */
  matched(node: number): number {
    const unmatched: number[] = [];
    let v = node;
    for (; v >= 0 && !this.places.has(v); v = this.nodes.parent(v)) unmatched.push(v);
    let at = v < 0 ? -1 : this.places.get(v)!;
    for (let k = unmatched.length - 1; k >= 0; k--) {
      const u = unmatched[k];
      at = at === -1 && this.nodes.parent(u) >= 0 ? -1 : this.childOf(at, this.nodes.frame(u));
      this.places.set(u, at);
    }
    return at;
  }

  /** The child of `up` (-1: the root level) in `tree` for `frame`; -1 for none. */
  private childOf(up: number, frame: number): number {
    const { tree } = this;
    const end = up < 0 ? tree.count : up + tree.size[up];
    for (let c = up + 1; c < end; c += tree.size[c]) if (tree.frame[c] === frame) return c;
    return -1;
  }

  children(node: number): Int32Array {
    return this.nodes.children(node);
  }

  hasChildren(node: number): boolean {
    return this.nodes.hasChildren(node);
  }

  parent(node: number): number {
    return this.nodes.parent(node);
  }

  depth(node: number): number {
    return this.nodes.depth(node);
  }

  frame(node: number): number {
    return this.nodes.frame(node);
  }

  total(node: number): number {
    const v = this.matched(node);
    return v >= 0 ? this.tree.total[v] : this.nodes.total(node);
  }

  self(node: number): number {
    const v = this.matched(node);
    return v >= 0 ? this.tree.self[v] : this.nodes.self(node);
  }
}
