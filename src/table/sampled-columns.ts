import type { Profile } from '~/core/model/profile';
import type { SampledStats } from '~/core/analysis/sampled-stats';
import { formatWeight } from '../weights';
import { visibleText } from '../flame/names';
import type { TableColumn } from './table-types';
import { whereColumn } from './where-column';
import { stringAt } from '~/core/model/string-pack';

const percent = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '');

/** Self and total weight per function (file + function, over all its lines). Rows are `SampledStats` rows. */
export function sampledColumns(p: Profile, s: SampledStats, grandTotal: number): TableColumn[] {
  const name = (r: number) =>
    stringAt(p.strings, p.frames.name[s.frame[r]]) || stringAt(p.strings, p.frames.label[s.frame[r]]);
  const file = (r: number) => stringAt(p.strings, p.frames.file[s.frame[r]]);
  const weight = (w: number) => formatWeight(p.unit, w, false);
  // Cells hold bare numbers: the title says what they count when it is not samples.
  const shown = p.unit === 'microseconds' ? ' (ms)' : p.unit === 'kilobytes' ? ' (KiB)' : '';
  return [
    {
      id: 'self',
      title: `self${shown}`,
      numeric: true,
      width: '6.5rem',
      help: `Weight sampled in the function itself (${p.unit})`,
      cell: (r) => weight(s.self[r]),
      sortValue: (r) => s.self[r],
    },
    {
      id: 'self%',
      title: '%',
      numeric: true,
      width: '3.5rem',
      help: 'self as a share of all samples',
      cell: (r) => percent(s.self[r], grandTotal),
      sortValue: (r) => s.self[r],
      value: (r) => (100 * s.self[r]) / grandTotal,
    },
    {
      id: 'total',
      title: `total${shown}`,
      numeric: true,
      width: '6.5rem',
      help: `Weight sampled in the function or below it, recursion counted once (${p.unit})`,
      cell: (r) => weight(s.total[r]),
      sortValue: (r) => s.total[r],
    },
    {
      id: 'total%',
      title: '%',
      numeric: true,
      width: '3.5rem',
      help: 'total as a share of all samples',
      cell: (r) => percent(s.total[r], grandTotal),
      sortValue: (r) => s.total[r],
      value: (r) => (100 * s.total[r]) / grandTotal,
    },
    {
      id: 'function',
      title: 'function',
      numeric: false,
      width: 'minmax(10rem, 1fr)',
      help: 'The function',
      cell: (r) => visibleText(name(r)),
      sortValue: name,
      value: name,
    },
    {
      id: 'file',
      title: 'file',
      numeric: false,
      width: 'minmax(10rem, 1.2fr)',
      help: 'Where it is defined',
      keepEnd: true,
      cell: (r) => visibleText(file(r)),
      sortValue: file,
      value: file,
    },
    whereColumn(p, (r) => s.frame[r]),
  ];
}
