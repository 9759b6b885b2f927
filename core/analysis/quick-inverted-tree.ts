import { grown } from '../model/builders';
import type { CallTree, Profile } from '../model/profile';
import { functionOf } from './function-of';
import { InvertedTree } from './inverted-tree';
import { saysLine, summedLines } from './node-lines';
import type { QuickCallTree } from './quick-call-tree';
import { wholeWeights } from './quick-call-tree';
import { DROPPED, NOWHERE, type NodeWriter, type PlaceNode } from './transforms/rewrite-tree';
import { localRewrite, type Transform } from './transforms/transforms';

/**
 * The tree a rule writes with no node merged: one node per step, so that each node's path is the
 * stack of the samples placed at it. The inverted tree by function reads nothing but those stacks
 * and their weights, so it is the same as that of the merged tree, without the merging, the
 * preorder and the grouping by function of the whole rewrite.
 */
class StackWriter implements NodeWriter {
  count = 0;
  parent: Int32Array;
  frame: Int32Array;
  self: Float64Array;

  constructor(room: number) {
    this.parent = new Int32Array(room);
    this.frame = new Int32Array(room);
    this.self = new Float64Array(room);
  }

  step(node: number, frame: number): number {
    const id = this.count++;
    if (id === this.parent.length) {
      this.parent = grown(this.parent);
      this.frame = grown(this.frame);
      this.self = grown(this.self);
    }
    this.parent[id] = node;
    this.frame[id] = frame;
    return id;
  }

  frameOf(node: number): number {
    return this.frame[node];
  }
}

/**
 * The inverted call tree of `t` applied to `p`, while the whole rewrite is made elsewhere: row for
 * row the inverted tree of `functionTree(applyTransform(p, t))`, its roots made by one pass of the
 * rule over the tree (a collapsed recursion's inner calls written at the outermost's place) and its
 * callers as rows open. Null where its weights are not whole numbers (sums in another order could
 * differ in the last bits), or where only the whole rewrite gives the rows.
 */
export function quickInvertedTree(p: Profile, t: Transform): QuickCallTree | null {
  if (p.callsPending || !wholeWeights(p.tree)) return null;
  const rewrite = localRewrite(p, t);
  if (!rewrite) return null;
  const { profile, place, recursion } = rewrite;
  if (profile.treeIsEstimate) return null;
  const out = new StackWriter(p.tree.count);
  if (recursion) writeCollapsedRecursion(p.tree, recursion, out);
  else writeStacks(p.tree, place, out);
  const fn = functionOf({ strings: profile.strings, frames: profile.frames });
  const byFunction = new Int32Array(out.count);
  for (let v = 0; v < out.count; v++) byFunction[v] = fn[out.frame[v]];
  const nodes = new InvertedTree({ count: out.count, parent: out.parent, frame: byFunction, self: out.self });
  const { frames } = profile;
  const lines = (node: number) => {
    const leaves = nodes.leaves(node);
    const up = nodes.depth(node);
    const lineOf = (leaf: number) => {
      let v = leaf;
      for (let d = 0; d < up; d++) v = out.parent[v];
      return out.frame[v];
    };
    let any = false;
    for (let k = 0; k < leaves.length && !any; k++) any = saysLine(frames, lineOf(leaves[k]));
    if (!any) return null;
    return summedLines(frames, (add) => {
      for (let k = 0; k < leaves.length; k++) {
        const w = out.self[leaves[k]];
        add(lineOf(leaves[k]), up === 0 ? w : 0, w);
      }
    });
  };
  return { profile, nodes, byLine: nodes, lines, exact: true };
}

/** The rule run over the tree in preorder, each node's self weight written where it goes, dropped subtrees stepped over. */
function writeStacks(tree: CallTree, place: PlaceNode, out: StackWriter): void {
  const at = new Int32Array(tree.count);
  for (let i = 0; i < tree.count;) {
    const parent = tree.parent[i];
    const to = place(i, parent < 0 ? NOWHERE : at[parent], out);
    if (to === DROPPED) {
      i += tree.size[i];
      continue;
    }
    at[i] = to;
    if (to >= 0) out.self[to] += tree.self[i];
    i++;
  }
}

/**
 * A function's recursion collapsed: each call of it below another goes to the place of the
 * outermost, its callees below that place; every other node below its parent's place.
 */
function writeCollapsedRecursion(tree: CallTree, recursion: Uint8Array, out: StackWriter): void {
  const at = new Int32Array(tree.count);
  /** The place of the outermost call of the function at or above each node; -1 for none. */
  const outer = new Int32Array(tree.count);
  for (let i = 0; i < tree.count; i++) {
    const parent = tree.parent[i];
    const above = parent < 0 ? -1 : outer[parent];
    const call = recursion[tree.frame[i]] === 1;
    at[i] = call && above >= 0 ? above : out.step(parent < 0 ? NOWHERE : at[parent], tree.frame[i]);
    outer[i] = above >= 0 ? above : call ? at[i] : -1;
    out.self[at[i]] += tree.self[i];
  }
}
