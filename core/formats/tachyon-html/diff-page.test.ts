import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { profileViolations } from '~/fuzz/invariants';
import { readBytes, readJson, testDataDir } from '~/test/fixtures';
import { foldedStacks } from '~/test/tachyon-truth';
import { openProfile } from '../open-profile';
import { parseFlamegraphHtml } from './read-flamegraph-html';

const dir = join(testDataDir, 'tachyon-diff');
type Side = { samples: number; self_by_function: Record<string, number> };
const truth = readJson<{ baseline: Side; current: Side }>(join(dir, 'diff.truth.json'));
const open = (file: string) => openProfile(new Blob([readBytes(join(dir, file)) as Uint8Array<ArrayBuffer>]), file);

/** Self samples per function (`file:name`, as the truth names them), functions with none left out. */
function selfByFunction(p: Profile): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < p.tree.count; i++) {
    const f = p.tree.frame[i];
    const key = `${stringAt(p.strings, p.frames.file[f])}:${stringAt(p.strings, p.frames.name[f])}`;
    if (p.tree.self[i] > 0) out[key] = (out[key] ?? 0) + p.tree.self[i];
  }
  return out;
}

const withSamples = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));

/** Folded stacks with their thread root frame dropped, merged. */
function threadsMerged(stacks: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [stack, n] of Object.entries(stacks)) {
    const key = stack.slice(stack.indexOf(';') + 1);
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}

/** Folded stacks with each frame's line dropped (`file:function:line` → `file:function`), merged. */
function byFunction(stacks: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [stack, n] of Object.entries(stacks)) {
    const key = stack
      .split(';')
      .map((frame) => frame.replace(/:-?\d+$/, ''))
      .join(';');
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}

describe("Tachyon's differential flame graph page", () => {
  it('opens as its two recordings: each side the samples CPython counts in it, function by function', async () => {
    const p = await open('diff.html.gz');
    const base = p.baseline!;
    expect([p.format, base.format]).toEqual(['tachyon-flamegraph', 'tachyon-flamegraph']);
    expect(base.fileName).toBe('diff.html.gz (before)');
    expect(p.samples).toBe(truth.current.samples);
    expect(base.samples).toBeCloseTo(truth.baseline.samples, 9);
    expect(withSamples(selfByFunction(p))).toEqual(withSamples(truth.current.self_by_function));
    const baseSelf = selfByFunction(base);
    expect(Object.keys(baseSelf).sort()).toEqual(
      withSamples(truth.baseline.self_by_function)
        .map(([f]) => f)
        .sort(),
    );
    for (const [f, n] of withSamples(truth.baseline.self_by_function)) expect(baseSelf[f]).toBeCloseTo(n, 9);
    // Functions only one recording ran are on one side only.
    expect(Object.keys(baseSelf).filter((f) => !(f in selfByFunction(p))).length).toBeGreaterThan(0);
    expect(Object.keys(selfByFunction(p)).filter((f) => !(f in baseSelf)).length).toBeGreaterThan(0);
    expect(p.warnings).toEqual([expect.stringMatching(/^A differential page: its baseline is read as the page/)]);
    expect(profileViolations(p)).toEqual([]);
  });

  it("gives each side the stacks of its recording's binary file, threads merged (the baseline's by function)", async () => {
    const [page, after, before] = await Promise.all([open('diff.html.gz'), open('after.bin'), open('before.bin')]);
    expect(foldedStacks(page)).toEqual(threadsMerged(foldedStacks(after)));
    // Tachyon matches the baseline's paths by file and function: the lines are the current recording's.
    const baseline = byFunction(foldedStacks(page.baseline!));
    const recorded = byFunction(threadsMerged(foldedStacks(before)));
    expect(Object.keys(baseline).sort()).toEqual(Object.keys(recorded).sort());
    for (const [stack, n] of Object.entries(recorded)) expect(baseline[stack]).toBeCloseTo(n, 9);
  });

  const page = (data: object) =>
    new TextEncoder().encode(
      `<!doctype html>\n<html><head><title>Tachyon Profiler - Differential Flamegraph Report</title></head>\n<script>\nconst EMBEDDED_DATA = ${JSON.stringify(data)};\n</script>`,
    );
  const node = (funcname: number, lineno: number, self: number, baseline: number, children: object[] = []) => ({
    filename: 0,
    funcname,
    lineno,
    self,
    baseline,
    children,
  });

  it("reads the baseline's paths the current lacks, and says what the page scaled or left out", () => {
    const p = parseFlamegraphHtml(
      page({
        value: 6,
        children: [node(1, 1, 1, 0.5, [node(2, 5, 4, 1.5)])],
        strings: ['/app/m.py', 'main', 'work', 'Program Root'],
        stats: {
          is_differential: true,
          baseline_samples: 4,
          baseline_scale: 2,
          elided_flamegraph: {
            ...node(1, 1, 0, 0, [node(2, 9, 1, 2)]),
            strings: ['/app/m.py', 'main', 'old'],
          },
        },
      }),
      'd.html',
    );
    expect(foldedStacks(p)).toEqual({ 'm.py:main:1': 1, 'm.py:main:1;m.py:work:5': 4 });
    expect(foldedStacks(p.baseline!)).toEqual({
      'm.py:main:1': 0.5,
      'm.py:main:1;m.py:work:5': 1.5,
      'm.py:main:1;m.py:old:9': 2,
    });
    expect(p.warnings).toEqual([
      "1 of the page's 6 samples are in no stack: Tachyon leaves out of its page the frames under 0.1 % of the samples.",
      expect.stringMatching(/^A differential page/),
      "The baseline was sampled at another interval: its samples are counted at this recording's, ×2.000.",
      "4 of the baseline's 8 samples are in no stack: they were on paths the page leaves out (under 0.1 % of this recording's samples).",
    ]);
  });

  it('refuses baseline values that are not amounts of samples, with a message', () => {
    const data = (baseline: unknown, elided?: unknown) => ({
      children: [{ ...node(1, 1, 1, 0), baseline }],
      strings: ['a.py', 'f'],
      stats: { is_differential: true, ...(elided === undefined ? {} : { elided_flamegraph: elided }) },
    });
    expect(() => parseFlamegraphHtml(page(data(-1)), 'd')).toThrow(/baseline should be an amount of samples/);
    expect(() => parseFlamegraphHtml(page(data('2')), 'd')).toThrow(/baseline should be an amount of samples/);
    expect(() => parseFlamegraphHtml(page(data(0, [1])), 'd')).toThrow(/paths only the baseline has/);
    expect(() => parseFlamegraphHtml(page(data(0, { children: [{ filename: 7 }] })), 'd')).toThrow(
      /baseline-only graph's node 1's filename should name a string/,
    );
  });
});
