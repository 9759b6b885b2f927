import { CallTreeBuilder } from '../model/builders';
import { FAILED_NODE, IDLE_NODE, type Profile } from '../model/profile';

/** Microseconds since the first sample, `from` inclusive, `to` exclusive. */
export interface TimeRange {
  from: number;
  to: number;
}

/** The profile as if only the samples taken in the range had been recorded. */
export function restrictToRange(p: Profile, range: TimeRange): Profile {
  const t = p.timeline;
  if (!t) return p;
  const b = new CallTreeBuilder();
  const path: number[] = [];
  let samples = 0,
    idle = 0,
    failed = 0;
  for (let k = 0; k < t.time.length; k++) {
    if (t.time[k] < range.from || t.time[k] >= range.to) continue;
    const leaf = t.node[k];
    const w = t.weight ? t.weight[k] : 1;
    if (leaf === IDLE_NODE) idle += w;
    else if (leaf === FAILED_NODE) failed += w;
    else {
      path.length = 0;
      for (let i = leaf; i >= 0; i = p.tree.parent[i]) path.push(p.tree.frame[i]);
      path.reverse();
      b.add(path, path.length, w);
      samples += w;
    }
  }
  return { ...p, tree: b.build().tree, samples, idle, failed };
}
