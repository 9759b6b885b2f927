import type { PstatsCallerNumbers, PstatsFunc, PstatsJson } from '~/core/export/pstats-json';
import { statsAddOrder } from '~/core/analysis/merge';

const funcKey = (f: PstatsFunc) => JSON.stringify(f);
const compareFuncs = (a: PstatsFunc, b: PstatsFunc): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);

/**
 * `pstats.Stats(*files)` worked out from what pstats loaded of each file (the fixtures' `.json`):
 * the first file, then `add` of the others backwards, with `add_func_stats` and `add_callers`.
 */
export function statsOf(files: PstatsJson[]): PstatsJson {
  const merged: PstatsJson = { total_calls: 0, prim_calls: 0, total_tt: 0, entries: [] };
  const entries = new Map<string, PstatsJson['entries'][number]>();
  for (const i of statsAddOrder(files.length)) {
    const file = files[i];
    merged.total_calls += file.total_calls;
    merged.prim_calls += file.prim_calls;
    merged.total_tt += file.total_tt;
    for (const e of file.entries) {
      const old = entries.get(funcKey(e.func)) ?? { func: e.func, cc: 0, nc: 0, tt: 0, ct: 0, callers: [] };
      const callers = new Map<string, [PstatsFunc, PstatsCallerNumbers]>(old.callers.map((c) => [funcKey(c[0]), c]));
      for (const [func, value] of e.callers) {
        const had = callers.get(funcKey(func));
        if (!had) callers.set(funcKey(func), [func, value]);
        else if (Array.isArray(value) && Array.isArray(had[1])) {
          const sum = had[1];
          callers.set(funcKey(func), [func, value.map((v, k) => v + sum[k]) as PstatsCallerNumbers]);
        } else if (typeof value === 'number' && typeof had[1] === 'number')
          callers.set(funcKey(func), [func, had[1] + value]);
        else throw new TypeError('pstats cannot add a count to a tuple');
      }
      entries.set(funcKey(e.func), {
        func: e.func,
        cc: e.cc + old.cc,
        nc: e.nc + old.nc,
        tt: e.tt + old.tt,
        ct: e.ct + old.ct,
        callers: [...callers.values()].sort((a, b) => compareFuncs(a[0], b[0])),
      });
    }
  }
  merged.entries = [...entries.values()].sort((a, b) => compareFuncs(a.func, b.func));
  return merged;
}
