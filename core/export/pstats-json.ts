import type { Profile } from '../model/profile';
import { stringAt } from '../model/string-pack';

export type PstatsFunc = [string, number, string];
export type PstatsCallerNumbers = [number, number, number, number] | number;

export interface PstatsJson {
  total_calls: number;
  prim_calls: number;
  total_tt: number;
  entries: {
    func: PstatsFunc;
    cc: number;
    nc: number;
    tt: number;
    ct: number;
    callers: [PstatsFunc, PstatsCallerNumbers][];
  }[];
}

const compareFuncs = (a: PstatsFunc, b: PstatsFunc): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);

/** The profile as `pstats.Stats` holds it, entries and callers sorted, in plain JSON types. */
export function toPstatsJson(p: Profile): PstatsJson {
  const s = p.pstats;
  if (!s) throw new Error(`${p.fileName} is a ${p.format} profile, not pstats`);
  const func = (f: number): PstatsFunc => [
    stringAt(p.strings, p.frames.file[f]),
    p.frames.line[f],
    stringAt(p.strings, p.frames.name[f]),
  ];
  const entries: PstatsJson['entries'] = [];
  for (let f = 0; f < s.cc.length; f++) {
    const callers: [PstatsFunc, PstatsCallerNumbers][] = [];
    for (let e = s.edgeStart[f]; e < s.edgeStart[f + 1]; e++) {
      const numbers: PstatsCallerNumbers = Number.isNaN(s.edgeTt[e])
        ? s.edgeNc[e]
        : [s.edgeNc[e], s.edgeCc[e], s.edgeTt[e], s.edgeCt[e]];
      callers.push([func(s.edgeCaller[e]), numbers]);
    }
    callers.sort((a, b) => compareFuncs(a[0], b[0]));
    entries.push({ func: func(f), cc: s.cc[f], nc: s.nc[f], tt: s.tt[f], ct: s.ct[f], callers });
  }
  entries.sort((a, b) => compareFuncs(a.func, b.func));
  return { total_calls: s.totalCalls, prim_calls: s.primCalls, total_tt: s.totalTt, entries };
}
