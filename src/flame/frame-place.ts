import type { Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { visibleText } from './names';

/** Files whose name says nothing alone: the package's folder says where they are. */
const PACKAGE_FILES = new Set(['__init__.py', '__main__.py']);

/** A file as a reader tells it apart: its last part, with its folder for a package's `__init__.py`. */
export function shortFile(path: string): string {
  const parts = path.split(/[\\/]/).filter((s) => s !== '');
  const last = parts.length - 1;
  if (last < 0) return path;
  return PACKAGE_FILES.has(parts[last]) && last > 0 ? `${parts[last - 1]}/${parts[last]}` : parts[last];
}

const ambiguousByProfile = new WeakMap<Profile, Set<string>>();

/** The names shown for functions of more than one file: `<module>`, `__init__`, `run`. */
function ambiguousNames(p: Profile): Set<string> {
  let names = ambiguousByProfile.get(p);
  if (names) return names;
  const { frames, strings } = p;
  // Files are few and their strings long: each file string is read once.
  const fileText = new Map<number, string>();
  const fileOfName = new Map<string, string>();
  names = new Set();
  for (let f = 0; f < frames.count; f++) {
    let file = fileText.get(frames.file[f]);
    if (file === undefined) fileText.set(frames.file[f], (file = stringAt(strings, frames.file[f])));
    if (file === '' || file === '~') continue;
    const name = stringAt(strings, frames.name[f]);
    if (!name) continue;
    const seen = fileOfName.get(name);
    if (seen === undefined) fileOfName.set(name, file);
    else if (seen !== file) names.add(name);
  }
  ambiguousByProfile.set(p, names);
  return names;
}

/** Where a frame's function lives, when its name alone is shared by functions of other files; else null. */
export function placeWhereAmbiguous(p: Profile, frame: number): string | null {
  if (!ambiguousNames(p).has(stringAt(p.strings, p.frames.name[frame]))) return null;
  const file = stringAt(p.strings, p.frames.file[frame]);
  return file === '' || file === '~' ? null : visibleText(shortFile(file));
}
