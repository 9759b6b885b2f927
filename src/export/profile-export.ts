import { foldedLines } from '~/core/export/folded';
import type { Profile } from '~/core/model/profile';
import { tableCsv } from '~/core/export/table-csv';
import { baseName, download } from './download';
import type { ShownTable } from '../table/table-types';
import { shownTableCsv } from './shown-table-csv';
import { toSpeedscope } from '~/core/export/speedscope';

export type ExportKind = 'csv' | 'folded' | 'speedscope';

/**
 * Saves the open profile in a form other tools read; the CSV is the table as last shown, when
 * there is one. `baseline`: the profile `p` is compared with, when that table is the comparison's.
 */
export function exportProfile(kind: ExportKind, p: Profile, table: ShownTable | null, baseline?: Profile): void {
  const name = baseName(p.fileName);
  if (kind === 'csv') {
    const file = baseline ? `${baseName(baseline.fileName)}-vs-${name}` : name;
    download(new Blob([table ? shownTableCsv(table) : tableCsv(p)], { type: 'text/csv' }), `${file}.csv`);
  } else if (kind === 'folded') {
    const lines = Array.from(foldedLines(p), (l) => l + '\n');
    download(new Blob(lines, { type: 'text/plain' }), `${name}.folded`);
  } else {
    download(new Blob([JSON.stringify(toSpeedscope(p))], { type: 'application/json' }), `${name}.speedscope.json`);
  }
}
