import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameKind, ProfileError, frameKindOf, type Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { fixtureFiles, readBytes, readJson, sameStacks, stacksOf } from '~/test/fixtures';
import { utf16WithMark } from '~/test/streams';
import { parseSpeedscope } from './read-speedscope';

interface TruthProfile {
  name: string;
  unit: string;
  samples?: number;
  total_weight?: number;
  empty_samples?: number;
  stacks?: Record<string, number>;
}
interface Truth {
  profiles: TruthProfile[];
  stacks?: Record<string, number>;
  total_time?: number;
  torn_frames?: unknown[];
}

/** A frame as the truths write it: `name (file:line)`; thread roots by their name. */
function truthFrame(p: Profile, f: number): string {
  const name = stringAt(p.strings, p.frames.name[f]);
  const file = stringAt(p.strings, p.frames.file[f]);
  const line = p.frames.line[f];
  if (!file) return frameKindOf(p.frames, f) !== FrameKind.code && line === 0 ? `${name} (:0)` : name;
  return `${name} (${file}:${line})`;
}

const pyspy = fixtureFiles('pyspy', '.speedscope.json').filter((f) => !f.includes('-torn'));
const pyinstrument = fixtureFiles('pyinstrument', '.speedscope.json');

describe('speedscope files', () => {
  it.each(pyspy.map((f) => [basename(f), f]))(
    '%s: py-spy threads are root frames, stacks as py-spy wrote them',
    (_, f) => {
      const truth = readJson<Truth>(`${f}.truth.json`);
      const p = parseSpeedscope(readBytes(f), basename(f));
      expect(p.unit).toBe('seconds');
      const expected: Record<string, number> = {};
      let idle = 0;
      for (const t of truth.profiles) {
        for (const [stack, w] of Object.entries(t.stacks!)) {
          if (stack === '') idle += w;
          else {
            const key = stack.startsWith('thread (') ? stack : `${t.name};${stack}`;
            expected[key] = (expected[key] ?? 0) + w;
          }
        }
      }
      expect(sameStacks(stacksOf(p, truthFrame), expected, 1e-9)).toEqual([]);
      expect(p.idle).toBeCloseTo(idle, 9);
      const total = truth.profiles.reduce((s, t) => s + t.total_weight!, 0);
      expect(p.samples + p.idle).toBeCloseTo(total, 9);
      for (let i = 0; i < p.tree.count; i += p.tree.size[i])
        expect(frameKindOf(p.frames, p.tree.frame[i])).toBe(FrameKind.thread);
      expect(p.timeline).toBeUndefined();
    },
  );

  it('a torn frame (bytes that are not UTF-8, a line in the billions) opens, its line dropped', () => {
    const f = fixtureFiles('pyspy', '-torn.speedscope.json')[0];
    const truth = readJson<Truth>(`${f}.truth.json`);
    const p = parseSpeedscope(readBytes(f), basename(f));
    const total = truth.profiles.reduce((s, t) => s + t.total_weight!, 0);
    expect(p.samples + p.idle).toBeCloseTo(total, 9);
    const torn = [...Array(p.frames.count).keys()].filter((i) =>
      stringAt(p.strings, p.frames.name[i]).includes('\ufffd'),
    );
    expect(torn.length).toBe(truth.torn_frames!.length);
    for (const i of torn) expect(p.frames.line[i]).toBe(-1);
  });

  it.each(pyinstrument.map((f) => [basename(f), f]))(
    '%s: pyinstrument evented profile with its times and timeline',
    (_, f) => {
      const truth = readJson<Truth>(`${f}.truth.json`);
      const p = parseSpeedscope(readBytes(f), basename(f));
      expect(p.unit).toBe('seconds');
      expect(sameStacks(stacksOf(p, truthFrame), truth.stacks!, 1e-9)).toEqual([]);
      expect(p.samples).toBeCloseTo(truth.total_time!, 9);
      const t = p.timeline!;
      let weight = 0;
      for (let k = 0; k < t.time.length; k++) weight += t.weight![k];
      expect(weight).toBeCloseTo(truth.total_time!, 9);
      for (let k = 1; k < t.time.length; k++) expect(t.time[k]).toBeGreaterThanOrEqual(t.time[k - 1]);
    },
  );

  const file = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  const shared = { frames: [{ name: 'a' }, { name: 'b', file: 'b.py', line: 3 }] };

  it('every unit: milliseconds and nanoseconds become microseconds, bytes kilobytes', () => {
    const sampled = (unit: string) => ({
      type: 'sampled',
      name: 'x',
      unit,
      startValue: 0,
      endValue: 2,
      samples: [[0, 1]],
      weights: [2048],
    });
    const of = (...units: string[]) => parseSpeedscope(file({ shared, profiles: units.map(sampled) }), 'f');
    expect([of('none').unit, of('none').samples]).toEqual(['samples', 2048]);
    expect([of('bytes').unit, of('bytes').samples]).toEqual(['kilobytes', 2]);
    expect([of('milliseconds').unit, of('milliseconds').samples]).toEqual(['microseconds', 2048000]);
    expect([of('nanoseconds').unit, of('nanoseconds').samples]).toEqual(['microseconds', 2.048]);
    expect([of('seconds', 'milliseconds').unit, of('seconds', 'milliseconds').samples]).toEqual([
      'microseconds',
      2048e6 + 2048e3,
    ]);
    expect(() => of('seconds', 'bytes')).toThrow(/units that do not add up/);
    expect(() => of('parsecs')).toThrow(ProfileError);
  });

  it('several evented profiles are threads, lined up in the timeline', () => {
    const ev = (name: string, events: [string, number, number][]) => ({
      type: 'evented',
      name,
      unit: 'milliseconds',
      startValue: 0,
      endValue: 10,
      events: events.map(([type, at, frame]) => ({ type, at, frame })),
    });
    const p = parseSpeedscope(
      file({
        shared,
        profiles: [
          ev('main', [
            ['O', 0, 0],
            ['O', 2, 1],
            ['C', 5, 1],
            ['C', 6, 0],
          ]),
          ev('worker', [
            ['O', 4, 1],
            ['C', 10, 1],
          ]),
        ],
      }),
      'f',
    );
    expect(stacksOf(p, truthFrame)).toEqual({ 'main;a': 3000, 'main;a;b (b.py:3)': 3000, 'worker;b (b.py:3)': 6000 });
    const t = p.timeline!;
    expect(Array.from(t.time)).toEqual([0, 0, 2000, 2000, 4000, 4000, 5000, 5000, 6000, 6000]);
    expect(Array.from(t.weight!)).toEqual([2000, 0, 2000, 0, 1000, 1000, 1000, 1000, 0, 4000]);
  });

  it('a sample naming a frame the file lacks is told by its number, the first in order; one skipped for its weight is not', () => {
    const profile = (samples: unknown[], weights: unknown[]) => ({
      type: 'sampled',
      name: 'p',
      unit: 'none',
      samples,
      weights,
    });
    const cases: [unknown[], unknown[], RegExp | undefined][] = [
      [
        [
          [0, 1],
          [0, 5],
          [1, -1],
        ],
        [1, 1, 1],
        /sample 2 of profile 1 names frame 5\b/,
      ],
      [
        [
          [0, 1],
          [1, -1],
          [0, 5],
        ],
        [1, 1, 1],
        /sample 2 of profile 1 names frame -1\b/,
      ],
      [
        [
          [0, 1],
          [0, 1.5],
          [0, 5],
        ],
        [1, 1, 1],
        /sample 2 of profile 1 names frame 1.5\b/,
      ],
      [
        [
          [0, 5],
          [0, 1],
          [0, 5, 1],
        ],
        [-1, 1, 1],
        /sample 3 of profile 1 names frame 5\b/,
      ],
      [[[0, 5], [1, -1], [0], 'x'], ['w', null, 1, 1], undefined],
    ];
    for (const [samples, weights, error] of cases) {
      const json = JSON.stringify({ shared, profiles: [profile(samples, weights)] });
      for (const bytes of [new TextEncoder().encode(json), utf16WithMark(json)]) {
        if (error) expect(() => parseSpeedscope(bytes, 'f'), json).toThrow(error);
        else {
          const p = parseSpeedscope(bytes, 'f');
          expect(stacksOf(p, truthFrame)).toEqual({ a: 1 });
          expect([p.invalidLines, p.invalidLineNumbers]).toEqual([3, [1, 2, 4]]);
        }
      }
    }
  });

  it('hostile JSON: __proto__ keys, deep nesting, absurd indices are data or a ProfileError', () => {
    const proto =
      '{"shared":{"frames":[{"name":"__proto__","__proto__":{"file":"x"}}]},"profiles":[{"__proto__":{"type":"sampled"},"type":"sampled","name":"p","unit":"none","startValue":0,"endValue":1,"samples":[[0]],"weights":[1]}]}';
    const p = parseSpeedscope(new TextEncoder().encode(proto), 'f');
    expect(stringAt(p.strings, p.frames.name[0])).toBe('__proto__');
    expect(({} as Record<string, unknown>).file).toBeUndefined();
    const deep = `{"shared":{"frames":[]},"profiles":${'['.repeat(200000)}${']'.repeat(200000)}}`;
    expect(() => parseSpeedscope(new TextEncoder().encode(deep), 'f')).toThrow(ProfileError);
    const far = file({
      shared,
      profiles: [{ type: 'sampled', name: 'p', unit: 'none', samples: [[2 ** 31]], weights: [1] }],
    });
    expect(() => parseSpeedscope(far, 'f')).toThrow(/names frame 2147483648/);
    expect(() => parseSpeedscope(new TextEncoder().encode('{"profiles": [1, 2'), 'f')).toThrow(/not valid JSON/);
  });
});
