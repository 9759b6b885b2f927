import { useMemo } from 'preact/hooks';
import type { Intervals, Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { visibleText } from '../flame/names';

interface Props {
  profile: Profile;
  intervals: Intervals;
  /** Microseconds the time axis spans, as the chart above draws it. */
  span: number;
}

const LANE = 12;

/**
 * Each state's intervals (holds the GIL, on CPU, collecting garbage…) in a lane of its own, on the
 * chart's time axis; of each thread apart, named by it, when they are of several threads.
 */
export function IntervalLanes({ profile, intervals, span }: Props) {
  const lanes = useMemo(() => {
    const { strings } = profile;
    const threads = new Set(intervals.thread);
    const byLane = new Map<string, number[]>();
    for (let i = 0; i < intervals.count; i++) {
      const name = stringAt(strings, intervals.name[i]);
      const thread = intervals.thread[i];
      const key =
        threads.size > 1
          ? `${thread >= 0 ? stringAt(strings, profile.frames.label[thread]) : '(no thread)'} · ${name}`
          : name;
      const list = byLane.get(key);
      if (list) list.push(i);
      else byLane.set(key, [i]);
    }
    // One colour per state, whichever thread's lane it is in.
    const hue = new Map<number, number>();
    for (let i = 0; i < intervals.count; i++)
      if (!hue.has(intervals.name[i])) hue.set(intervals.name[i], (hue.size * 67) % 360);
    return [...byLane].map(([name, members]) => ({ name, members, hue: hue.get(intervals.name[members[0]])! }));
  }, [profile, intervals]);

  return (
    <div class="interval-lanes" data-testid="interval-lanes">
      {lanes.map((lane) => (
        <div class="interval-lane" key={lane.name}>
          <svg viewBox={`0 0 ${span} 1`} preserveAspectRatio="none" height={LANE} aria-hidden="true">
            <title>{`${visibleText(lane.name)}: ${lane.members.length} intervals`}</title>
            {lane.members.map((i) => (
              <rect
                key={i}
                x={intervals.start[i]}
                width={Math.max(intervals.end[i] - intervals.start[i], span / 2000)}
                y={0}
                height={1}
                fill={`hsl(${lane.hue} 55% 55% / 0.55)`}
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
