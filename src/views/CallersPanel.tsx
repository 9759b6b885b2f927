import type { ComponentChild } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Profile, PstatsTable } from '~/core/model/profile';
import { calleeIndex } from '~/core/formats/pstats/callee-index';
import { ncallsText } from '~/core/formats/pstats/pstats-text';
import { costFormat } from '../table/pstats-columns';
import { visibleText } from '../flame/names';
import { stringAt } from '~/core/model/string-pack';

interface Props {
  profile: Profile;
  stats: PstatsTable;
  selected: number;
  /** The profile's calls are still being read (see `Profile.callsPending`). */
  pending?: boolean;
  onSelect(frame: number): void;
  /** Shown above the callers: the lines of a sampled function. */
  lines?: ComponentChild;
  /** Closes the panel (unselects the function). */
  onClose(): void;
}

interface EdgeRow {
  frame: number;
  edge: number;
}

/** A label that wraps after a `/` or before a `(` rather than inside a name. */
function wrappable(label: string) {
  const parts = label.split(/(?<=\/)|(?=\()/);
  return parts.flatMap((part, i) => (i ? [<wbr key={i} />, part] : [part]));
}

/** `print_callers` and `print_callees` for one function: the per-edge numbers pstats keeps. */
export function CallersPanel({ profile, stats: s, selected, pending, onSelect, lines, onClose }: Props) {
  const index = useMemo(() => calleeIndex(s, profile.frames.count), [s, profile]);
  const callers: EdgeRow[] = [];
  if (selected < s.cc.length) {
    for (let e = s.edgeStart[selected]; e < s.edgeStart[selected + 1]; e++)
      callers.push({ frame: s.edgeCaller[e], edge: e });
  }
  const callees: EdgeRow[] = [];
  for (let k = index.outStart[selected]; k < index.outStart[selected + 1]; k++) {
    const e = index.outEdge[k];
    callees.push({ frame: index.callee[e], edge: e });
  }
  const byCumtime = (a: EdgeRow, b: EdgeRow) =>
    (s.edgeCt[b.edge] || s.edgeNc[b.edge]) - (s.edgeCt[a.edge] || s.edgeNc[a.edge]);
  callers.sort(byCumtime);
  callees.sort(byCumtime);
  const label = (f: number) => visibleText(stringAt(profile.strings, profile.frames.label[f]));
  const costText = costFormat(profile.unit);

  const table = (title: string, rows: EdgeRow[], testId: string) => (
    <section class="edges" data-testid={testId}>
      <h3>
        {title} <span class="muted">({rows.length})</span>
      </h3>
      {rows.length === 0 ? (
        <p class="muted">none</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th class="num" title="Calls along this edge (n/m when recursive)">
                ncalls
              </th>
              <th class="num" title="Time in the callee itself on this edge">
                tottime
              </th>
              <th class="num" title="Time in the callee and below on this edge">
                cumtime
              </th>
              <th>function</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ frame, edge }) => {
              // The profile module keeps only counts per edge; callgrind keeps the inclusive cost too.
              const cost = (x: number) => (Number.isNaN(x) ? '' : costText(x));
              return (
                <tr
                  key={edge}
                  class={frame < s.cc.length ? 'link' : ''}
                  onClick={() => frame < s.cc.length && onSelect(frame)}
                >
                  <td class="num">{ncallsText(s.edgeNc[edge], s.edgeCc[edge])}</td>
                  <td class="num">{cost(s.edgeTt[edge])}</td>
                  <td class="num">{cost(s.edgeCt[edge])}</td>
                  <td class="fn">{wrappable(label(frame))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );

  return (
    <div class="callers-panel">
      <div class="panel-head">
        <h2 class="selected-name" title={label(selected)}>
          {wrappable(label(selected))}
        </h2>
        <button class="link close" aria-label="Close the callers panel" title="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {lines}
      {pending ? (
        <p class="note" data-testid="callers-pending">
          Reading the callers of each function…
        </p>
      ) : (
        <>
          {table('Called by', callers, 'callers')}
          {table('Calls', callees, 'callees')}
        </>
      )}
    </div>
  );
}
