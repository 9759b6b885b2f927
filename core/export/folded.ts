/** Writes a profile as folded stacks (`label;label;…;label WEIGHT`, root first), as flamegraph.pl reads them. */
import type { Profile } from '../model/profile';
import { stringAt } from '../model/string-pack';

/** `x` in plain decimal notation: the folded format has no exponents. */
export function plainDecimal(x: number): string {
  const s = String(x);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const exponent = Number(s.slice(e + 1));
  const mantissa = s.slice(0, e);
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A weight as written: 12 significant digits drop the float noise that estimating a pstats tree
 * leaves (0.010779217000000153), far below what any profiler measures.
 */
const weightText = (w: number): string => plainDecimal(Number.isInteger(w) ? w : Number(w.toPrecision(12)));

/**
 * A frame as folded stacks write it. pstats labels (`file:12(name)`) are written as
 * `file:name:12`, the form folded readers (Kiln's too) split into file, function and line;
 * built-ins keep their `{…}` label, which holds no colon.
 */
function foldedLabel(profile: Profile, frame: number): string {
  const { frames, strings } = profile;
  const file = stringAt(strings, frames.file[frame]);
  if (!profile.pstats || file === '~') return stringAt(strings, frames.label[frame]);
  return `${file}:${stringAt(strings, frames.name[frame])}:${frames.line[frame]}`;
}

/** One line per tree node with self weight, then `(idle) N` and `(failed) N` when there are any. */
export function* foldedLines(profile: Profile): Generator<string> {
  const { tree } = profile;
  const path: string[] = [];
  for (let i = 0; i < tree.count; i++) {
    const depth = tree.depth[i];
    path.length = depth;
    path.push(foldedLabel(profile, tree.frame[i]));
    if (tree.self[i] > 0) yield `${path.join(';')} ${weightText(tree.self[i])}`;
  }
  if (profile.idle > 0) yield `(idle) ${plainDecimal(profile.idle)}`;
  if (profile.failed > 0) yield `(failed) ${plainDecimal(profile.failed)}`;
}

export function toFolded(profile: Profile): string {
  let out = '';
  for (const line of foldedLines(profile)) out += `${line}\n`;
  return out;
}
