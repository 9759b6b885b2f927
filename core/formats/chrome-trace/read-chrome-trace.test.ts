import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameKind, ProfileError, frameKindOf, type Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { fixtureFiles, readBytes, readJson, sameStacks, stacksOf } from '~/test/fixtures';
import { parseChromeTrace } from './read-chrome-trace';

interface Truth {
  events: number;
  threads: { pid: number; tid: number; stacks: Record<string, number>; first_ts: number; last_ts: number }[];
}

function truthFrame(p: Profile, f: number): string {
  const name = stringAt(p.strings, p.frames.name[f]);
  const file = stringAt(p.strings, p.frames.file[f]);
  const line = p.frames.line[f];
  if (!file) return frameKindOf(p.frames, f) !== FrameKind.code && line === 0 ? `${name} (:0)` : name;
  return `${name} (${file}:${line})`;
}

const encode = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

describe('Chrome trace events', () => {
  it.each(fixtureFiles('pyspy', '.chrometrace.json').map((f) => [basename(f), f]))(
    '%s: the merged tree holds each thread’s time, the timeline each thread’s lane',
    (_, f) => {
      const truth = readJson<Truth>(`${f}.truth.json`);
      const p = parseChromeTrace(readBytes(f), basename(f));
      expect(p.unit).toBe('microseconds');
      const several = truth.threads.length > 1;
      const expected: Record<string, number> = {};
      for (const t of truth.threads)
        for (const [stack, us] of Object.entries(t.stacks)) {
          const key = several && !stack.startsWith('thread (') ? `thread (${t.tid});${stack}` : stack;
          expected[key] = (expected[key] ?? 0) + us;
        }
      expect(sameStacks(stacksOf(p, truthFrame), expected, 1e-6)).toEqual([]);
      const t = p.timeline!;
      let weight = 0;
      for (let k = 0; k < t.time.length; k++) weight += t.weight![k];
      expect(weight).toBeCloseTo(p.samples, 6);
      const first = Math.min(...truth.threads.map((x) => x.first_ts));
      const last = Math.max(...truth.threads.map((x) => x.last_ts));
      expect(t.firstUs).toBe(first);
      expect(t.time[t.time.length - 1]).toBeLessThan(last - first);
    },
  );

  it('viztracer complete events (X) nest by time, names carry file and line, M events name threads', () => {
    const p = parseChromeTrace(
      encode({
        traceEvents: [
          { ph: 'M', name: 'thread_name', pid: 1, tid: 2, args: { name: 'MainThread' } },
          { ph: 'X', name: 'leaf (/app/a.py:9)', pid: 1, tid: 2, ts: 12, dur: 3 },
          { ph: 'X', name: 'main (/app/a.py:1)', pid: 1, tid: 2, ts: 10, dur: 10 },
          { ph: 'X', name: 'work (/app/a.py:5)', pid: 1, tid: 3, ts: 10, dur: 4 },
        ],
      }),
      'v.json',
    );
    expect(stacksOf(p, truthFrame)).toEqual({
      'thread (2): MainThread;main (/app/a.py:1)': 7,
      'thread (2): MainThread;main (/app/a.py:1);leaf (/app/a.py:9)': 3,
      'thread (3);work (/app/a.py:5)': 4,
    });
    expect(p.samples).toBe(14);
  });

  it('an array cut short is read; hostile input is a ProfileError or data', () => {
    const cut = '[{"ph":"B","name":"f","pid":1,"tid":1,"ts":0},{"ph":"E","pid":1,"tid":1,"ts":5},';
    expect(parseChromeTrace(new TextEncoder().encode(cut), 'c.json').samples).toBe(5);
    const proto =
      '[{"__proto__":{"ph":"B"},"ph":"B","name":"__proto__","pid":1,"tid":1,"ts":0},{"ph":"E","pid":1,"tid":1,"ts":1}]';
    expect(parseChromeTrace(new TextEncoder().encode(proto), 'p.json').samples).toBe(1);
    expect(() => parseChromeTrace(encode([{ ph: 'i', ts: 1 }]), 'i.json')).toThrow(ProfileError);
    const deep = `[${'['.repeat(100000)}${']'.repeat(100000)}]`;
    expect(() => parseChromeTrace(new TextEncoder().encode(deep), 'd.json')).toThrow(ProfileError);
    const e = parseChromeTrace(
      encode([
        { ph: 'E', pid: 1, tid: 1, ts: 0 },
        { ph: 'X', name: 'f', pid: 1, tid: 1, ts: 1, dur: 2 },
      ]),
      'e',
    );
    expect(e.warnings.join()).toMatch(/1 end events/);
  });
});
