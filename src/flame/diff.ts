import { functionKey } from '../../workers/compare';
import type { Profile } from '../../workers/model';

/**
 * For each node of the new profile's tree, what its path of functions weighs there and in the
 * baseline: its weight in the profiles' unit when they share one, its share of each total when not.
 */
export interface TreeDiff {
  /** Whether the values are weights in the profiles' common unit, rather than shares. */
  absolute: boolean;
  newValue: Float64Array;
  /** 0 where the baseline never reached the same path. */
  baseValue: Float64Array;
  /** The change drawn at full colour: the largest |newValue − baseValue|, but at least 5 % of the larger total. */
  maxChange: number;
}

/**
 * Matches the new tree's nodes to the baseline's by their path of functions (file + name, so
 * moved lines still match) and compares what each path weighs in the two profiles. Weights are
 * compared as they are when the units agree, so that after a speed-up what shrank is blue even
 * though the rest now holds a larger share; shares when they differ (seconds against samples).
 */
export function diffTrees(base: Profile, next: Profile): TreeDiff {
  const absolute = base.unit === next.unit;
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

  const baseTotal = total(base), nextTotal = total(next);
  const baseScale = absolute ? 1 : baseTotal, nextScale = absolute ? 1 : nextTotal;
  walk(base, (i, path) => (pathTotals[path] += base.tree.total[i] / baseScale));
  const baseByPath = Float64Array.from(pathTotals);

  // A path is compared whole on both sides: boxes of one function at two lines share its numbers.
  const n = next.tree.count;
  const pathOfNode = new Int32Array(n);
  const nextByPath: number[] = [];
  walk(next, (i, path) => {
    pathOfNode[i] = path;
    nextByPath[path] = (nextByPath[path] ?? 0) + next.tree.total[i] / nextScale;
  });
  const newValue = new Float64Array(n), baseValue = new Float64Array(n);
  let maxChange = 0;
  for (let i = 0; i < n; i++) {
    const path = pathOfNode[i];
    newValue[i] = nextByPath[path];
    baseValue[i] = path < baseByPath.length ? baseByPath[path] : 0;
    maxChange = Math.max(maxChange, Math.abs(newValue[i] - baseValue[i]));
  }
  // A floor, so that a run whose largest change is a point or two is not painted at full strength.
  const floor = 0.05 * (absolute ? Math.max(baseTotal, nextTotal) : 1);
  return { absolute, newValue, baseValue, maxChange: Math.max(maxChange, floor) };
}

const UNCHANGED = 'hsl(36 20% 90%)';

/** Red for more than in the baseline, blue for less, deeper with the size of the change. */
export function diffColor(change: number, maxChange: number): string {
  const t = maxChange > 0 ? Math.min(1, Math.abs(change) / maxChange) : 0;
  if (t < 0.02) return UNCHANGED;
  const light = 92 - 42 * t;
  return change >= 0 ? `hsl(4 78% ${light.toFixed(0)}%)` : `hsl(218 72% ${light.toFixed(0)}%)`;
}
