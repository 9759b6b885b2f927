import { describe, expect, it } from 'vitest';
import { toFolded } from '~/core/export/folded';
import { ProfileError } from '~/core/model/profile';
import { fixtureFiles, readBytes } from '~/test/fixtures';
import { parseChromeTrace, parseChromeTraceStream } from '../chrome-trace/read-chrome-trace';
import { parsePyinstrument, parsePyinstrumentStream } from '../pyinstrument/read-pyinstrument';
import { splitJson, splitJsonBytes, type ArrayReader, type JsonPath } from './json-split';
import { chunked } from '~/test/streams';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Collects the elements of the arrays at the paths named, by path. */
function collector(paths: string[]): {
  choose: (path: JsonPath) => ArrayReader | undefined;
  got: Map<string, unknown[]>;
} {
  const got = new Map<string, unknown[]>();
  return {
    got,
    choose: (path) => {
      const key = JSON.stringify(path);
      if (!paths.includes(key)) return undefined;
      const list: unknown[] = [];
      got.set(key, list);
      return {
        values: (values, first) => {
          expect(first).toBe(list.length);
          list.push(...values);
        },
      };
    },
  };
}

describe('a JSON document split as it arrives', () => {
  const doc = `{"a": [1, {"b": "]\\"["}, [2, [3]]], "c": {"a": [4], "d": [ "x,y" , null ]}, "e\\u0020": [5], "__proto__": [6]}`;

  it('gives each chosen array’s elements and keeps the rest, those arrays written [], in chunks of any size', async () => {
    const paths = ['["a"]', '["c","d"]', '["e "]', '["__proto__"]'];
    for (const size of [1, 2, 5, 1000]) {
      const { choose, got } = collector(paths);
      const split = await splitJson(chunked(bytes(doc), size), choose, 'x');
      const whole = JSON.parse(doc) as Record<string, unknown>;
      expect(got.get('["a"]')).toEqual(whole.a);
      expect(got.get('["c","d"]')).toEqual(['x,y', null]);
      expect(got.get('["e "]')).toEqual([5]);
      expect(got.get('["__proto__"]')).toEqual([6]);
      const rest = JSON.parse(split.rest) as Record<string, unknown>;
      expect(rest.a).toEqual([]);
      expect(rest.c).toEqual({ a: [4], d: [] });
      expect(Object.getPrototypeOf(rest)).toBe(Object.prototype);
      expect(split.open).toEqual([]);
    }
  });

  it('gives elements longer and shorter than a chunk whole, wherever chunks cut them', async () => {
    const long = Array.from({ length: 300 }, (_, k) => ({ k, s: 'x'.repeat((k * 7919) % 5000), n: [k, [k]] }));
    const text = JSON.stringify({ before: 'b', a: long, after: { z: 1 } });
    for (const size of [700, 1024, 1500, 3001, 65536]) {
      const { choose, got } = collector(['["a"]']);
      const split = await splitJson(chunked(bytes(text), size), choose, 'x');
      expect(got.get('["a"]'), `chunks of ${size}`).toEqual(long);
      expect(JSON.parse(split.rest)).toEqual({ before: 'b', a: [], after: { z: 1 } });
    }
  });

  it('says which chosen arrays a document ends inside', () => {
    const { choose } = collector(['[]']);
    expect(splitJsonBytes(bytes('[1, 2,'), choose, 'x').open).toEqual([[]]);
  });

  it('scans a deeply nested document without recursion, in time that grows with its size', () => {
    const depth = 1_000_000;
    const deep = `{"a": [${'['.repeat(depth)}${']'.repeat(depth)}], "b": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const { choose, got } = collector(['["a"]']);
    const started = performance.now();
    const split = splitJsonBytes(bytes(deep), choose, 'x');
    expect(got.get('["a"]')).toHaveLength(1);
    expect(split.rest.length).toBe(deep.length - 2 * depth);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('names the byte where an element stops being JSON', () => {
    const { choose } = collector(['["a"]']);
    const bad = '{"a": [1, 2, {"b": 3,}, 4]}';
    expect(() => splitJsonBytes(bytes(bad), choose, 'x')).toThrow(ProfileError);
    expect(() => splitJsonBytes(bytes(bad), choose, 'x')).toThrow(new RegExp(`at byte ${bad.indexOf(',}') + 1}\\b`));
  });
});

describe('Chrome traces and pyinstrument sessions read as they arrive', () => {
  it('read every fixture to the same profile in chunks of any size as whole', async () => {
    const traces = fixtureFiles('pyspy', '.chrometrace.json');
    const sessions = fixtureFiles('pyinstrument', '.pyisession');
    expect(traces.length).toBeGreaterThan(2);
    expect(sessions.length).toBeGreaterThan(2);
    for (const [files, whole, stream] of [
      [traces, parseChromeTrace, parseChromeTraceStream],
      [sessions, parsePyinstrument, parsePyinstrumentStream],
    ] as const) {
      for (const path of files) {
        const b = readBytes(path);
        const read = whole(b, 'x');
        for (const size of [3, 4096]) {
          const streamed = await stream(chunked(b, size), 'x');
          expect(toFolded(streamed), `${path} in chunks of ${size}`).toBe(toFolded(read));
          expect(streamed.samples).toBe(read.samples);
          expect(streamed.timeline?.time.length).toBe(read.timeline?.time.length);
        }
      }
    }
  });

  it('read a Chrome trace cut short, without its closing bracket', () => {
    const trace = '[{"ph":"B","name":"a","ts":0,"pid":1,"tid":1},{"ph":"E","ts":5,"pid":1,"tid":1},\n';
    expect(parseChromeTrace(bytes(trace), 'x').samples).toBe(5);
    expect(() => parseChromeTrace(bytes(trace + '{"ph":"B",'), 'x')).toThrow(/not valid JSON at byte/);
  });

  it('say where a file cut short inside a value ends', async () => {
    const trace = '[{"ph":"B","name":"a","ts":0,"pid":1,"tid":1},{"ph":"E","ts":5,"pid":1,"tid":1},{"ph":"B",';
    await expect(parseChromeTraceStream(chunked(bytes(trace), 16), 'x')).rejects.toThrow(
      /not valid JSON at byte \d+: the file ends inside the value that starts there$/,
    );
  });
});
