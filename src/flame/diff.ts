import { comparedUnit, functionKey, matchRows } from '../../workers/compare';
import type { Profile, WeightUnit } from '../../workers/model';

/**
 * For each node of the new profile's tree, what its path of functions weighs there and in the
 * baseline: its weight in the profiles' unit when they share one, its share of each total when not.
 */
export interface TreeDiff {
  /** Whether the values are weights in the profiles' common unit, rather than shares. */
  absolute: boolean;
  /** That unit (times in seconds); the new profile's when the values are shares. */
  unit: WeightUnit;
  newValue: Float64Array;
  /** 0 where the baseline never reached the same path. */
  baseValue: Float64Array;
  /** The change drawn at full colour: the largest |newValue − baseValue|, but at least 5 % of the larger total. */
  maxChange: number;
}

/**
 * Matches the new tree's nodes to the baseline's by their path of functions (file + name, so
 * moved lines still match) and compares what each path weighs in the two profiles. Weights are
 * compared as they are when the units agree (times in seconds, austin's microseconds too), so
 * that after a speed-up what shrank is blue even though the rest now holds a larger share;
 * shares when they differ (seconds against samples).
 */
export function diffTrees(base: Profile, next: Profile): TreeDiff {
  const inBase = comparedUnit(base), inNext = comparedUnit(next);
  const absolute = inBase.unit === inNext.unit;
  // Functions numbered as the comparison matches them: the baseline's by key, the new profile's
  // by the baseline function each meets (a `strip_dirs()` file's too), or new numbers.
  const baseKeys = functionIds(base), nextKeys = functionIds(next);
  const { rows } = matchRows(baseKeys.keys, nextKeys.keys);
  const paths = new Map<number, number>();
  const pathTotals: number[] = [];
  const walk = (p: Profile, idOf: (frame: number) => number, onNode: (node: number, path: number) => void) => {
    const t = p.tree;
    const pathOf = new Int32Array(t.count);
    for (let i = 0; i < t.count; i++) {
      const packed = (t.parent[i] < 0 ? 0 : pathOf[t.parent[i]] + 1) * 4194304 + idOf(t.frame[i]);
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
  const baseScale = absolute ? inBase.scale : 1 / baseTotal, nextScale = absolute ? inNext.scale : 1 / nextTotal;
  walk(base, (f) => baseKeys.idOf[f], (i, path) => (pathTotals[path] += base.tree.total[i] * baseScale));
  const baseByPath = Float64Array.from(pathTotals);

  // A path is compared whole on both sides: boxes of one function at two lines share its numbers.
  const n = next.tree.count;
  const pathOfNode = new Int32Array(n);
  const nextByPath: number[] = [];
  walk(next, (f) => rows[nextKeys.idOf[f]], (i, path) => {
    pathOfNode[i] = path;
    nextByPath[path] = (nextByPath[path] ?? 0) + next.tree.total[i] * nextScale;
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
  const floor = 0.05 * (absolute ? Math.max(baseTotal * baseScale, nextTotal * nextScale) : 1);
  return { absolute, unit: inNext.unit, newValue, baseValue, maxChange: Math.max(maxChange, floor) };
}

/**
 * The distinct function keys of the frames in a profile's tree, and the index of each frame's key
 * among them (-1 for a frame no sample reaches), as the comparison's table counts its functions.
 */
function functionIds(p: Profile): { keys: string[]; idOf: Int32Array } {
  const index = new Map<string, number>();
  const keys: string[] = [];
  const idOf = new Int32Array(p.frames.count).fill(-1);
  for (let i = 0; i < p.tree.count; i++) {
    const f = p.tree.frame[i];
    if (idOf[f] >= 0) continue;
    const k = functionKey(p, f);
    let id = index.get(k);
    if (id === undefined) index.set(k, (id = keys.push(k) - 1));
    idOf[f] = id;
  }
  return { keys, idOf };
}

const UNCHANGED = 'hsl(36 20% 90%)';

/**
 * Red for more than in the baseline, blue for less, deeper with the size of the change. The depth
 * grows with the square root of the change, so a regression of a few milliseconds beside a
 * speed-up of half a second still shows.
 */
export function diffColor(change: number, maxChange: number): string {
  const t = maxChange > 0 ? Math.sqrt(Math.min(1, Math.abs(change) / maxChange)) : 0;
  if (t < 0.03) return UNCHANGED;
  const light = 92 - 42 * t;
  return change >= 0 ? `hsl(4 78% ${light.toFixed(0)}%)` : `hsl(218 72% ${light.toFixed(0)}%)`;
}
