/**
 * Per-function numbers for the statistics table of a sampled profile. Frames of sampled formats
 * are lines of code, so a function is every frame with the same file and name.
 */
import { rowsByKey } from './function-rows';
import type { CallTree, Profile } from '../model/profile';
import { stringCount } from '../model/string-pack';

type Source = Pick<Profile, 'strings' | 'frames' | 'tree'>;

/** Stats made before (kept with a profile in the library), by the tree they were made of, with its frames and strings. */
const known = new WeakMap<CallTree, { of: Source; stats: SampledStats }>();

export interface SampledStats {
  /** Rows: one per function. */
  count: number;
  /** The first frame of each row's function, to show and to select it by. */
  frame: Int32Array;
  /** Weight sampled in the function itself. */
  self: Float64Array;
  /** Weight sampled in the function or below it, recursion counted once. */
  total: Float64Array;
  /** The row of each frame id; -1 for a frame no sample reaches (a line refused, a time range). */
  rowOfFrame: Int32Array;
}

/** The rows alone: the function of each frame, without the numbers, which take a walk of the whole tree. */
export type FunctionRows = Pick<SampledStats, 'count' | 'frame' | 'rowOfFrame'>;

/** The stats kept with `profile` when it was read back from the library, if they are still its own. */
function keptFor(profile: Source): SampledStats | undefined {
  const kept = known.get(profile.tree);
  return kept && kept.of.frames === profile.frames && kept.of.strings === profile.strings ? kept.stats : undefined;
}

export function functionRows(profile: Source): FunctionRows {
  const kept = keptFor(profile);
  if (kept) return kept;
  const { frames, tree } = profile;
  const strings = stringCount(profile.strings);
  const reached = new Uint8Array(frames.count);
  for (let i = 0; i < tree.count; i++) reached[tree.frame[i]] = 1;
  const { rowOfFrame, firstFrame } = rowsByKey(
    frames.count,
    (f) => frames.file[f] * strings + frames.name[f],
    (f) => reached[f] === 1,
  );
  return { count: firstFrame.length, frame: Int32Array.from(firstFrame), rowOfFrame };
}

export function sampledStats(profile: Source, rows?: FunctionRows): SampledStats {
  const kept = keptFor(profile);
  if (kept) return kept;
  rows ??= functionRows(profile);
  const { tree } = profile;
  const { count, rowOfFrame } = rows;
  const self = new Float64Array(count);
  const total = new Float64Array(count);
  // Walking in preorder, `open[row]` counts the nodes of that row on the path to the current
  // node (`pathRows` holds the path's rows); a node adds to its row's total only when it is the
  // outermost one.
  const open = new Int32Array(count);
  const pathRows = new Int32Array(tree.count);
  let depth = 0;
  for (let i = 0; i < tree.count; i++) {
    const d = tree.depth[i];
    while (depth > d) open[pathRows[--depth]]--;
    const row = rowOfFrame[tree.frame[i]];
    self[row] += tree.self[i];
    if (open[row] === 0) total[row] += tree.total[i];
    open[row]++;
    pathRows[depth++] = row;
  }
  return { ...rows, self, total };
}

/**
 * Makes `stats`, read back with `profile`, what `sampledStats` gives for it, so that reopening a
 * profile does not walk its tree again before the first paint; stats that do not fit its frames
 * are not taken. Whether they were taken.
 */
export function rememberSampledStats(profile: Source, stats: SampledStats): boolean {
  const { count, frame, self, total, rowOfFrame } = stats;
  const frames = profile.frames.count;
  if (frame.length !== count || self.length !== count || total.length !== count || rowOfFrame.length !== frames)
    return false;
  for (let r = 0; r < count; r++) if (frame[r] < 0 || frame[r] >= frames) return false;
  for (let f = 0; f < frames; f++) if (rowOfFrame[f] < -1 || rowOfFrame[f] >= count) return false;
  known.set(profile.tree, { of: { frames: profile.frames, strings: profile.strings, tree: profile.tree }, stats });
  return true;
}
