/**
 * Per-function numbers for the statistics table of a sampled profile. Frames of sampled formats
 * are lines of code, so a function is every frame with the same file and name.
 */
import { rowsByKey } from './function-rows';
import type { Profile } from '../model/profile';
import { stringCount } from '../model/string-pack';

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

export function functionRows(profile: Pick<Profile, 'strings' | 'frames' | 'tree'>): FunctionRows {
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

export function sampledStats(
  profile: Pick<Profile, 'strings' | 'frames' | 'tree'>,
  rows: FunctionRows = functionRows(profile),
): SampledStats {
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
