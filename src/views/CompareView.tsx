import { useMemo } from 'preact/hooks';
import { compareProfiles } from '../../workers/compare';
import type { Profile } from '../../workers/model';
import { compareColumns, totalsText } from '../compare-columns';
import { diffColor, diffTrees, type TreeDiff } from '../flame/diff';
import { visibleText } from '../flame/names';
import { baseName } from '../export/download';
import type { ViewState } from '../view-state';
import { formatAmount } from '../weights';
import { FlameGraph } from './FlameGraph';
import { StatsTable, type ShownTable } from './StatsTable';

interface Props {
  baseline: Profile;
  next: Profile;
  state: ViewState;
  onState(s: ViewState): void;
  highlighted: Uint8Array | null;
  searchMatches: Uint8Array | null;
  onShown(table: ShownTable): void;
}

/**
 * Before and after: the comparison table, or the new profile's flame graph coloured by change.
 * Both sides are compared without their idle samples, which are no function's cost.
 */
export function CompareView({ baseline, next, state, onState, highlighted, searchMatches, onShown }: Props) {
  const comparison = useMemo(() => compareProfiles(baseline, next), [baseline, next]);
  const columns = useMemo(() => compareColumns(comparison, baseline, next), [comparison, baseline, next]);
  const rowLabel = useMemo(() => columns.find((c) => c.id === 'function')!.cell, [columns]);
  const diff = useMemo(() => (state.view === 'diff' ? diffTrees(baseline, next) : null), [baseline, next, state.view]);
  const set = (part: Partial<ViewState>) => onState({ ...state, ...part });
  // Opens on the change of the first cost, the largest in the direction the total moved: after a
  // speed-up, what got faster comes first.
  const firstDelta = columns.find((c) => c.id.endsWith(':delta'))!.id;
  const shrank = comparison.sameUnit && comparison.next.grandTotal < comparison.base.grandTotal;
  const sortable = columns.some((c) => c.id === state.sort.column) ? state.sort : { column: firstDelta, ascending: shrank };
  const selectedRow = state.selected === null ? null : comparison.newFrame.indexOf(state.selected);
  const pp = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)} pp`;
  const amount = (x: number) => formatAmount(diff?.unit ?? next.unit, x);
  const diffLines = (d: TreeDiff, i: number) =>
    d.absolute
      ? [`before: ${amount(d.baseValue[i])}, after: ${amount(d.newValue[i])}`, `change: ${d.newValue[i] >= d.baseValue[i] ? '+' : '−'}${amount(Math.abs(d.newValue[i] - d.baseValue[i]))}`]
      : [`before: ${(100 * d.baseValue[i]).toFixed(2)} %, after: ${(100 * d.newValue[i]).toFixed(2)} %`, `change: ${pp(d.newValue[i] - d.baseValue[i])}`];

  return (
    <div class="stats-view compare-view">
      <p class="summary" data-testid="compare-totals">
        <span class="muted">{visibleText(baseline.fileName)}</span> → <span>{visibleText(next.fileName)}</span>: {totalsText(comparison, baseline, next)}
        {!comparison.sameUnit && <span class="muted"> · units differ: values are shares of each profile's total</span>}
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
          selected={selectedRow !== null && selectedRow >= 0 ? selectedRow : null}
          onSelect={(r) => comparison.newFrame[r] >= 0 && set({ selected: comparison.newFrame[r] })}
          onShown={onShown}
        />
      ) : (
        diff && (
          <>
            <div class="diff-legend">
              <span><i style={{ background: diffColor(-1, 1) }} /> {diff.absolute ? 'less' : 'smaller share'} than before</span>
              <span><i style={{ background: diffColor(0, 1) }} /> unchanged</span>
              <span><i style={{ background: diffColor(1, 1) }} /> {diff.absolute ? 'more' : 'larger share'} than before</span>
              <span class="muted">
                {diff.absolute
                  ? 'each path of functions compared with the same path before, drawn over the new profile'
                  : "shares of each profile's total, since their units differ"}
              </span>
            </div>
            <FlameGraph
              profile={next}
              tree={next.tree}
              orientation="flame"
              highlighted={highlighted}
              searchMatches={searchMatches}
              onSelect={(f) => set({ selected: f })}
              formatWeight={(w) => formatAmount(next.unit, w)}
              grandTotal={next.samples}
              nodeColor={(i) => diffColor(diff.newValue[i] - diff.baseValue[i], diff.maxChange)}
              tooltipLines={(i) => diffLines(diff, i)}
              testId="diff-flame"
              exportAs={{
                file: `${baseName(baseline.fileName)}-vs-${baseName(next.fileName)}-diff`,
                title: `${visibleText(baseline.fileName)} → ${visibleText(next.fileName)} — diff flame graph`,
              }}
            />
          </>
        )
      )}
    </div>
  );
}
