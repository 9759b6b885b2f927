import { functionKey } from '../../workers/compare';
import type { Profile } from '../../workers/model';

/** For each node of the new profile's tree: the share of its path of functions in the total there and in the baseline. */
export interface TreeDiff {
  newShare: Float64Array;
  /** 0 where the baseline never reached the same path. */
  baseShare: Float64Array;
  /** The change drawn at full colour: the largest |newShare − baseShare|, but at least 5 points. */
  maxChange: number;
}

/**
 * Matches the new tree's nodes to the baseline's by their path of functions (file + name, so
 * moved lines still match) and compares the share of each path in the two profiles' totals.
 */
export function diffTrees(base: Profile, next: Profile): TreeDiff {
  const keyIds = new Map<string, number>();
  const keyOf = (p: Profile, f: number) => {
    const k = functionKey(p, f);
    let id = keyIds.get(k);
    if (id === undefined) keyIds.set(k, (id = keyIds.size));
    return id;
  };
  const paths = new Map<number, number>();
  const pathTotals: number[] = [];
  const walk = (p: Profile, onNode: (node: number, path: number) => void) => {
    const t = p.tree;
    const pathOf = new Int32Array(t.count);
    const frameKey = new Int32Array(p.frames.count).fill(-1);
    for (let i = 0; i < t.count; i++) {
      const f = t.frame[i];
      if (frameKey[f] < 0) frameKey[f] = keyOf(p, f);
      const packed = (t.parent[i] < 0 ? 0 : pathOf[t.parent[i]] + 1) * 4194304 + frameKey[f];
      let path = paths.get(packed);
      if (path === undefined) {
        paths.set(packed, (path = pathTotals.length));
        pathTotals.push(0);
      }
      pathOf[i] = path;
      onNode(i, path);
    }
  };
  const total = (p: Profile) => {
    let sum = 0;
    for (let i = 0; i < p.tree.count; i += p.tree.size[i]) sum += p.tree.total[i];
    return sum || 1;
  };

  const baseTotal = total(base);
  walk(base, (i, path) => (pathTotals[path] += base.tree.total[i] / baseTotal));
  const baseByPath = Float64Array.from(pathTotals);

  // A path is compared whole on both sides: boxes of one function at two lines share its numbers.
  const n = next.tree.count;
  const nextTotal = total(next);
  const pathOfNode = new Int32Array(n);
  const nextByPath: number[] = [];
  walk(next, (i, path) => {
    pathOfNode[i] = path;
    nextByPath[path] = (nextByPath[path] ?? 0) + next.tree.total[i] / nextTotal;
  });
  const newShare = new Float64Array(n), baseShare = new Float64Array(n);
  let maxChange = 0;
  for (let i = 0; i < n; i++) {
    const path = pathOfNode[i];
    newShare[i] = nextByPath[path];
    baseShare[i] = path < baseByPath.length ? baseByPath[path] : 0;
    maxChange = Math.max(maxChange, Math.abs(newShare[i] - baseShare[i]));
  }
  // A floor, so that a run whose largest change is a point or two is not painted at full strength.
  return { newShare, baseShare, maxChange: Math.max(maxChange, 0.05) };
}

const UNCHANGED = 'hsl(36 20% 90%)';

/** Red for a larger share than the baseline, blue for a smaller one, deeper with the size of the change. */
export function diffColor(change: number, maxChange: number): string {
  const t = maxChange > 0 ? Math.min(1, Math.abs(change) / maxChange) : 0;
  if (t < 0.02) return UNCHANGED;
  const light = 92 - 42 * t;
  return change >= 0 ? `hsl(4 78% ${light.toFixed(0)}%)` : `hsl(218 72% ${light.toFixed(0)}%)`;
}
