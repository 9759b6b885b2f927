import type { Profile, PstatsTable, WeightUnit } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';

/** `pstats.func_std_string`: how pstats names a function in everything it prints. */
export function funcStdString(file: string, line: number, name: string): string {
  if (file === '~' && line === 0) {
    return name.startsWith('<') && name.endsWith('>') ? `{${name.slice(1, -1)}}` : name;
  }
  return `${file}:${line}(${name})`;
}

/**
 * Python's `'%.Nf' % x`. Differs from `toFixed` only on exact ties, which Python rounds to even:
 * x is halfway between two N-digit decimals exactly when x·2^(N+1) is an odd integer.
 */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let s: string;
  const twice = a * 2 ** (digits + 1);
  if (Number.isInteger(twice) && twice % 2 === 1 && twice < 2 ** 53) {
    const halfUnits = BigInt(twice) * 5n ** BigInt(digits);
    let n = (halfUnits - 1n) / 2n;
    if (n % 2n === 1n) n += 1n;
    const str = n.toString().padStart(digits + 1, '0');
    s = digits ? `${str.slice(0, -digits)}.${str.slice(-digits)}` : str;
  } else if (a >= 1e21) {
    s = BigInt(Math.round(a)).toString() + (digits ? '.' + '0'.repeat(digits) : '');
  } else {
    s = a.toFixed(digits);
  }
  return negative ? `-${s}` : s;
}

const f8 = (x: number) => pyFixed(x, 3).padStart(8);

/** The ncalls cell: `nc`, or `nc/cc` when some calls were recursive. */
export function ncallsText(nc: number, cc: number): string {
  return nc === cc ? String(nc) : `${nc}/${cc}`;
}

/** One row of `print_stats`, exactly as pstats prints it. */
export function statsRowText(p: Profile, s: PstatsTable, f: number): string {
  const nc = s.nc[f],
    cc = s.cc[f];
  return [
    ncallsText(nc, cc).padStart(9),
    f8(s.tt[f]),
    nc === 0 ? ' '.repeat(8) : f8(s.tt[f] / nc),
    f8(s.ct[f]),
    cc === 0 ? ' '.repeat(8) : f8(s.ct[f] / cc),
    stringAt(p.strings, p.frames.label[f]),
  ].join(' ');
}

/** The summary line of `print_stats`; a profile counting events (callgrind's) says its total in them. */
export function statsHeaderText(s: PstatsTable, unit: WeightUnit = 'seconds'): string {
  const calls =
    s.totalCalls === s.primCalls
      ? `${s.totalCalls} function calls`
      : `${s.totalCalls} function calls (${s.primCalls} primitive calls)`;
  return unit === 'seconds'
    ? `${calls} in ${pyFixed(s.totalTt, 3)} seconds`
    : `${calls}, ${s.totalTt.toLocaleString('en')} ${unit}`;
}

export type StatsSortKey = 'ncalls' | 'tottime' | 'cumtime';

/**
 * Entry ids ordered as `sort_stats(key)` orders them: largest first, ties in the dict's order
 * (Python's sort is stable), which is the order of the entries in the model.
 */
export function sortedEntries(s: PstatsTable, key: StatsSortKey): Int32Array {
  const v = key === 'ncalls' ? s.nc : key === 'tottime' ? s.tt : s.ct;
  const ids = Array.from({ length: s.cc.length }, (_, i) => i);
  ids.sort((a, b) => v[b] - v[a]);
  return Int32Array.from(ids);
}
