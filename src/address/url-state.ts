import { parseTransform, transformText } from '~/core/analysis/transforms/transform-text';
import type { Transform } from '~/core/analysis/transforms/transforms';
import { initialViewState, type ViewName, type ViewState } from './view-state';

/** Every view, so that a hand-edited link cannot name one that does not exist. */
const viewNames: Record<ViewName, true> = {
  table: true,
  calltree: true,
  flame: true,
  icicle: true,
  squaremap: true,
  timeline: true,
  sandwich: true,
  compare: true,
  diff: true,
};

const isViewName = (s: string): s is ViewName => Object.hasOwn(viewNames, s);

/** `-cumtime` sorts cumtime largest first, `cumtime` smallest first. */
const sortText = ({ column, ascending }: ViewState['sort']) => `${ascending ? '' : '-'}${column}`;

/**
 * The view state as a URL fragment without the `#`, e.g. `view=table&sel=12&sort=-cumtime`.
 * Values equal to the initial state are left out, so a fresh view has an empty fragment.
 */
export function encodeViewState(state: ViewState): string {
  const initial = initialViewState();
  const params = new URLSearchParams();
  if (state.view !== initial.view) params.set('view', state.view);
  if (state.selected !== null) params.set('sel', String(state.selected));
  if (sortText(state.sort) !== sortText(initial.sort)) params.set('sort', sortText(state.sort));
  if (state.filter) params.set('filter', state.filter);
  if (state.search) params.set('search', state.search);
  if (state.zoom.length) params.set('zoom', state.zoom.join('.'));
  if (state.asShares) params.set('shares', '1');
  if (state.groupSums) params.set('sums', '1');
  if (state.overBaseline) params.set('drawn', 'baseline');
  if (state.threads) params.set('threads', state.threads.join(','));
  if (state.mergeThreads) params.set('merge', '1');
  if (state.baseline) params.set('base', state.baseline);
  if (state.next) params.set('next', state.next);
  if (state.squareMap !== initial.squareMap) params.set('map', state.squareMap);
  for (const name of state.codeZoom) params.append('mz', name);
  for (const t of state.transforms) params.append('tf', transformText(t));
  return params.toString();
}

/** Reads a fragment written by `encodeViewState` (or by hand): anything unreadable keeps its initial value. */
export function decodeViewState(fragment: string): ViewState {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const state = initialViewState();
  const view = params.get('view');
  if (view && isViewName(view)) state.view = view;
  const selected = params.get('sel');
  if (selected && /^\d{1,9}$/.test(selected)) state.selected = Number(selected);
  const sort = /^(-?)(.+)$/.exec(params.get('sort') ?? '');
  if (sort) state.sort = { column: sort[2], ascending: !sort[1] };
  state.filter = params.get('filter') ?? '';
  state.search = params.get('search') ?? '';
  const zoom = params.get('zoom') ?? '';
  if (/^\d{1,9}(\.\d{1,9})*$/.test(zoom)) state.zoom = zoom.split('.').map(Number);
  state.asShares = params.get('shares') === '1';
  state.groupSums = params.get('sums') === '1';
  state.overBaseline = params.get('drawn') === 'baseline';
  const threads = params.get('threads');
  if (threads !== null && /^(\d{1,9}(,\d{1,9})*)?$/.test(threads))
    state.threads = threads ? [...new Set(threads.split(',').map(Number))] : [];
  state.mergeThreads = params.get('merge') === '1';
  const key = (name: string) => {
    const value = params.get(name);
    return value && /^[0-9a-f]{64}$/.test(value) ? value : null;
  };
  state.baseline = key('base');
  state.next = key('next');
  if (params.get('map') === 'code') state.squareMap = 'code';
  state.codeZoom = params.getAll('mz');
  state.transforms = params
    .getAll('tf')
    .map(parseTransform)
    .filter((t): t is Transform => t !== null);
  return state;
}

/** A linked selection, zoom or thread that names frames the open profile does not have is dropped rather than shown as nothing. */
export function fitViewState(state: ViewState, frameCount: number): ViewState {
  let fitted = state;
  if (state.selected !== null && state.selected >= frameCount) fitted = { ...fitted, selected: null };
  if (state.zoom.some((f) => f >= frameCount)) fitted = { ...fitted, zoom: [] };
  if (state.threads?.some((f) => f >= frameCount))
    fitted = { ...fitted, threads: state.threads.filter((f) => f < frameCount) };
  return fitted;
}

/**
 * The address of a view: `?url=` names the hosted profile that is open (none for a local file),
 * the fragment holds the view state. Other query parameters are kept.
 */
export function addressOf(current: string, profileUrl: string | null, state: ViewState): string {
  const address = new URL(current);
  if (address.searchParams.get('url') !== profileUrl) {
    if (profileUrl === null) address.searchParams.delete('url');
    else address.searchParams.set('url', profileUrl);
  }
  address.hash = encodeViewState(state);
  return address.href;
}
