import type { Profile } from '../../model/profile';
import { stringAt } from '../../model/string-pack';
import { compareProfiles } from '../compare';
import type { Transform } from './transforms';

/** What a transform of one profile does to another: the same transform, nothing, or leave no samples. */
export type SameTransform = Transform | 'nothing' | 'no-samples';

/**
 * The transform `t`, which names frames of `from`, naming the same functions in `to`: how a
 * comparison's baseline is transformed like the profile shown. Functions are paired as the
 * comparison pairs its rows (`compareProfiles`), so a pstats function whose `def` line moved is
 * still the same function. A function `to` does not have is merged or dropped by doing nothing,
 * and focused on by leaving nothing.
 */
export function transformFor(t: Transform, from: Profile, to: Profile): SameTransform {
  if (t.kind === 'collapse-resource' || t.kind === 'collapse-library' || t.kind === 'hide-library') return t;
  const rows = compareProfiles(to, from);
  // A frame no row counts (a pstats caller that is no entry) is looked up by its file, name and line.
  const byLine = !!(from.pstats && to.pstats);
  let frameIn: Map<string, number> | null = null;
  const same = (f: number): number => {
    if (!(f >= 0 && f < from.frames.count)) return -1;
    const row = rows.newRowOfFrame[f];
    if (row >= 0) return rows.baseFrame[row];
    frameIn ??= framesByFunction(to, byLine);
    return frameIn.get(functionKey(from, f, byLine)) ?? -1;
  };
  if (t.kind === 'focus-subtree') {
    const path = t.path.map(same);
    return path.every((f) => f >= 0) ? { kind: t.kind, path } : 'no-samples';
  }
  const frame = same(t.frame);
  if (frame >= 0) return { kind: t.kind, frame };
  return t.kind === 'focus-function' ? 'no-samples' : 'nothing';
}

const functionKey = (p: Profile, f: number, byLine: boolean) =>
  `${stringAt(p.strings, p.frames.file[f])}\0${stringAt(p.strings, p.frames.name[f])}${byLine ? `\0${p.frames.line[f]}` : ''}`;

/** The first frame of each function of `p`. */
function framesByFunction(p: Profile, byLine: boolean): Map<string, number> {
  const first = new Map<string, number>();
  for (let f = p.frames.count - 1; f >= 0; f--) first.set(functionKey(p, f, byLine), f);
  return first;
}
