/**
 * Tachyon's sampled pstats key each entry by the line that was executing, so one function has an
 * entry per sampled line. Its statistics table shows a row per function (the entries of one file
 * and name), and the lines of a function with their own numbers.
 */
import { rowsByKey } from './function-rows';
import type { Profile, PstatsTable } from '../model/profile';
import { stringAt } from '../model/string-pack';

export interface PstatsFunctions {
  /** Rows: one per function. */
  count: number;
  /** The first entry of each row's function, to show and to select it by. */
  frame: Int32Array;
  /** Per row, each the sum over the function's lines (see `groupPstatsLines` for cumtime). */
  cc: Float64Array;
  nc: Float64Array;
  tt: Float64Array;
  ct: Float64Array;
  /** The row of each frame id; -1 for a frame that is not an entry (a caller only). */
  rowOfFrame: Int32Array;
  /** The entries of row r are lineFrame[lineStart[r]..lineStart[r+1]-1], by line number. */
  lineStart: Int32Array;
  lineFrame: Int32Array;
}

/**
 * Groups the entries of a sampled pstats table by file and function name, summing their numbers.
 *
 * Cumtime is the sum of the lines' cumtimes. Tachyon counts a sample once per entry, so the sum
 * counts a sample twice only when the function is on its stack at two different lines, which
 * takes recursion (one call waiting on another line of itself); a recursive function's cumtime,
 * like its nsamples, can then exceed the samples it was on. The file keeps no stacks to count
 * such samples once.
 */
export function groupPstatsLines(profile: Pick<Profile, 'strings' | 'frames'>, s: PstatsTable): PstatsFunctions {
  const { frames } = profile;
  const entries = s.cc.length;
  // By text: a pstats frame's name is a string of its own, not shared with the other lines.
  const { rowOfFrame, firstFrame } = rowsByKey(
    frames.count,
    (f) => `${frames.file[f]}\0${stringAt(profile.strings, frames.name[f])}`,
    (f) => f < entries,
  );

  const count = firstFrame.length;
  const cc = new Float64Array(count);
  const nc = new Float64Array(count);
  const tt = new Float64Array(count);
  const ct = new Float64Array(count);
  const lineStart = new Int32Array(count + 1);
  for (let f = 0; f < entries; f++) {
    const r = rowOfFrame[f];
    cc[r] += s.cc[f];
    nc[r] += s.nc[f];
    tt[r] += s.tt[f];
    ct[r] += s.ct[f];
    lineStart[r + 1]++;
  }
  for (let r = 0; r < count; r++) lineStart[r + 1] += lineStart[r];
  const lineFrame = new Int32Array(entries);
  const next = lineStart.slice(0, count);
  for (let f = 0; f < entries; f++) lineFrame[next[rowOfFrame[f]]++] = f;
  for (let r = 0; r < count; r++)
    lineFrame.subarray(lineStart[r], lineStart[r + 1]).sort((a, b) => frames.line[a] - frames.line[b] || a - b);
  return { count, frame: Int32Array.from(firstFrame), cc, nc, tt, ct, rowOfFrame, lineStart, lineFrame };
}
