import type { Profile } from '../../workers/model';

/** The short name drawn on a frame: the function's name, or the whole label for built-ins and unsplit frames. */
export function displayName(p: Profile, frame: number): string {
  const file = p.strings[p.frames.file[frame]];
  const name = p.strings[p.frames.name[frame]];
  return file === '~' || !name ? p.strings[p.frames.label[frame]] : name;
}
