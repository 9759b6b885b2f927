import { useMemo } from 'preact/hooks';
import { compareProfiles } from '~/core/analysis/compare';
import { dividedBy, perProfile, unequalGroups, type GroupSizes } from '~/core/analysis/per-profile';
import type { Profile } from '~/core/model/profile';
import { compareColumns, totalsText } from '../table/compare-columns';
import { diffTrees, rowsOf, type TreeDiff } from '~/core/analysis/tree-diff';
import { diffColor } from '../flame/diff-color';
import { visibleText } from '../flame/names';
import { searchTree } from '../flame/layout';
import { reachedFrames, searchFrames } from '../frame-search';
import { baseName } from '../export/download';
import type { ImageLegend } from '../export/image-header';
import type { ViewState } from '../address/view-state';
import { formatAmount } from '../weights';
import { FlameGraph } from './FlameGraph';
import { StatsTable } from './StatsTable';
import type { ShownTable } from '../table/table-types';

interface Props {
  baseline: Profile;
  next: Profile;
  /** How many profiles each side merges: groups of different size are compared per profile unless asked for sums. */
  groups: GroupSizes;
  state: ViewState;
  onState(s: ViewState): void;
  highlighted: Uint8Array | null;
  searchMatches: Uint8Array | null;
  /** The graph search, to find frames of the baseline when the diff is drawn over it. */
  searchTest?: (text: string) => boolean;
  onShown(table: ShownTable): void;
}

/**
 * Before and after: the comparison table, or the new profile's flame graph coloured by change.
 * Both sides are compared without their idle samples, which are no function's cost.
 */
export function CompareView({
  baseline,
  next,
  groups,
  state,
  onState,
  highlighted,
  searchMatches,
  searchTest,
  onShown,
}: Props) {
  const sums = useMemo(() => compareProfiles(baseline, next), [baseline, next]);
  const set = (part: Partial<ViewState>) => onState({ ...state, ...part });
  // A merge is its group's sum: 997 quick requests against the 3 slowest would read as a speed-up.
  const unequal = unequalGroups(groups);
  const divided = dividedBy(groups, state.groupSums);
  const perGroup = divided !== undefined;
  const comparison = useMemo(() => (divided ? perProfile(sums, divided) : sums), [sums, divided]);
  const groupsText = unequal
    ? `${perGroup ? 'mean' : 'sum'} of ${groups.base.toLocaleString('en')} profiles → ${perGroup ? 'mean' : 'sum'} of ${groups.next.toLocaleString('en')}: `
    : '';
  // Two runs of different length compare better as shares of their totals, even in one unit.
  const { asShares, overBaseline } = state;
  const columns = useMemo(
    () => compareColumns(comparison, baseline, next, asShares),
    [comparison, baseline, next, asShares],
  );
  const rowLabel = useMemo(() => columns.find((c) => c.id === 'function')!.cell, [columns]);
  // Drawn over the new profile, the diff shows what grew; over the baseline, what the change removed.
  const drawn = overBaseline ? baseline : next;
  const diff = useMemo(() => {
    if (state.view !== 'diff') return null;
    const rows = rowsOf(comparison);
    return overBaseline
      ? diffTrees(
          next,
          baseline,
          asShares,
          { base: rows.next, next: rows.base },
          divided && { base: divided.next, next: divided.base },
        )
      : diffTrees(baseline, next, asShares, rows, divided);
  }, [comparison, baseline, next, state.view, overBaseline, asShares, divided]);
  const selectedRow = state.selected === null ? -1 : (comparison.newRowOfFrame[state.selected] ?? -1);
  // Over the baseline, the search and the selection are found among the baseline's frames: the
  // selected function is its row's frames there.
  const baselineReached = useMemo(
    () => (overBaseline ? reachedFrames(baseline, [baseline.tree]) : null),
    [overBaseline, baseline],
  );
  const baselineSearch = useMemo(
    () => (baselineReached && searchTest ? searchFrames(baseline, searchTest, baselineReached) : null),
    [baselineReached, searchTest, baseline],
  );
  const baselineShare = useMemo(
    () =>
      baselineSearch && baseline.samples ? searchTree(baseline.tree, baselineSearch).weight / baseline.samples : null,
    [baselineSearch, baseline],
  );
  const baselineHighlighted = useMemo(
    () =>
      overBaseline && selectedRow >= 0
        ? Uint8Array.from(comparison.baseRowOfFrame, (row) => (row === selectedRow ? 1 : 0))
        : null,
    [overBaseline, selectedRow, comparison],
  );
  // Opens on the change of the first cost, the largest in the direction the total moved: after a
  // speed-up, what got faster comes first.
  const firstDelta = columns.find((c) => c.id.endsWith(':delta'))!.id;
  const shrank = comparison.sameUnit && comparison.next.grandTotal < comparison.base.grandTotal;
  const sortable = columns.some((c) => c.id === state.sort.column)
    ? state.sort
    : { column: firstDelta, ascending: shrank };
  const pp = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)} pp`;
  const amount = (x: number) => formatAmount(diff?.unit ?? next.unit, x);
  // Over the baseline, the diff's "new" values are the baseline's own.
  const before = (d: TreeDiff, i: number) => (overBaseline ? d.newValue[i] : d.baseValue[i]);
  const after = (d: TreeDiff, i: number) => (overBaseline ? d.baseValue[i] : d.newValue[i]);
  // One function per diff: the graph draws again when its colouring changes, not at every render.
  const nodeColor = useMemo(
    () => diff && ((i: number) => diffColor(after(diff, i) - before(diff, i), diff.maxChange)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `before` and `after` change with `overBaseline` only
    [diff, overBaseline],
  );
  /** The diff's colour key and both totals, as an exported image says them. */
  const diffLegend = (d: TreeDiff): ImageLegend => ({
    keys: [
      { color: diffColor(-1, 1), text: `${d.absolute ? 'less' : 'smaller share'} than before` },
      { color: diffColor(0, 1), text: 'unchanged' },
      { color: diffColor(1, 1), text: `${d.absolute ? 'more' : 'larger share'} than before` },
    ],
    lines: [
      `${visibleText(baseline.fileName)} → ${visibleText(next.fileName)}: ${groupsText}${totalsText(comparison, baseline, next)}`,
      `drawn over the ${overBaseline ? 'baseline: what was removed shows' : 'new profile: what grew shows'}; ` +
        (d.absolute ? 'each path compared with the same path in the other' : "shares of each profile's total"),
    ],
  });
  const diffLines = (d: TreeDiff, i: number) => {
    const [b, a] = [before(d, i), after(d, i)];
    return d.absolute
      ? [
          // A frame of one line is compared as its path of functions, every line of it together, as the legend says.
          `its path of functions, before: ${amount(b)}, after: ${amount(a)}`,
          `change: ${a >= b ? '+' : '−'}${amount(Math.abs(a - b))}`,
        ]
      : [
          `its path of functions, before: ${(100 * b).toFixed(2)} %, after: ${(100 * a).toFixed(2)} %`,
          `change: ${pp(a - b)}`,
        ];
  };

  return (
    <div class="stats-view compare-view">
      <p class="summary" data-testid="compare-totals">
        <span class="muted">{visibleText(baseline.fileName)}</span> → <span>{visibleText(next.fileName)}</span>:{' '}
        {groupsText}
        {totalsText(comparison, baseline, next)}
        {unequal && (
          <label class="muted">
            {' · '}
            <input
              type="checkbox"
              checked={state.groupSums}
              onChange={(e) => set({ groupSums: (e.target as HTMLInputElement).checked })}
            />{' '}
            sums of each group
          </label>
        )}
        {comparison.sameUnit ? (
          <label class="muted">
            {' · '}
            <input
              type="checkbox"
              checked={asShares}
              onChange={(e) => set({ asShares: (e.target as HTMLInputElement).checked })}
            />{' '}
            as shares of each total
          </label>
        ) : (
          <span class="muted"> · units differ: values are shares of each profile's total</span>
        )}
      </p>
      {state.view === 'compare' ? (
        <StatsTable
          columns={columns}
          rowCount={comparison.count}
          rowLabel={rowLabel}
          noun="functions"
          sort={sortable}
          onSort={(sort) => set({ sort })}
          filter={state.filter}
          onFilter={(filter) => set({ filter })}
          selected={selectedRow >= 0 ? selectedRow : null}
          onSelect={(r) => comparison.newFrame[r] >= 0 && set({ selected: comparison.newFrame[r] })}
          onShown={onShown}
        />
      ) : (
        diff && (
          <>
            <div class="diff-legend">
              {diffLegend(diff).keys.map((key) => (
                <span key={key.text}>
                  <i style={{ background: key.color }} /> {key.text}
                </span>
              ))}
              <span class="muted">
                {diff.absolute
                  ? 'each path of functions compared with the same path in the other profile'
                  : `shares of each profile's total${comparison.sameUnit ? '' : ', since their units differ'}`}
              </span>
              <label>
                <input
                  type="checkbox"
                  checked={overBaseline}
                  onChange={(e) => set({ overBaseline: (e.target as HTMLInputElement).checked })}
                />{' '}
                drawn over the baseline (what was removed shows)
              </label>
              {baselineShare !== null && (
                <span class="muted" data-testid="baseline-matched">
                  in the baseline: {(100 * baselineShare).toFixed(1)} % matched
                </span>
              )}
            </div>
            <FlameGraph
              profile={drawn}
              tree={drawn.tree}
              orientation="flame"
              // The selection and the search, among the frames of the profile drawn.
              highlighted={overBaseline ? baselineHighlighted : highlighted}
              searchMatches={overBaseline ? baselineSearch : searchMatches}
              onSelect={(f) => {
                const row = overBaseline ? comparison.baseRowOfFrame[f] : -1;
                const selected = overBaseline ? (row >= 0 ? comparison.newFrame[row] : -1) : f;
                if (selected >= 0) set({ selected });
              }}
              formatWeight={(w) => formatAmount(drawn.unit, w)}
              grandTotal={drawn.samples}
              nodeColor={nodeColor ?? undefined}
              tooltipLines={(i) => diffLines(diff, i)}
              testId="diff-flame"
              legend={diffLegend(diff)}
              exportAs={{
                file: `${baseName(baseline.fileName)}-vs-${baseName(next.fileName)}-diff${overBaseline ? '-over-baseline' : ''}`,
                title: `${visibleText(baseline.fileName)} → ${visibleText(next.fileName)} — diff flame graph${overBaseline ? ', over the baseline' : ''}`,
              }}
            />
          </>
        )
      )}
    </div>
  );
}
