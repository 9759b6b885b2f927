import type { TreeDiff } from '~/core/analysis/tree-diff';
import type { WeightUnit } from '~/core/model/profile';
import type { GroupSizes } from '~/core/analysis/per-profile';

/** For each node of the call tree by function: the baseline's weight at its path of functions, and the change. */
export interface NodeChange {
  before: Float64Array;
  after: Float64Array;
  /** 0 where the baseline never reached the node's path: the path is new. */
  inBase: Uint8Array;
  /** Weights in `unit` when true; shares of each profile's total when not. */
  absolute: boolean;
  unit: WeightUnit;
}

/**
 * A diff of the profile's tree (`diffTrees`) put on its tree by function: `nodeOf` sends each node
 * to the node by function that holds it, null when they are the same tree. The nodes one node by
 * function gathers are lines of one function at one place, one path of functions: they share their values.
 */
export function changeByNode(d: TreeDiff, nodeOf: Int32Array | null, count: number): NodeChange {
  const change = { absolute: d.absolute, unit: d.unit };
  if (!nodeOf) return { before: d.baseValue, after: d.newValue, inBase: d.inBase, ...change };
  const before = new Float64Array(count),
    after = new Float64Array(count),
    inBase = new Uint8Array(count);
  for (let i = 0; i < nodeOf.length; i++) {
    before[nodeOf[i]] = d.baseValue[i];
    after[nodeOf[i]] = d.newValue[i];
    inBase[nodeOf[i]] = d.inBase[i];
  }
  return { before, after, inBase, ...change };
}

/** What the call tree's Before and Δ are, in words: which baseline, matched how, summed or per profile. */
export function changeNote(baselineName: string, absolute: boolean, divided: GroupSizes | undefined): string {
  const parts = [`Before and Δ: against ${baselineName}, each row matched by its path of functions`];
  if (!absolute) parts.push("as shares of each profile's total");
  if (divided)
    parts.push(
      `as each group's mean per profile (mean of ${divided.base.toLocaleString('en')} → mean of ${divided.next.toLocaleString('en')}); Total is the sum of the ${divided.next.toLocaleString('en')}`,
    );
  return `${parts.join(', ')}.`;
}
