import type { Profile, PstatsTable, WeightUnit } from '~/core/model/profile';
import type { PstatsFunctions } from '~/core/analysis/pstats-lines';
import { ncallsText, pyFixed } from '~/core/formats/pstats/pstats-text';
import { visibleText } from '../flame/names';
import type { TableColumn } from './table-types';
import { whereColumn } from './where-column';
import { stringAt } from '~/core/model/string-pack';

/** How a cost is shown: seconds as pstats prints them; counts (callgrind's events) whole. */
export const costFormat =
  (unit: WeightUnit) =>
  (x: number): string =>
    unit === 'seconds' ? pyFixed(x, 3) : Math.round(x).toLocaleString('en');
const percent = (part: number, whole: number) => (whole > 0 ? `${pyFixed((100 * part) / whole, 1)}%` : '');

/** Why a cumtime can be more than the total, which is the sum of every function's tottime. */
export const OVER_TOTAL_NOTE =
  'Above 100 %: cumtime is timed from each call’s start to its end, while the total is the sum of every ' +
  'function’s tottime. The two differ by the profiler’s own overhead, and by more where calls overlap: a ' +
  'recursive call counted at every level (some profilers), threads running at once.';

/** A function of a sampled pstats file, whatever its lines: `file(name)`. */
export const functionText = (p: Profile, f: number): string =>
  `${stringAt(p.strings, p.frames.file[f])}(${stringAt(p.strings, p.frames.name[f])})`;

/**
 * The columns of `print_stats`, plus percent of total time; rows are pstats entries, or with
 * `functions` the functions of a sampled file, each its lines summed.
 */
export function pstatsColumns(p: Profile, table: PstatsTable, functions?: PstatsFunctions): TableColumn[] {
  const frameOf = (r: number) => (functions ? functions.frame[r] : r);
  const label = (r: number) =>
    functions ? functionText(p, functions.frame[r]) : stringAt(p.strings, p.frames.label[r]);
  // By file, then line as a number (so 9 comes before 10), then name.
  const bySource = (r: number) => {
    const f = frameOf(r);
    return `${stringAt(p.strings, p.frames.file[f])}\0${functions ? '' : String(p.frames.line[f]).padStart(10, '0')}\0${stringAt(p.strings, p.frames.name[f])}`;
  };
  const s = { sampled: table.sampled, ...(functions ?? table) };
  const total = table.totalTt;
  const seconds = costFormat(p.unit);
  // Tachyon's sampled stats: what Python 3.15's print_stats titles them.
  const per = s.sampled ? 'persample' : 'percall';
  return [
    {
      id: 'ncalls',
      title: s.sampled ? 'nsamples' : 'ncalls',
      numeric: true,
      width: '5.5rem',
      help: s.sampled
        ? 'Samples with the line on the stack; "n/m": m of them with it on top'
        : 'Number of calls; "n/m" when recursive: n calls in all, m of them primitive (not recursive)',
      cell: (f) => ncallsText(s.nc[f], s.cc[f]),
      sortValue: (f) => s.nc[f],
      exportAlso: [{ id: 'primitive_calls', value: (f) => s.cc[f] }],
    },
    {
      id: 'tottime',
      title: 'tottime',
      numeric: true,
      width: '4.5rem',
      help: `Time spent in the function itself, excluding calls to others (${p.unit})`,
      cell: (f) => seconds(s.tt[f]),
      sortValue: (f) => s.tt[f],
    },
    {
      id: 'tottime%',
      title: '%',
      numeric: true,
      width: '3.5rem',
      help: 'tottime as a share of the total time',
      cell: (f) => percent(s.tt[f], total),
      sortValue: (f) => s.tt[f],
      value: (f) => (100 * s.tt[f]) / total,
    },
    {
      id: 'tpercall',
      title: per,
      numeric: true,
      width: '4.5rem',
      help: s.sampled ? 'tottime / nsamples' : 'tottime / ncalls',
      cell: (f) => (s.nc[f] ? seconds(s.tt[f] / s.nc[f]) : ''),
      sortValue: (f) => (s.nc[f] ? s.tt[f] / s.nc[f] : 0),
    },
    {
      id: 'cumtime',
      title: 'cumtime',
      numeric: true,
      width: '4.5rem',
      help: `Time spent in the function and everything it called (${p.unit})`,
      cell: (f) => seconds(s.ct[f]),
      sortValue: (f) => s.ct[f],
    },
    {
      id: 'cumtime%',
      title: '%',
      numeric: true,
      width: '3.5rem',
      help: 'cumtime as a share of the total time',
      cell: (f) => percent(s.ct[f], total),
      // As shown: a share that rounds to 100.0 % needs no word.
      note: (f) => (parseFloat(percent(s.ct[f], total)) > 100 ? OVER_TOTAL_NOTE : undefined),
      sortValue: (f) => s.ct[f],
      value: (f) => (100 * s.ct[f]) / total,
    },
    {
      id: 'cpercall',
      title: per,
      numeric: true,
      width: '4.5rem',
      help: s.sampled ? 'cumtime / samples with the line on top' : 'cumtime / primitive calls',
      cell: (f) => (s.cc[f] ? seconds(s.ct[f] / s.cc[f]) : ''),
      sortValue: (f) => (s.cc[f] ? s.ct[f] / s.cc[f] : 0),
    },
    {
      id: 'function',
      title: functions ? 'filename(function)' : 'filename:lineno(function)',
      numeric: false,
      width: 'minmax(20rem, 1fr)',
      help: functions ? 'The function, every sampled line of it' : 'The function, as pstats names it',
      keepEnd: true,
      cell: (f) => visibleText(label(f)),
      sortValue: bySource,
      value: label,
    },
    whereColumn(p, frameOf),
  ];
}
