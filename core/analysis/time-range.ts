import { CallTreeBuilder } from '../model/builders';
import { FAILED_NODE, IDLE_NODE, type Profile } from '../model/profile';

/** Microseconds since the first sample, `from` inclusive, `to` exclusive. */
export interface TimeRange {
  from: number;
  to: number;
}

/** The profile as if only the samples taken in the range had been recorded. */
export function restrictToRange(p: Profile, range: TimeRange): Profile {
  const time = p.timeline?.time;
  return time ? restrictToSamples(p, (k) => time[k] >= range.from && time[k] < range.to) : p;
}

/**
 * The profile as if only its timeline's samples `keep` accepts had been recorded: the tree built
 * again from their stacks, the timeline holding them, each on its node in the new tree.
 */
export function restrictToSamples(p: Profile, keep: (sample: number) => boolean): Profile {
  const t = p.timeline;
  if (!t) return p;
  const b = new CallTreeBuilder();
  const path: number[] = [];
  const kept: number[] = [],
    leaves: number[] = [];
  let samples = 0,
    idle = 0,
    failed = 0;
  for (let k = 0; k < t.time.length; k++) {
    if (!keep(k)) continue;
    const leaf = t.node[k];
    const w = t.weight ? t.weight[k] : 1;
    kept.push(k);
    if (leaf === IDLE_NODE) idle += w;
    else if (leaf === FAILED_NODE) failed += w;
    else {
      path.length = 0;
      for (let i = leaf; i >= 0; i = p.tree.parent[i]) path.push(p.tree.frame[i]);
      path.reverse();
      leaves.push(b.add(path, path.length, w));
      samples += w;
      continue;
    }
    leaves.push(leaf);
  }
  const { tree, order } = b.build();
  const timeline = {
    ...t,
    time: Float64Array.from(kept, (k) => t.time[k]),
    node: Int32Array.from(leaves, (n) => (n < 0 ? n : order[n])),
    ...(t.status && { status: Uint8Array.from(kept, (k) => t.status![k]) }),
    ...(t.weight && { weight: Float64Array.from(kept, (k) => t.weight![k]) }),
  };
  return { ...p, tree, timeline, samples, idle, failed };
}
