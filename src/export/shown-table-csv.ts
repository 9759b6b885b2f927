import { csvLine } from '~/core/export/table-csv';
import type { ShownTable } from '../table/table-types';

/** A table as shown (its rows, sorted and filtered) as CSV: numbers at full precision, one column per column id. */
export function shownTableCsv({ columns, rows }: ShownTable): string {
  const value = (r: number) => (c: ShownTable['columns'][number]) => {
    if (!c.numeric) return (c.value ?? c.cell)(r);
    const v = (c.value ?? c.sortValue)(r);
    return typeof v === 'number' && !Number.isFinite(v) ? '' : v;
  };
  const ids = columns.flatMap((c) => [c.id, ...(c.exportAlso ?? []).map((a) => a.id)]);
  const lines = [csvLine(ids)];
  for (const r of rows())
    lines.push(csvLine(columns.flatMap((c) => [value(r)(c), ...(c.exportAlso ?? []).map((a) => a.value(r))])));
  return lines.join('\n') + '\n';
}
