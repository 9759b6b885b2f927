import type { ComponentChild } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Profile } from '~/core/model/profile';
import { callersCallees, type Neighbour } from '~/core/analysis/callers-callees';
import { functionOf } from '~/core/analysis/function-of';
import { stringAt } from '~/core/model/string-pack';
import { displayName, visibleText } from '../flame/names';

interface Props {
  profile: Profile;
  selected: number;
  formatWeight(w: number): string;
  onSelect(frame: number): void;
  onClose(): void;
}

/** The selected function's callers and callees with the weight on each edge, merged over every place it appears. */
export function NeighboursPanel({ profile, selected, formatWeight, onSelect, onClose }: Props) {
  const fn = useMemo(() => functionOf(profile), [profile]);
  const edges = useMemo(() => callersCallees(profile.tree, fn, selected), [profile, fn, selected]);
  const label = (f: number) => visibleText(stringAt(profile.strings, profile.frames.label[f]));

  const table = (title: string, rows: Neighbour[], testId: string, extra?: ComponentChild) => (
    <section class="edges" data-testid={testId}>
      <h3>
        {title} <span class="muted">({rows.length})</span>
      </h3>
      {rows.length === 0 && !extra ? (
        <p class="muted">none</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th class="num" title="Weight in the callee and below on this edge, each sample once">
                total
              </th>
              <th class="num" title="Weight in the callee itself on this edge">
                self
              </th>
              <th>function</th>
            </tr>
          </thead>
          <tbody>
            {extra}
            {rows.map((n) => (
              <tr key={n.frame} class="link" onClick={() => onSelect(n.frame)} title={label(n.frame)}>
                <td class="num">{formatWeight(n.total)}</td>
                <td class="num">{formatWeight(n.self)}</td>
                <td class="fn">{displayName(profile, n.frame)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );

  return (
    <div class="callers-panel">
      <div class="panel-head">
        <h2 class="selected-name" title={label(selected)}>
          {label(selected)}
        </h2>
        <button class="link close" aria-label="Close the callers panel" title="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {table(
        'Called by',
        edges.callers,
        'callers',
        edges.fromRoot > 0 && (
          <tr>
            <td class="num">{formatWeight(edges.fromRoot)}</td>
            <td class="num" />
            <td class="fn muted">(a root of the stacks)</td>
          </tr>
        ),
      )}
      {table('Calls', edges.callees, 'callees')}
    </div>
  );
}
