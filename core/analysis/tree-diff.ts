import { compareProfiles, comparedUnit, type Comparison } from './compare';
import type { Profile, WeightUnit } from '../model/profile';
import { SINGLE, type GroupSizes } from './per-profile';

/** The comparison row of each frame of the two profiles diffed; -1 for a frame no row counts. */
export interface FrameRows {
  base: Int32Array;
  next: Int32Array;
}

/** A comparison's rows by frame, its baseline as `base`. */
export const rowsOf = (c: Comparison): FrameRows => ({ base: c.baseRowOfFrame, next: c.newRowOfFrame });

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
  /** 1 where the baseline reached the same path (or the node is no part of what is compared), 0 where the path is new. */
  inBase: Uint8Array;
  /** The change drawn at full colour: the largest |newValue − baseValue|, but at least 5 % of the larger total. */
  maxChange: number;
}

/**
 * Matches the new tree's nodes to the baseline's by their path of functions and compares what
 * each path weighs in the two profiles. Weights are
 * compared as they are when the units agree (times in seconds, austin's microseconds too), so
 * that after a speed-up what shrank is blue even though the rest now holds a larger share;
 * shares when they differ (seconds against samples) or when asked (runs of different length).
 * A function is a row of the comparison (`rows`), so the graph meets functions as the table does.
 * Weights are divided by `groups`, each side's number of profiles, to compare merges of groups
 * of different size by their mean per profile.
 */
export function diffTrees(
  base: Profile,
  next: Profile,
  asShares = false,
  rows: FrameRows = rowsOf(compareProfiles(base, next)),
  groups: GroupSizes = SINGLE,
): TreeDiff {
  const inBase = comparedUnit(base),
    inNext = comparedUnit(next);
  const absolute = inBase.unit === inNext.unit && !asShares;
  // A frame no row counts (a pstats caller that is no entry) is a function of its own.
  let rowCount = 0;
  for (const side of [rows.base, rows.next]) for (const r of side) rowCount = Math.max(rowCount, r + 1);
  const baseId = (f: number) => (rows.base[f] >= 0 ? rows.base[f] : rowCount + f);
  const nextId = (f: number) => (rows.next[f] >= 0 ? rows.next[f] : rowCount + base.frames.count + f);
  const onBase = new Uint8Array(rowCount),
    inBoth = new Uint8Array(rowCount + base.frames.count + next.frames.count);
  for (const r of rows.base) if (r >= 0) onBase[r] = 1;
  for (const r of rows.next) if (r >= 0 && onBase[r]) inBoth[r] = 1;
  // Trees whose roots differ (pstats' estimated tree starts at exec, a sampler's stacks at its own
  // frames) would meet at no path: then the leading frames of one that the other lacks are stepped
  // over, so that what lies below them meets the other's paths from their roots.
  const nextRoots = roots(next).map(nextId);
  // A baseline with no samples left (a focus on what it lacks) has nothing to step over.
  const rootsMeet = !base.tree.count || roots(base).some((f) => nextRoots.includes(baseId(f)));
  const paths = new Map<number, number>();
  const pathTotals: number[] = [];
  /** Calls `onNode` with each node's path, -1 for a leading frame stepped over. */
  const walk = (p: Profile, idOf: (frame: number) => number, onNode: (node: number, path: number) => void) => {
    const t = p.tree;
    const pathOf = new Int32Array(t.count);
    for (let i = 0; i < t.count; i++) {
      const id = idOf(t.frame[i]);
      const atRoot = t.parent[i] < 0 || pathOf[t.parent[i]] < 0;
      if (atRoot && !rootsMeet && !inBoth[id]) {
        pathOf[i] = -1;
        onNode(i, -1);
        continue;
      }
      const packed = (atRoot ? 0 : pathOf[t.parent[i]] + 1) * 4194304 + id;
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

  const baseTotal = total(base),
    nextTotal = total(next);
  const baseScale = absolute ? inBase.scale / groups.base : 1 / baseTotal,
    nextScale = absolute ? inNext.scale / groups.next : 1 / nextTotal;
  walk(base, baseId, (i, path) => path >= 0 && (pathTotals[path] += base.tree.total[i] * baseScale));
  const baseByPath = Float64Array.from(pathTotals);

  // A path is compared whole on both sides: boxes of one function at two lines share its numbers.
  const n = next.tree.count;
  const pathOfNode = new Int32Array(n);
  const nextByPath: number[] = [];
  walk(next, nextId, (i, path) => {
    pathOfNode[i] = path;
    if (path >= 0) nextByPath[path] = (nextByPath[path] ?? 0) + next.tree.total[i] * nextScale;
  });
  const newValue = new Float64Array(n),
    baseValue = new Float64Array(n),
    reached = new Uint8Array(n);
  let maxChange = 0;
  for (let i = 0; i < n; i++) {
    const path = pathOfNode[i];
    // A frame stepped over is drawn as unchanged: it is no part of what is compared.
    newValue[i] = path < 0 ? next.tree.total[i] * nextScale : nextByPath[path];
    baseValue[i] = path < 0 ? newValue[i] : path < baseByPath.length ? baseByPath[path] : 0;
    reached[i] = path < baseByPath.length ? 1 : 0;
    maxChange = Math.max(maxChange, Math.abs(newValue[i] - baseValue[i]));
  }
  // A floor, so that a run whose largest change is a point or two is not painted at full strength.
  const floor = 0.05 * (absolute ? Math.max(baseTotal * baseScale, nextTotal * nextScale) : 1);
  return { absolute, unit: inNext.unit, newValue, baseValue, inBase: reached, maxChange: Math.max(maxChange, floor) };
}

/** The frames at the roots of a profile's tree. */
function roots(p: Profile): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.tree.count; i += p.tree.size[i]) out.push(p.tree.frame[i]);
  return out;
}
