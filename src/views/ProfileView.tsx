import { useMemo } from 'preact/hooks';
import type { Profile, PstatsTable } from '../../workers/model';
import { statsHeaderText } from '../../workers/pstats-format';
import { pstatsColumns } from '../table-columns';
import { CallersPanel } from './CallersPanel';
import type { ViewState } from '../view-state';
import { StatsTable, type SortState } from './StatsTable';

/** Everything shown for one open profile. */
export function ProfileView({ profile, state, onState }: { profile: Profile; state: ViewState; onState(s: ViewState): void }) {
  const s = profile.pstats;
  const set = (part: Partial<ViewState>) => onState({ ...state, ...part });
  const { selected, sort, filter } = state;
  const setSelected = (f: number) => set({ selected: f });
  const setSort = (sort: SortState) => set({ sort });
  const setFilter = (filter: string) => set({ filter });

  return (
    <main class="profile-view">
      {profile.warnings.map((w) => (
        <div class="warning" key={w}>{w}</div>
      ))}
      {s && (
        <PstatsStats profile={profile} stats={s} selected={selected} onSelect={setSelected} sort={sort} onSort={setSort} filter={filter} onFilter={setFilter} />
      )}
    </main>
  );
}

interface StatsProps {
  profile: Profile;
  stats: PstatsTable;
  selected: number | null;
  onSelect(frame: number): void;
  sort: SortState;
  onSort(s: SortState): void;
  filter: string;
  onFilter(f: string): void;
}

function PstatsStats({ profile, stats, selected, onSelect, sort, onSort, filter, onFilter }: StatsProps) {
  const columns = useMemo(() => pstatsColumns(profile, stats), [profile, stats]);
  const rowLabel = useMemo(() => (f: number) => profile.strings[profile.frames.label[f]], [profile]);
  return (
    <div class="stats-view">
      <p class="summary" data-testid="summary">{statsHeaderText(stats)}</p>
      <div class="stats-split">
        <StatsTable
          columns={columns}
          rowCount={stats.cc.length}
          rowLabel={rowLabel}
          noun="functions"
          sort={sort}
          onSort={onSort}
          filter={filter}
          onFilter={onFilter}
          selected={selected}
          onSelect={onSelect}
        />
        {selected !== null && <CallersPanel profile={profile} stats={stats} selected={selected} onSelect={onSelect} />}
      </div>
    </div>
  );
}
