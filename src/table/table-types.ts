export interface TableColumn {
  id: string;
  title: string;
  /** Shown on hover over the column title. */
  help: string;
  numeric: boolean;
  /** Text too long for the column loses its start, not its end: a path's end names the function. */
  keepEnd?: boolean;
  width: string;
  cell(row: number): string;
  /** Shown as a chip of this colour (a CSS colour) holding the cell's text. */
  chip?(row: number): string;
  /** Said on hover over a cell, after its whole text, when the value needs a word of explanation. */
  note?(row: number): string | undefined;
  /** Numbers sort largest first on the first click; text sorts A→Z. */
  sortValue(row: number): number | string;
  /** The value at full precision, for export; the sort value when absent. NaN: no value. */
  value?(row: number): number | string;
  /** Columns an export writes after this one, for what its cell shows in one (ncalls' "n/m"). */
  exportAlso?: { id: string; value(row: number): number }[];
}

/** What a table shows: its columns and its rows in order, after sorting and filtering. */
export interface ShownTable {
  columns: TableColumn[];
  /** The rows, all of them in order: ordered now if the table is still ordering them. */
  rows(): number[];
}

export interface SortState {
  column: string;
  ascending: boolean;
}
