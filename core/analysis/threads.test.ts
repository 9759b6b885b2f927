import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfile } from '../formats/open-profile';
import type { Profile } from '../model/profile';
import { stringAt } from '../model/string-pack';
import { restrictToThreads, threadList, threadRoots } from './threads';
import { restrictToRange } from './time-range';
import { profileViolations } from '~/fuzz/invariants';
import { foldedStacks, stacksTruth, tachyonDir } from '~/test/tachyon-truth';
import { stacksOf, testDataDir } from '~/test/fixtures';

const open = (file: string) => openProfile(new Blob([readFileSync(join(tachyonDir, file))]), file);

/** The truth's stacks of the chosen threads, with the thread level dropped when merging. */
function truthStacks(stacks: Record<string, number>, threads: string[], merge: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [stack, n] of Object.entries(stacks)) {
    const semi = stack.indexOf(';');
    const thread = semi < 0 ? stack : stack.slice(0, semi);
    if (!threads.includes(thread)) continue;
    const key = merge && semi >= 0 ? stack.slice(semi + 1) : stack;
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}

describe.each(['web-py315-tachyon.collapsed', 'web-py315-tachyon.gecko.json', 'web-py315-tachyon.bin'])(
  'threads of %s',
  (file) => {
    const truth = stacksTruth(file);
    const tids = Object.keys(truth.threads);

    it('lists every thread root with its samples', async () => {
      const p = await open(file);
      const roots = threadRoots(p);
      const byName = Object.fromEntries(
        Array.from(roots.frame, (f, k) => [stringAt(p.strings, p.frames.label[f]), roots.total[k]]),
      );
      expect(byName).toEqual(truth.threads);
    });

    it('keeps the chosen threads, or merges their identical stacks, as the truth counts them', async () => {
      const p = await open(file);
      const roots = threadRoots(p);
      const name = (f: number) => stringAt(p.strings, p.frames.label[f]);
      const two = [...new Set([roots.frame[0], roots.frame[roots.frame.length - 1]])];
      for (const [only, merge] of [
        [two, false],
        [two, true],
        [null, true],
        [[roots.frame[1]], false],
        [[], false],
      ] as const) {
        const shown = only ? only.map(name) : tids;
        const r = restrictToThreads(p, { only, merge });
        expect(profileViolations(r)).toEqual([]);
        expect(foldedStacks(r)).toEqual(truthStacks(truth.stacks, shown, merge));
        expect(r.samples).toBe(shown.reduce((s, t) => s + truth.threads[t], 0));
        if (r.timeline) {
          expect(r.timeline.node.length).toBe(r.samples + r.idle + r.failed);
          // The whole range rebuilt from the timeline gives the same tree: each sample is on its own stack.
          const whole = restrictToRange(r, { from: 0, to: Infinity });
          expect(foldedStacks(whole)).toEqual(foldedStacks(r));
        }
      }
    });
  },
);

it('finds no thread in a profile whose roots are code', async () => {
  const p = await open('../folded/sampler-py311.folded');
  expect(p.tree.count).toBeGreaterThan(0);
  expect(threadRoots(p).frame.length).toBe(0);
  expect(restrictToThreads(p, { only: null, merge: false })).toBe(p);
});

/** austin 3.7.0 recordings (test/data/austin/README.md): each process a root, its threads one level below. */
describe.each([
  ['threads-wall.mojo', 'threads-wall'],
  ['threads-wall.austin.gz', 'threads-wall'],
  ['multi-children.mojo', 'multi-children'],
  ['multi-children.austin.gz', 'multi-children'],
])('threads of the austin recording %s', (file, base) => {
  const austinDir = join(testDataDir, 'austin');
  const truth = JSON.parse(readFileSync(join(austinDir, `${base}.truth.json`), 'utf8')) as {
    threads: Record<string, number>;
  };
  const openAustin = () => openProfile(new Blob([readFileSync(join(austinDir, file))]), file.replace('.gz', ''));
  const label = (p: Profile, f: number) => stringAt(p.strings, p.frames.label[f]);
  /** The profile's stacks of the chosen `P;T` threads, the two levels dropped when merging. */
  const stacksOfThreads = (p: Profile, threads: string[], merge: boolean) => {
    const out: Record<string, number> = {};
    for (const [stack, w] of Object.entries(stacksOf(p, label))) {
      const parts = stack.split(';');
      if (!threads.includes(parts.slice(0, 2).join(';'))) continue;
      // Merged, time on a thread frame itself stays on it, at the root.
      const key = (merge ? parts.slice(parts.length > 2 ? 2 : -1) : parts).join(';');
      out[key] = (out[key] ?? 0) + w;
    }
    return out;
  };

  it('lists each thread under its process, with its time', async () => {
    const p = await openAustin();
    const list = threadList(p);
    const byName = Object.fromEntries(
      Array.from(list.frame, (f, k) => [`${label(p, list.process[k])};${label(p, f)}`, list.total[k]]),
    );
    expect(Object.keys(byName).sort()).toEqual(Object.keys(truth.threads).sort());
    for (const [thread, us] of Object.entries(truth.threads)) expect(byName[thread]).toBeCloseTo(us, 3);
  });

  it('keeps the chosen threads below their process, or merges them, and a chosen process whole', async () => {
    const p = await openAustin();
    const list = threadList(p);
    const name = (k: number) => `${label(p, list.process[k])};${label(p, list.frame[k])}`;
    const last = list.frame.length - 1;
    for (const [picked, merge] of [
      [[last], false],
      [[0, last], true],
      [[0], false],
    ] as const) {
      const threads = picked.map(name);
      const r = restrictToThreads(p, { only: picked.map((k) => list.frame[k]), merge });
      expect(profileViolations(r)).toEqual([]);
      const expected = stacksOfThreads(p, threads, merge);
      const got = stacksOf(r, label);
      expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
      for (const k of Object.keys(expected)) expect(got[k]).toBeCloseTo(expected[k], 3);
      const want = threads.reduce((s, t) => s + truth.threads[t], 0);
      expect(r.samples).toBeCloseTo(want, 3);
    }
    const process = list.process[last];
    const whole = restrictToThreads(p, { only: [process], merge: false });
    const ofProcess = Object.keys(truth.threads).filter((t) => t.startsWith(`${label(p, process)};`));
    expect(whole.samples).toBeCloseTo(
      ofProcess.reduce((s, t) => s + truth.threads[t], 0),
      3,
    );
  });
});
