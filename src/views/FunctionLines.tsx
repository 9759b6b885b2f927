import type { Profile, PstatsTable } from '~/core/model/profile';
import type { PstatsFunctions } from '~/core/analysis/pstats-lines';
import { ncallsText } from '~/core/formats/pstats/pstats-text';
import { costFormat } from '../table/pstats-columns';

interface Props {
  profile: Profile;
  stats: PstatsTable;
  functions: PstatsFunctions;
  row: number;
  /** The line whose callers are shown. */
  selected: number;
  onSelect(frame: number): void;
}

/** The sampled lines of one function, each with the numbers of its own pstats entry. */
export function FunctionLines({ profile, stats: s, functions: g, row, selected, onSelect }: Props) {
  const cost = costFormat(profile.unit);
  const lines = Array.from(g.lineFrame.subarray(g.lineStart[row], g.lineStart[row + 1]));
  return (
    <section class="edges" data-testid="lines">
      <h3>
        Lines <span class="muted">({lines.length})</span>
      </h3>
      <table>
        <thead>
          <tr>
            <th class="num" title="The line that was executing">
              line
            </th>
            <th class="num" title='Samples with the line on the stack; "n/m": m of them with it on top'>
              nsamples
            </th>
            <th class="num" title="Time sampled on the line itself">
              tottime
            </th>
            <th class="num" title="Time sampled on the line and in what it called">
              cumtime
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((f) => (
            <tr
              key={f}
              class={`link ${f === selected ? 'selected' : ''}`}
              title="Show this line's callers"
              onClick={() => onSelect(f)}
            >
              <td class="num">{profile.frames.line[f]}</td>
              <td class="num">{ncallsText(s.nc[f], s.cc[f])}</td>
              <td class="num">{cost(s.tt[f])}</td>
              <td class="num">{cost(s.ct[f])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
