import type { CallTree, Profile } from '../model/profile';
import { functionOf } from './function-of';
import { rewriteTree } from './transforms/rewrite-tree';

/**
 * The call tree by function rather than by line: each frame replaced by the frame standing for
 * its function, siblings of the same function merged. pstats frames are functions already.
 */
export function functionTree(profile: Profile): CallTree {
  if (profile.pstats || profile.treeIsEstimate) return profile.tree;
  const fn = functionOf(profile);
  const { tree } = profile;
  return rewriteTree(profile, (i, up, out) => out.step(up, fn[tree.frame[i]])).tree;
}
