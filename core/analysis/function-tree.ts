import type { CallTree, Profile } from '../model/profile';
import { functionOf } from './function-of';
import { rewriteTreeMapped } from './transforms/rewrite-tree';

export interface FunctionTree {
  tree: CallTree;
  /**
   * For a profile whose frames are lines, the node of `tree` each node of the profile's tree went
   * to (the lines of a function at one place); null where frames are functions already.
   */
  nodeOf: Int32Array | null;
}

/**
 * The call tree by function rather than by line: each frame replaced by the frame standing for
 * its function, siblings of the same function merged. pstats frames are functions already.
 */
export function functionTree(profile: Profile): FunctionTree {
  const known = made.get(profile.tree);
  if (known) return known;
  if (profile.pstats || profile.treeIsEstimate) return { tree: profile.tree, nodeOf: null };
  const fn = functionOf(profile);
  const { tree } = profile;
  const { profile: byFunction, nodeOf } = rewriteTreeMapped(profile, (i, up, out) => out.step(up, fn[tree.frame[i]]));
  // Kept: the call tree asks again for the profile as read when its transforms are taken off.
  const result = { tree: byFunction.tree, nodeOf };
  made.set(profile.tree, result);
  return result;
}

/** Trees by function made elsewhere (the transform worker makes one with each result), by the tree they were made from. */
const made = new WeakMap<CallTree, FunctionTree>();

/** Keeps `byFunction` as the tree by function of `tree`, which `functionTree` then gives without making it again. */
export function rememberFunctionTree(tree: CallTree, byFunction: FunctionTree): void {
  made.set(tree, byFunction);
}
