import type { Transform } from '~/core/analysis/transforms/transforms';
import type { SortState } from '../table/table-types';

export type ViewName = 'table' | 'calltree' | 'flame' | 'icicle' | 'timeline' | 'sandwich' | 'compare' | 'diff';

/** What the user is looking at in one profile: the part of the page that a link can restore. */
export interface ViewState {
  view: ViewName;
  /** A frame id of the open profile (ids are stable for the same file). */
  selected: number | null;
  sort: SortState;
  /** The stats table's filter box. */
  filter: string;
  /** The graph views' search box. */
  search: string;
  /** When comparing: the library's keys of the baseline and of the profile compared with it, so that a reload compares them again. */
  baseline: string | null;
  next: string | null;
  /** Applied in order to the open profile before every view reads it. */
  transforms: Transform[];
}

export const initialViewState = (): ViewState => ({
  view: 'table',
  selected: null,
  sort: { column: 'cumtime', ascending: false },
  filter: '',
  search: '',
  baseline: null,
  next: null,
  transforms: [],
});
