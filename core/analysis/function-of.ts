import type { Profile } from '../model/profile';
import { stringCount } from '../model/string-pack';

/**
 * The function of each frame, as the frame id that stands for it: pstats frames are functions
 * already; frames of sampled formats are lines, and a function is every frame with the same file
 * and name, stood for by the first of them.
 */
export function functionOf(profile: Pick<Profile, 'pstats' | 'strings' | 'frames'>): Int32Array {
  const { frames } = profile;
  const fn = new Int32Array(frames.count);
  if (profile.pstats) {
    for (let f = 0; f < fn.length; f++) fn[f] = f;
    return fn;
  }
  const strings = stringCount(profile.strings);
  const first = new Map<number, number>();
  for (let f = 0; f < fn.length; f++) {
    const key = frames.file[f] * strings + frames.name[f];
    const seen = first.get(key);
    if (seen === undefined) first.set(key, f);
    fn[f] = seen ?? f;
  }
  return fn;
}
