import type { Profile } from '../model/profile';
import { sortedEntries } from '../formats/pstats/pstats-text';
import { sampledStats } from '../analysis/sampled-stats';
import { stringAt } from '../model/string-pack';

const csvCell = (v: string | number): string => {
  // Text that a spreadsheet would run as a formula is kept as text.
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const csvLine = (cells: (string | number)[]): string => cells.map(csvCell).join(',');

/** The pstats table as CSV, by cumulative time, numbers at full precision. */
function pstatsCsv(p: Profile): string {
  const s = p.pstats;
  if (!s) throw new Error(`${p.fileName} is a ${p.format} profile, not pstats`);
  const lines = [
    csvLine([
      'ncalls',
      'primitive_calls',
      'tottime',
      'tottime_percall',
      'cumtime',
      'cumtime_percall',
      'file',
      'line',
      'function',
    ]),
  ];
  for (const f of sortedEntries(s, 'cumtime')) {
    lines.push(
      csvLine([
        s.nc[f],
        s.cc[f],
        s.tt[f],
        s.nc[f] ? s.tt[f] / s.nc[f] : '',
        s.ct[f],
        s.cc[f] ? s.ct[f] / s.cc[f] : '',
        stringAt(p.strings, p.frames.file[f]),
        p.frames.line[f],
        stringAt(p.strings, p.frames.name[f]),
      ]),
    );
  }
  return lines.join('\n') + '\n';
}

/** The sampled-profile table as CSV: self and total weight per function, by total. */
function sampledCsv(p: Profile): string {
  const s = sampledStats(p);
  const rows = Array.from({ length: s.count }, (_, r) => r).sort((a, b) => s.total[b] - s.total[a]);
  const lines = [csvLine([`self_${p.unit}`, `total_${p.unit}`, 'function', 'file'])];
  for (const r of rows) {
    const f = s.frame[r];
    lines.push(
      csvLine([s.self[r], s.total[r], stringAt(p.strings, p.frames.name[f]), stringAt(p.strings, p.frames.file[f])]),
    );
  }
  return lines.join('\n') + '\n';
}

/** The table of any profile as CSV. */
export const tableCsv = (p: Profile): string => (p.pstats ? pstatsCsv(p) : sampledCsv(p));
