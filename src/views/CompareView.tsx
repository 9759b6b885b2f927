import { useMemo } from 'preact/hooks';
import { compareProfiles } from '../../workers/compare';
import type { Profile } from '../../workers/model';
import { compareColumns, totalsText } from '../compare-columns';
import { diffColor, diffTrees } from '../flame/diff';
import { visibleText } from '../flame/names';
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
  // Opens on the change of the first cost, largest growth first.
  const firstDelta = columns.find((c) => c.id.endsWith(':delta'))!.id;
  const sortable = columns.some((c) => c.id === state.sort.column) ? state.sort : { column: firstDelta, ascending: false };
  const selectedRow = state.selected === null ? null : comparison.newFrame.indexOf(state.selected);
  const pp = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)} pp`;

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
              <span><i style={{ background: diffColor(-1, 1) }} /> smaller share than before</span>
              <span><i style={{ background: diffColor(0, 1) }} /> unchanged</span>
              <span><i style={{ background: diffColor(1, 1) }} /> larger share than before</span>
              <span class="muted">shares of each profile's total, so runs of different length compare fairly</span>
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
              nodeColor={(i) => diffColor(diff.newShare[i] - diff.baseShare[i], diff.maxChange)}
              tooltipLines={(i) => [
                `before: ${(100 * diff.baseShare[i]).toFixed(2)} %, after: ${(100 * diff.newShare[i]).toFixed(2)} %`,
                `change: ${pp(diff.newShare[i] - diff.baseShare[i])}`,
              ]}
              testId="diff-flame"
            />
          </>
        )
      )}
    </div>
  );
}
