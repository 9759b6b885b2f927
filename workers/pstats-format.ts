import type { Profile, PstatsTable } from './model';

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
  const nc = s.nc[f], cc = s.cc[f];
  return [
    ncallsText(nc, cc).padStart(9),
    f8(s.tt[f]),
    nc === 0 ? ' '.repeat(8) : f8(s.tt[f] / nc),
    f8(s.ct[f]),
    cc === 0 ? ' '.repeat(8) : f8(s.ct[f] / cc),
    p.strings[p.frames.label[f]],
  ].join(' ');
}

/** The summary line of `print_stats`. */
export function statsHeaderText(s: PstatsTable): string {
  const calls = s.totalCalls === s.primCalls
    ? `${s.totalCalls} function calls`
    : `${s.totalCalls} function calls (${s.primCalls} primitive calls)`;
  return `${calls} in ${pyFixed(s.totalTt, 3)} seconds`;
}

export type StatsSortKey = 'ncalls' | 'tottime' | 'tpercall' | 'cumtime' | 'cpercall' | 'name';

/** The value a row is sorted by; percall columns as pstats' `tt/nc` and `ct/cc`. */
export function statsSortValue(p: Profile, s: PstatsTable, key: StatsSortKey, f: number): number {
  switch (key) {
    case 'ncalls': return s.nc[f];
    case 'tottime': return s.tt[f];
    case 'tpercall': return s.nc[f] ? s.tt[f] / s.nc[f] : 0;
    case 'cumtime': return s.ct[f];
    case 'cpercall': return s.cc[f] ? s.ct[f] / s.cc[f] : 0;
    case 'name': return 0;
  }
  return 0;
}

/**
 * Entry ids ordered as `sort_stats(key)` orders them: numbers descending, names ascending, and
 * ties in the file's order (Python's sort is stable and the dict keeps the file's order).
 */
export function sortedEntries(p: Profile, s: PstatsTable, key: StatsSortKey, reverse = false): Int32Array {
  const n = s.cc.length;
  const ids = Array.from({ length: n }, (_, i) => i);
  if (key === 'name') {
    const label = (f: number) => p.strings[p.frames.label[f]];
    ids.sort((a, b) => (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0));
  } else {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = statsSortValue(p, s, key, i);
    ids.sort((a, b) => v[b] - v[a]);
  }
  if (reverse) ids.reverse();
  return Int32Array.from(ids);
}
