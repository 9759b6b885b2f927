import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileError } from '~/core/model/profile';
import { openProfile } from '../open-profile';
import { foldedStacks, stacksTruth, tachyonDir } from '~/test/tachyon-truth';
import { readJson } from '~/test/fixtures';
import { parseFlamegraphHtml } from './read-flamegraph-html';

const file = 'web-py315-tachyon.flamegraph.html';
const bytes = readFileSync(join(tachyonDir, file));
const truth = readJson<{ stacks_merged: Record<string, number>; threads: number[]; samples: number }>(
  join(tachyonDir, `${file}.truth.json`),
);

/** The stacks with their thread root frame dropped. */
function merged(stacks: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [stack, n] of Object.entries(stacks)) {
    const key = stack.slice(stack.indexOf(';') + 1);
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}

describe("Tachyon's flame graph page", () => {
  it('gives the stacks of the recording, each thread at its root', async () => {
    const p = await openProfile(new Blob([bytes]), file);
    expect(p.format).toBe('tachyon-flamegraph');
    expect(p.samples).toBe(truth.samples);
    expect(foldedStacks(p)).toEqual(stacksTruth(file).stacks);
    expect(merged(foldedStacks(p))).toEqual(truth.stacks_merged);
    const roots = new Set(Object.keys(foldedStacks(p)).map((s) => s.split(';')[0]));
    expect([...roots].sort()).toEqual(truth.threads.map((t) => `tid:${t}`).sort());
    expect(p.warnings).toEqual([]);
  });

  const page = (data: string) =>
    new TextEncoder().encode(
      `<!doctype html>\n<html><head><title>Tachyon Profiler - Flamegraph Report</title></head>\n<script>\nconst EMBEDDED_DATA = ${data};\n</script>`,
    );

  it('reads a page whose one frame holds every sample, and says what the page left out', () => {
    const p = parseFlamegraphHtml(
      page(
        JSON.stringify({
          name: 0,
          value: 5,
          filename: 1,
          funcname: 2,
          lineno: 3,
          thread_values: { 7: [5, 1] },
          children: [{ filename: 1, funcname: 3, lineno: 9, thread_values: { 7: [2, 2] } }],
          strings: ['Program Root: main', '/a/b.py', 'main', 'work'],
        }),
      ),
      'p.html',
    );
    expect(foldedStacks(p)).toEqual({ 'tid:7;b.py:main:3': 1, 'tid:7;b.py:main:3;b.py:work:9': 2 });
    expect(p.warnings[0]).toMatch(/^2 of the page's 5 samples are in no stack/);
  });

  it('refuses a page without data, data that is not JSON, and absurd values, with a message', () => {
    const refusals: [string, RegExp][] = [
      ['', /not JSON/],
      ['{"children": [{"filename": "a", "funcname": "b", "self": -1}]}', /count of samples/],
      ['{"children": [{"filename": "a", "funcname": "b", "thread_values": {"__proto__": [1, 1]}}]}', /names a thread/],
      ['{"children": [{"filename": 5, "funcname": "b", "self": 1}], "strings": []}', /should name a string/],
      ['{"children": []}', /no samples/],
      ['[1]', /should be an object/],
    ];
    for (const [data, message] of refusals) {
      expect(() => parseFlamegraphHtml(page(data), 'p.html')).toThrow(message);
    }
    expect(() =>
      parseFlamegraphHtml(new TextEncoder().encode('<!doctype html><title>Tachyon Profiler</title>'), 'p'),
    ).toThrow(ProfileError);
  });

  it('refuses stacks deeper than any program without overflowing', () => {
    const deep = '{"filename":"a","funcname":"b","self":1,"children":['.repeat(25_000) + ']}'.repeat(25_000);
    expect(() => parseFlamegraphHtml(page(`{"children":[${deep}]}`), 'p.html')).toThrow(/more than 20000 frames/);
  });
});
