import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Profile } from '~/core/model/profile';
import { statsHeaderText } from '~/core/formats/pstats/pstats-text';
import { functionRows, sampledStats } from '~/core/analysis/sampled-stats';
import { groupPstatsLines } from '~/core/analysis/pstats-lines';
import { compileFilter } from '../filter';
import { reachedFrames, searchFrames } from '../frame-search';
import { kindLegend, legendColor } from '../flame/colors';
import { withIdleRoot } from '~/core/analysis/idle-root';
import { displayName } from '../flame/names';
import { calleesTree, callersTree } from '~/core/analysis/sandwich';
import { functionText, pstatsColumns } from '../table/pstats-columns';
import { sampledColumns } from '../table/sampled-columns';
import type { ViewName, ViewState } from '../address/view-state';
import { formatAmount } from '../weights';
import { searchTree } from '../flame/layout';
import { CallersPanel } from './CallersPanel';
import { FunctionLines } from './FunctionLines';
import { CallTreeView } from './CallTreeView';
import { NeighboursPanel } from './NeighboursPanel';
import { Transforms } from './Transforms';
import { useTransformed } from './use-transformed';
import { CompareView } from './CompareView';
import { SINGLE, dividedBy, type GroupSizes } from '~/core/analysis/per-profile';
import { diffTrees, type TreeDiff } from '~/core/analysis/tree-diff';
import { leftTotal } from '~/core/analysis/quick-call-tree';
import { transformWorker } from '~/worker/transform-client';
import { keepsEveryCall } from '~/core/analysis/transforms/transforms';
import { changeNote } from './call-tree-change';
import { visibleText } from '../flame/names';
import { exportProfile, type ExportKind } from '../export/profile-export';
import { FlameGraph } from './FlameGraph';
import { drawnTree } from '../flame/drawn-tree';
import { SquareMap } from './SquareMap';
import { MenuButton } from './MenuButton';
import { StatsTable } from './StatsTable';
import type { ShownTable } from '../table/table-types';
import { TimeOrder } from './TimeOrder';
import { restrictToRange, type TimeRange } from '~/core/analysis/time-range';
import { restrictToThreads, threadList } from '~/core/analysis/threads';
import { ThreadPicker } from './ThreadPicker';
import { restrictToStatus, statusFilters } from '~/core/analysis/sample-status';
import { allStrings, stringAt } from '~/core/model/string-pack';

interface Props {
  profile: Profile;
  /** The profile to compare against, when comparing. */
  baseline?: Profile | null;
  /** How many profiles each side merges, when comparing groups of a set. */
  groups?: GroupSizes;
  state: ViewState;
  onState(s: ViewState): void;
}

const tabs: [ViewName, string][] = [
  ['table', 'Table'],
  ['calltree', 'Call tree'],
  ['flame', 'Flame graph'],
  ['icicle', 'Icicle'],
  ['squaremap', 'Square map'],
  ['sandwich', 'Sandwich'],
  ['timeline', 'Time order'],
  ['compare', 'Compare'],
  ['diff', 'Diff flame graph'],
];

/** Everything shown for one open profile: the tabs, the table and the graphs, one selection. */
export function ProfileView({ profile: read, baseline: readBaseline, groups = SINGLE, state, onState }: Props) {
  // Two changes in one event (a click selects and zooms) both hold: each builds on the one before.
  const latest = useRef(state);
  latest.current = state;
  const set = (part: Partial<ViewState>) => onState((latest.current = { ...latest.current, ...part }));
  // Every view, export and comparison reads the profile, and the baseline, as the transforms leave them.
  const graphShown = state.view === 'flame' || state.view === 'icicle';
  const transformed = useTransformed(
    read,
    readBaseline ?? null,
    state.transforms,
    state.view === 'calltree',
    state.view === 'calltree' || graphShown,
  );
  const { profile: opened, baseline } = transformed;
  const available = tabs.filter(([v]) =>
    v === 'timeline' ? opened.timeline : v === 'compare' || v === 'diff' ? baseline : true,
  );
  // A link or a reload can name a view this profile does not have (no baseline, no timeline).
  const view = available.some(([v]) => v === state.view) ? state.view : 'table';
  const [showIdle, setShowIdle] = useState(true);
  // A time range narrows the profile it was chosen on, not the next one opened.
  const [chosenRange, setChosenRange] = useState<{ of: Profile; range: TimeRange } | null>(null);
  const range = chosenRange?.of === opened ? chosenRange.range : null;
  const setRange = (r: TimeRange | null) => setChosenRange(r ? { of: opened, range: r } : null);

  const threads = useMemo(() => threadList(opened), [opened]);
  const threadChoice = { only: state.threads, merge: state.mergeThreads };
  const threaded = useMemo(
    () => restrictToThreads(opened, { only: state.threads, merge: state.mergeThreads }),
    [opened, state.threads, state.mergeThreads],
  );
  // Like a range, the samples' state narrows the profile it was chosen on.
  const [chosenStatus, setChosenStatus] = useState<{ of: Profile; bits: number } | null>(null);
  const statusBits = chosenStatus?.of === opened ? chosenStatus.bits : 0;
  const inState = useMemo(() => restrictToStatus(threaded, statusBits), [threaded, statusBits]);
  const ranged = useMemo(() => (range ? restrictToRange(inState, range) : inState), [inState, range]);
  const profile = useMemo(() => (showIdle ? withIdleRoot(ranged) : ranged), [ranged, showIdle]);
  const grandTotal = profile.samples + (showIdle ? profile.idle : 0);
  const [inverted, setInverted] = useState(false);
  // The call tree draws a transform's result before the worker's whole result comes, where nothing
  // narrows the profile further (threads, state, range, idle root); inverted, only until it comes.
  const quickTree =
    view === 'calltree' && profile === opened
      ? inverted
        ? transformed.pending
          ? transformed.quickInverted()
          : null
        : transformed.quick
      : null;
  // Shares of what the transform left, as the worker's result gives them.
  const callTreeTotal = useMemo(() => (quickTree ? leftTotal(quickTree) : grandTotal), [quickTree, grandTotal]);
  // The flame graph and icicle draw it too, unzoomed, as much of it as they show, until the worker's comes.
  const quickGraph =
    graphShown && transformed.pending && profile === opened && state.zoom.length === 0 ? transformed.quick : null;
  const drawn = useMemo(
    () => quickGraph && { profile: quickGraph.profile, tree: drawnTree(quickGraph.byLine, window.innerWidth) },
    [quickGraph],
  );
  const rows = useMemo(() => (profile.pstats ? null : functionRows(profile)), [profile]);
  // Only the table shows the numbers: a transform redraws the other views without them.
  const tableShown = view === 'table';
  const sampled = useMemo(() => (rows && tableShown ? sampledStats(profile, rows) : null), [profile, rows, tableShown]);
  // Tachyon's pstats: one row per function, its lines listed when it is selected.
  const pstatsFunctions = useMemo(
    () => (profile.pstats?.sampled ? groupPstatsLines(profile, profile.pstats) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the entries and their names, not the calls read later
    [profile.pstats?.cc, profile.frames, profile.strings],
  );
  const selectedFunction =
    pstatsFunctions && state.selected !== null && state.selected < profile.frames.count
      ? pstatsFunctions.rowOfFrame[state.selected]
      : -1;

  // Memoized so that selecting a row does not sort and filter the whole table again.
  const table = useMemo(() => {
    // The filter reads every row's label: the string table is cut whole once, on the first filter.
    let strings: string[] | undefined;
    const label = (f: number) => (strings ??= allStrings(profile.strings))[profile.frames.label[f]];
    if (pstatsFunctions) {
      const pstats = profile.pstats!;
      return {
        columns: pstatsColumns(profile, pstats, pstatsFunctions),
        rowLabel: (r: number) => functionText(profile, pstatsFunctions.frame[r]),
      };
    }
    if (profile.pstats) return { columns: pstatsColumns(profile, profile.pstats), rowLabel: label };
    if (sampled) {
      return {
        columns: sampledColumns(profile, sampled, grandTotal),
        rowLabel: (r: number) => label(sampled.frame[r]),
      };
    }
    return null;
    // Keyed by the parts the table shows, so that pstats calls arriving later do not sort it again.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the parts the table shows, not the whole profile
  }, [profile.pstats?.cc, profile.frames, profile.strings, sampled, pstatsFunctions, grandTotal]);

  /** Frames of the selected function: the frame itself for pstats, all its lines for sampled formats. */
  const highlighted = useMemo(() => {
    if (state.selected === null || state.selected >= profile.frames.count) return null;
    const marks = new Uint8Array(profile.frames.count);
    if (rows) {
      const row = rows.rowOfFrame[state.selected];
      if (row < 0) marks[state.selected] = 1;
      else for (let f = 0; f < marks.length; f++) if (rows.rowOfFrame[f] === row) marks[f] = 1;
    } else if (pstatsFunctions && pstatsFunctions.rowOfFrame[state.selected] >= 0) {
      const row = pstatsFunctions.rowOfFrame[state.selected];
      for (let k = pstatsFunctions.lineStart[row]; k < pstatsFunctions.lineStart[row + 1]; k++)
        marks[pstatsFunctions.lineFrame[k]] = 1;
    } else {
      marks[state.selected] = 1;
    }
    return marks;
  }, [profile, rows, pstatsFunctions, state.selected]);

  const search = useMemo(() => compileFilter(state.search), [state.search]);
  // Only frames the graphs draw are searched (the time order draws the whole profile, whatever the
  // range): a name no sample reaches must not hide the others. Found at the first search of a
  // profile, not at every keystroke nor at opening.
  const drawnFrames = useMemo(() => {
    let marks: Uint8Array | undefined;
    return () => (marks ??= reachedFrames(profile, [profile.tree, opened.tree]));
  }, [profile, opened]);
  const searchMatches = useMemo(
    () => (search.test ? searchFrames(profile, search.test, drawnFrames()) : null),
    [profile, drawnFrames, search],
  );

  const searchBox = useRef<HTMLInputElement>(null);
  // Held by the profile's frames, which stay the same when pstats calls arrive and replace the
  // profile, unless the callers name functions that are not entries.
  const shownTable = useRef<{ of: Profile['frames']; table: ShownTable } | null>(null);
  const onShown = (table: ShownTable) => (shownTable.current = { of: opened.frames, table });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement;
      if (e.key === '/' && !typing && searchBox.current) {
        e.preventDefault();
        searchBox.current.focus();
      } else if (e.key === 'Escape' && e.target === searchBox.current) {
        set({ search: '' });
        searchBox.current!.blur();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  /** The share of all samples in stacks the search matches: nested matches count once. */
  const searchWeight = useMemo(
    () => (searchMatches ? searchTree(profile.tree, searchMatches).weight : 0),
    [profile, searchMatches],
  );

  // The call tree while comparing: each row's path of functions in the baseline, as the diff flame graph finds it.
  // Diffing a large tree takes a second or more: the tree is drawn first, its Before and Δ once the
  // transform worker has made the diff, the page free meanwhile; on the page where the worker fails.
  const divided = dividedBy(groups, state.groupSums);
  const treeDiffing = useMemo(
    () =>
      view === 'calltree' && baseline && !baseline.callsPending && !inverted
        ? { baseline: showIdle ? withIdleRoot(baseline) : baseline, profile, asShares: state.asShares, divided }
        : null,
    [view, baseline, inverted, showIdle, profile, state.asShares, divided],
  );
  const [treeDiff, setTreeDiff] = useState<{ of: typeof treeDiffing; diff: TreeDiff } | null>(null);
  useEffect(() => {
    if (!treeDiffing) return;
    const { baseline: base, profile: next, asShares, divided: by } = treeDiffing;
    let live = true;
    let later = 0;
    const show = (diff: TreeDiff) => live && setTreeDiff({ of: treeDiffing, diff });
    transformWorker()
      .diff(next, base, asShares, by)
      .then(
        (diff) => diff && show(diff),
        () => {
          if (live) later = window.setTimeout(() => show(diffTrees(base, next, asShares, undefined, by)));
        },
      );
    return () => {
      live = false;
      clearTimeout(later);
    };
  }, [treeDiffing]);
  const treeCompared = useMemo(() => {
    if (view !== 'calltree' || !baseline) return null;
    const name = visibleText(baseline.fileName);
    if (baseline.callsPending)
      return { diff: null, note: `Before and Δ come once the calls of ${name} are read.`, perProfile: false };
    const diff = treeDiff?.of === treeDiffing ? treeDiff.diff : null;
    const note =
      treeDiffing && !diff
        ? `Before and Δ: comparing with ${name}…`
        : changeNote(name, diff?.absolute ?? true, divided);
    return { diff, note, perProfile: !!divided };
  }, [view, baseline, treeDiff, treeDiffing, divided]);

  const weight = (w: number) => formatAmount(profile.unit, w);
  const select = (frame: number) => set({ selected: frame });
  /** Selects a function and clears a table filter that would hide it. */
  const selectShown = (frame: number) => {
    const test = compileFilter(state.filter).test;
    set({
      selected: frame,
      filter: test && !test(stringAt(profile.strings, profile.frames.label[frame])) ? '' : state.filter,
    });
  };
  const graphs = view !== 'table' && view !== 'compare';
  const comparing = (view === 'compare' || view === 'diff') && baseline;
  const callsPending = profile.callsPending || (view === 'diff' && baseline?.callsPending);

  const graphProps = {
    profile,
    highlighted,
    searchMatches,
    onSelect: select,
    formatWeight: weight,
    grandTotal,
  };

  // The tab list is one Tab stop; arrows, Home and End move along it and show the view moved to.
  const onTabKey = (e: KeyboardEvent) => {
    const tabs = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role=tab]')];
    const focused = tabs.indexOf(e.target as HTMLElement);
    const at = focused >= 0 ? focused : available.findIndex(([v]) => v === view);
    const last = available.length - 1;
    const to =
      e.key === 'ArrowRight'
        ? (at + 1) % available.length
        : e.key === 'ArrowLeft'
          ? (at + last) % available.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : -1;
    if (to < 0) return;
    e.preventDefault();
    set({ view: available[to][0] });
    tabs[to]?.focus();
  };

  return (
    <main class="profile-view">
      <div class="view-bar">
        <div class="tabs" role="tablist" aria-label="Views" onKeyDown={onTabKey}>
          {available.map(([v, title]) => (
            <button
              key={v}
              role="tab"
              aria-selected={view === v}
              aria-pressed={view === v}
              tabIndex={view === v ? 0 : -1}
              onClick={() => set({ view: v })}
            >
              {title}
            </button>
          ))}
        </div>
        <MenuButton
          class="export"
          items={[
            { id: 'csv', text: 'Table as CSV' },
            { id: 'folded', text: 'Folded stacks', disabled: opened.callsPending },
            { id: 'speedscope', text: 'speedscope JSON', disabled: opened.callsPending },
          ]}
          onChoose={(what) => {
            const table = shownTable.current?.of === opened.frames ? shownTable.current.table : null;
            // The comparison's table (it has the column saying which side has a function) is named for both.
            const compared = baseline && table?.columns.some((c) => c.id === 'status') ? baseline : undefined;
            exportProfile(what as ExportKind, ranged, table, compared);
          }}
        >
          Export…
        </MenuButton>
      </div>
      {/* What is shown of the profile, in a row of its own, so that neither row wraps at common widths. */}
      <div class="view-tools">
        {graphs && view !== 'calltree' && (
          <label class="graph-search">
            <input
              ref={searchBox}
              type="search"
              data-testid="graph-search"
              placeholder="Search names, else files: text or /regex/ (press /)"
              aria-label="Search frames"
              value={state.search}
              onInput={(e) => set({ search: (e.target as HTMLInputElement).value })}
            />
            <span class="matched" data-testid="matched">
              {search.error ??
                (searchMatches
                  ? `${grandTotal ? ((100 * searchWeight) / grandTotal).toFixed(1) : '0.0'} % matched`
                  : '')}
            </span>
          </label>
        )}
        {opened.idle > 0 && !comparing && (
          <label class="idle-toggle">
            <input
              type="checkbox"
              checked={showIdle}
              onChange={(e) => setShowIdle((e.target as HTMLInputElement).checked)}
            />{' '}
            idle <span class="muted">({((100 * opened.idle) / (opened.samples + opened.idle)).toFixed(1)} %)</span>
          </label>
        )}
        {threads.frame.length > 1 && (
          <ThreadPicker
            profile={opened}
            threads={threads}
            choice={threadChoice}
            onChoice={(c) => set({ threads: c.only && [...c.only], mergeThreads: c.merge })}
          />
        )}
        {opened.timeline?.status && (
          <select
            class="status-filter"
            aria-label="Samples by state"
            data-testid="status-filter"
            value={statusBits}
            onChange={(e) => {
              const bits = Number((e.target as HTMLSelectElement).value);
              setChosenStatus(bits ? { of: opened, bits } : null);
            }}
          >
            <option value={0}>All samples</option>
            {statusFilters.map(([text, bit]) => (
              <option key={bit} value={bit}>
                Samples {text}
              </option>
            ))}
          </select>
        )}
        <Transforms
          profile={opened}
          transforms={state.transforms}
          pending={transformed.pending && !quickTree && !drawn}
          selected={state.selected}
          onChange={(transforms) => set({ transforms })}
        />
        {range && (
          <button class="range-chip" onClick={() => setRange(null)} title="Show the whole time range again">
            {(range.from / 1e6).toFixed(3)}–{(range.to / 1e6).toFixed(3)} s ×
          </button>
        )}
      </div>
      {profile.warnings.map((w) => (
        <div class="warning" key={w}>
          {w}
        </div>
      ))}
      {opened.invalidLines > 0 && (
        <div class="warning" data-testid="invalid-lines">
          {opened.invalidLines.toLocaleString('en')} line{opened.invalidLines === 1 ? ' was' : 's were'} not readable as
          stacks and skipped
          {opened.invalidLineNumbers.length > 0 &&
            ` (line ${opened.invalidLineNumbers.join(', ')}${opened.invalidLines > opened.invalidLineNumbers.length ? ', …' : ''})`}
          .
        </div>
      )}
      {graphs && profile.treeIsEstimate && (
        <div class="note" data-testid="estimate-note">
          {profile.format} records who called whom, not whole stacks: this tree is estimated. Each function's self times
          add up to its tottime
          {profile.treeEstimate &&
            `; ${(100 * profile.treeEstimate.splitShare).toFixed(1)} % of the time is on functions called from several places, split between them by their callers' shares`}
          .
        </div>
      )}
      {view === 'table' &&
        (profile.pstats ? (
          <div class="stats-view">
            <p class="summary" data-testid="summary">
              {statsHeaderText(profile.pstats, profile.unit)}
            </p>
            <div class="stats-split">
              <StatsTable
                columns={table!.columns}
                rowCount={pstatsFunctions ? pstatsFunctions.count : profile.pstats.cc.length}
                rowLabel={table!.rowLabel}
                noun="functions"
                sort={state.sort}
                onSort={(sort) => set({ sort })}
                filter={state.filter}
                onFilter={(filter) => set({ filter })}
                selected={pstatsFunctions ? (selectedFunction >= 0 ? selectedFunction : null) : state.selected}
                onSelect={pstatsFunctions ? (r) => select(pstatsFunctions.frame[r]) : select}
                onShown={onShown}
              />
              {state.selected !== null && state.selected < profile.frames.count && (
                <CallersPanel
                  profile={profile}
                  stats={profile.pstats}
                  selected={state.selected}
                  pending={profile.callsPending}
                  onSelect={selectShown}
                  lines={
                    selectedFunction >= 0 && (
                      <FunctionLines
                        profile={profile}
                        stats={profile.pstats}
                        functions={pstatsFunctions!}
                        row={selectedFunction}
                        selected={state.selected}
                        onSelect={select}
                      />
                    )
                  }
                  onClose={() => set({ selected: null })}
                />
              )}
            </div>
          </div>
        ) : (
          sampled && (
            <div class="stats-view">
              <p class="summary" data-testid="summary">
                {weight(profile.samples)}
                {profile.idle > 0 && `, ${weight(profile.idle)} idle`}
                {profile.failed > 0 && `, ${weight(profile.failed)} failed`}
              </p>
              <div class="stats-split">
                <StatsTable
                  columns={table!.columns}
                  rowCount={sampled.count}
                  rowLabel={table!.rowLabel}
                  noun="functions"
                  sort={state.sort.column === 'cumtime' ? { column: 'total', ascending: false } : state.sort}
                  onSort={(sort) => set({ sort })}
                  filter={state.filter}
                  onFilter={(filter) => set({ filter })}
                  selected={
                    state.selected === null || !(sampled.rowOfFrame[state.selected] >= 0)
                      ? null
                      : sampled.rowOfFrame[state.selected]
                  }
                  onSelect={(r) => select(sampled.frame[r])}
                  onShown={onShown}
                />
                {state.selected !== null && sampled.rowOfFrame[state.selected] >= 0 && (
                  <NeighboursPanel
                    profile={profile}
                    selected={state.selected}
                    formatWeight={weight}
                    onSelect={selectShown}
                    onClose={() => set({ selected: null })}
                  />
                )}
              </div>
            </div>
          )
        ))}
      {graphs && callsPending && (
        <p class="note" data-testid="tree-pending">
          Reading the callers of each function to estimate the call tree…
        </p>
      )}
      {(view === 'flame' || view === 'icicle') && !callsPending && (
        <FlameGraph
          {...graphProps}
          {...(drawn && { profile: drawn.profile, partial: true })}
          tree={drawn?.tree ?? profile.tree}
          orientation={view}
          zoom={state.zoom}
          onZoom={(zoom) => set({ zoom })}
        />
      )}
      {view === 'squaremap' && !callsPending && (
        <SquareMap
          profile={profile}
          highlighted={highlighted}
          searchMatches={searchMatches}
          onSelect={select}
          formatWeight={weight}
          grandTotal={grandTotal}
          kind={state.squareMap}
          onKind={(squareMap) => set({ squareMap })}
          zoom={state.zoom}
          onZoom={(zoom) => set({ zoom })}
          codeZoom={state.codeZoom}
          onCodeZoom={(codeZoom) => set({ codeZoom })}
        />
      )}
      {view === 'calltree' && !callsPending && (
        <CallTreeView
          profile={profile}
          quick={quickTree}
          inverted={inverted}
          onInverted={setInverted}
          highlighted={highlighted}
          onSelect={select}
          onFocusPath={(path) => set({ transforms: [...state.transforms, { kind: 'focus-subtree', path }] })}
          onFocusFunction={(frame) => set({ transforms: [...state.transforms, { kind: 'focus-function', frame }] })}
          formatWeight={weight}
          grandTotal={callTreeTotal}
          compared={treeCompared}
          runCalls={state.transforms.every(keepsEveryCall) ? read.pstats : undefined}
        />
      )}
      {view === 'sandwich' && !callsPending && <Sandwich {...graphProps} selected={state.selected} />}
      {comparing && !(view === 'diff' && callsPending) && (
        <CompareView
          baseline={baseline}
          next={ranged}
          groups={groups}
          state={state}
          onState={onState}
          highlighted={highlighted}
          searchMatches={searchMatches}
          searchTest={search.test}
          onShown={onShown}
        />
      )}
      {view === 'timeline' && inState.timeline && (
        <TimeOrder
          profile={inState}
          range={range}
          onRange={setRange}
          highlighted={highlighted}
          searchMatches={searchMatches}
          showIdle={showIdle}
          onSelect={select}
        />
      )}
      {graphs && view !== 'diff' && view !== 'calltree' && (
        <footer class="legend">
          {kindLegend.map(([kind, text]) => (
            <span key={kind}>
              <i style={{ background: legendColor(kind) }} /> {text}
            </span>
          ))}
          <span class="muted">
            {view === 'timeline'
              ? 'drag: narrow to a time range · click: select a function · / search'
              : view === 'squaremap'
                ? 'click or Enter: select and zoom in one level · Esc or Backspace: zoom out · arrows: move'
                : 'click: zoom · wheel: zoom · drag: pan · / search · Esc reset · arrows move · +/− zoom'}
          </span>
        </footer>
      )}
    </main>
  );
}

type GraphProps = Omit<Parameters<typeof FlameGraph>[0], 'tree' | 'orientation'>;

function Sandwich(props: GraphProps & { selected: number | null }) {
  const { profile, highlighted, selected } = props;
  const trees = useMemo(() => {
    if (!highlighted) return null;
    const inGroup = (f: number) => highlighted[f] === 1;
    return { callers: callersTree(profile.tree, inGroup), callees: calleesTree(profile.tree, inGroup) };
  }, [profile, highlighted]);
  if (!trees || selected === null) {
    return <p class="empty muted">Select a function (in the table or a graph) to see its callers and callees.</p>;
  }
  return (
    <div class="sandwich">
      <h3>Callers of {displayName(profile, selected)}</h3>
      <FlameGraph {...props} tree={trees.callers} orientation="flame" testId="sandwich-callers" />
      <h3>Callees of {displayName(profile, selected)}</h3>
      <FlameGraph {...props} tree={trees.callees} orientation="icicle" testId="sandwich-callees" />
    </div>
  );
}
