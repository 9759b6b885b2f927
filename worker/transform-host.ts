import { profileBuffers, treeBuffers, type Profile } from '~/core/model/profile';
import { applyTransform, withoutSamples, type Transform } from '~/core/analysis/transforms/transforms';
import { transformFor } from '~/core/analysis/transforms/transform-for';
import { functionTree, type FunctionTree } from '~/core/analysis/function-tree';
import { diffTrees, type TreeDiff } from '~/core/analysis/tree-diff';
import type { GroupSizes } from '~/core/analysis/per-profile';

export interface Transformed {
  profile: Profile;
  /** The transformed profile's tree by function, when asked for (the call tree shows it). */
  byFunction?: FunctionTree;
  /** The baseline transformed the same way, when one was given. */
  baseline?: Profile;
  /** The buffers of the results that are not their sources': handed over, not copied. */
  buffers: ArrayBuffer[];
}

/**
 * The profiles transforms are applied to, held by the worker so that a request names them instead
 * of sending them again: the page sends each once, and each result goes back with its new arrays.
 */
export class TransformHost {
  private readonly sources = new Map<number, Profile>();

  keep(id: number, profile: Profile): void {
    this.sources.set(id, profile);
  }

  forget(id: number): void {
    this.sources.delete(id);
  }

  holds(id: number): boolean {
    return this.sources.has(id);
  }

  /**
   * The transforms applied in order to the profile `shownId`, and each, naming the same functions,
   * to the baseline `baselineId`. A pstats profile whose calls are pending is left as it is.
   * `byFunction`: the result's tree by function is made here too.
   */
  apply(shownId: number, baselineId: number | null, list: readonly Transform[], byFunction = false): Transformed {
    const shown = this.source(shownId);
    const base = baselineId === null ? null : this.source(baselineId);
    let profile = shown;
    let baseline = base;
    for (const t of list) {
      if (baseline && !baseline.callsPending && !profile.callsPending) {
        const same = transformFor(t, profile, baseline);
        if (same === 'no-samples') baseline = withoutSamples(baseline);
        else if (same !== 'nothing') baseline = applyTransform(baseline, same);
      }
      if (!profile.callsPending) profile = applyTransform(profile, t);
    }
    const byFn = byFunction && profile !== shown ? functionTree(profile) : null;
    const kept = new Set([...profileBuffers(shown), ...(base ? profileBuffers(base) : [])]);
    const buffers = new Set<ArrayBuffer>();
    for (const p of baseline ? [profile, baseline] : [profile])
      for (const b of profileBuffers(p)) if (!kept.has(b)) buffers.add(b);
    if (byFn) {
      const made = treeBuffers(byFn.tree);
      if (byFn.nodeOf) made.push(byFn.nodeOf.buffer as ArrayBuffer);
      for (const b of made) if (!kept.has(b)) buffers.add(b);
    }
    return { profile, ...(baseline && { baseline }), ...(byFn && { byFunction: byFn }), buffers: [...buffers] };
  }

  /**
   * The tree of the profile `shownId` diffed with the baseline `baselineId`'s (`diffTrees`), with
   * the diff's arrays to hand over: the call tree's Before and Δ, made off the page's thread.
   */
  diff(
    shownId: number,
    baselineId: number,
    asShares: boolean,
    groups?: GroupSizes,
  ): { diff: TreeDiff; buffers: ArrayBuffer[] } {
    const diff = diffTrees(this.source(baselineId), this.source(shownId), asShares, undefined, groups);
    return {
      diff,
      buffers: [
        diff.newValue.buffer as ArrayBuffer,
        diff.baseValue.buffer as ArrayBuffer,
        diff.inBase.buffer as ArrayBuffer,
      ],
    };
  }

  private source(id: number): Profile {
    const p = this.sources.get(id);
    if (!p) throw new Error(`no profile ${id} is held for transforms`);
    return p;
  }
}
