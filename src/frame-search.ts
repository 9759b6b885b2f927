import type { CallTree, Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { displayName } from './flame/names';

/** The frames some node of `trees` holds: those a sample reaches. */
export function reachedFrames(profile: Profile, trees: CallTree[]): Uint8Array {
  const marks = new Uint8Array(profile.frames.count);
  for (const t of trees) for (let i = 0; i < t.count; i++) marks[t.frame[i]] = 1;
  return marks;
}

/**
 * The frames among `reached` that a graph search finds. The name drawn on a box is what a user
 * searches for: "work" means the function, not every frame of workloads.py. Only when no name
 * matches are whole labels tried, to find files and lines.
 */
export function searchFrames(profile: Profile, test: (text: string) => boolean, reached: Uint8Array): Uint8Array {
  const marks = new Uint8Array(profile.frames.count);
  let named = false;
  for (let f = 0; f < marks.length; f++) {
    if (!reached[f] || !test(displayName(profile, f))) continue;
    named = true;
    marks[f] = 1;
  }
  if (!named) {
    for (let f = 0; f < marks.length; f++)
      if (reached[f] && test(stringAt(profile.strings, profile.frames.label[f]))) marks[f] = 1;
  }
  return marks;
}
