import { useMemo } from 'preact/hooks';
import type { Intervals, Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { visibleText } from '../flame/names';

interface Props {
  intervals: Intervals;
  strings: Profile['strings'];
  /** Microseconds the time axis spans, as the chart above draws it. */
  span: number;
}

const LANE = 12;

/** Each state's intervals (holds the GIL, on CPU, collecting garbage…) in a lane of its own, on the chart's time axis. */
export function IntervalLanes({ intervals, strings, span }: Props) {
  const lanes = useMemo(() => {
    const byName = new Map<number, number[]>();
    for (let i = 0; i < intervals.count; i++) {
      const list = byName.get(intervals.name[i]);
      if (list) list.push(i);
      else byName.set(intervals.name[i], [i]);
    }
    return [...byName].map(([name, members]) => ({ name: stringAt(strings, name), members }));
  }, [intervals, strings]);

  return (
    <div class="interval-lanes" data-testid="interval-lanes">
      {lanes.map((lane, k) => (
        <div class="interval-lane" key={lane.name}>
          <svg viewBox={`0 0 ${span} 1`} preserveAspectRatio="none" height={LANE} aria-hidden="true">
            {lane.members.map((i) => (
              <rect
                key={i}
                x={intervals.start[i]}
                width={Math.max(intervals.end[i] - intervals.start[i], span / 2000)}
                y={0}
                height={1}
                fill={`hsl(${(k * 67) % 360} 55% 55% / 0.55)`}
              />
            ))}
          </svg>
          <span class="interval-name">
            {visibleText(lane.name)} ({lane.members.length})
          </span>
        </div>
      ))}
    </div>
  );
}
