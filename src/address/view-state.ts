import type { Transform } from '~/core/analysis/transforms/transforms';
import type { SortState } from '../table/table-types';

export type ViewName =
  'table' | 'calltree' | 'flame' | 'icicle' | 'squaremap' | 'timeline' | 'sandwich' | 'compare' | 'diff';

/** The square map's two maps: the call tree by total, or where code lives by self. */
export type SquareMapKind = 'calls' | 'code';

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
  /** The flame graph's and icicle's zoom: the frame ids from a root down to the node zoomed to; empty when not zoomed. */
  zoom: number[];
  /** The comparison's costs as shares of each profile's total, even in one unit. */
  asShares: boolean;
  /** Groups of different size compared by their sums rather than by their mean per profile. */
  groupSums: boolean;
  /** The diff flame graph drawn over the baseline (what was removed shows) rather than over the new profile. */
  overBaseline: boolean;
  /** The thread root frames shown; null for all of them. */
  threads: number[] | null;
  /** Whether identical stacks of different threads are summed, the thread level dropped. */
  mergeThreads: boolean;
  /** When comparing: the library's keys of the baseline and of the profile compared with it, so that a reload compares them again. */
  baseline: string | null;
  next: string | null;
  /** Which square map is shown. */
  squareMap: SquareMapKind;
  /** The square map of where code lives zoomed to a group: the groups' names from the outermost in; empty when not zoomed. */
  codeZoom: string[];
  /** Applied in order to the open profile before every view reads it. */
  transforms: Transform[];
}

export const initialViewState = (): ViewState => ({
  view: 'table',
  selected: null,
  sort: { column: 'cumtime', ascending: false },
  filter: '',
  search: '',
  zoom: [],
  asShares: false,
  groupSums: false,
  overBaseline: false,
  threads: null,
  mergeThreads: false,
  baseline: null,
  next: null,
  squareMap: 'calls',
  codeZoom: [],
  transforms: [],
});
