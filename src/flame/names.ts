import type { Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';

const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a profile as shown: bidirectional controls (U+202E and its kin) are written as their
 * code points, so that a name cannot reorder what is shown after it (`exe.png` made to read
 * `gnp.exe`). Searches, sorting and exports keep the text as it is.
 */
export function visibleText(s: string): string {
  return s.replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** The short name drawn on a frame: the function's name, or the whole label for built-ins and unsplit frames. */
export function displayName(p: Profile, frame: number): string {
  const file = stringAt(p.strings, p.frames.file[frame]);
  const name = stringAt(p.strings, p.frames.name[frame]);
  return visibleText(file === '~' || !name ? stringAt(p.strings, p.frames.label[frame]) : name);
}
