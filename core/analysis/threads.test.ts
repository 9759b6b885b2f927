import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfile } from '../formats/open-profile';
import { stringAt } from '../model/string-pack';
import { restrictToThreads, threadRoots } from './threads';
import { restrictToRange } from './time-range';
import { profileViolations } from '~/fuzz/invariants';
import { foldedStacks, stacksTruth, tachyonDir } from '~/test/tachyon-truth';

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
