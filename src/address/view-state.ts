import type { SortState } from '../table/table-types';

export type ViewName = 'table' | 'flame' | 'icicle' | 'timeline' | 'sandwich' | 'compare' | 'diff';

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
  /** The thread root frames shown; null for all of them. */
  threads: number[] | null;
  /** Whether identical stacks of different threads are summed, the thread level dropped. */
  mergeThreads: boolean;
  /** When comparing: the library's keys of the baseline and of the profile compared with it, so that a reload compares them again. */
  baseline: string | null;
  next: string | null;
}

export const initialViewState = (): ViewState => ({
  view: 'table',
  selected: null,
  sort: { column: 'cumtime', ascending: false },
  filter: '',
  search: '',
  threads: null,
  mergeThreads: false,
  baseline: null,
  next: null,
});
