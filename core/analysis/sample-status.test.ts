import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfile } from '../formats/open-profile';
import { SampleStatus } from '../model/profile';
import { profileViolations } from '~/fuzz/invariants';
import { foldedStacks, tachyonDir } from '~/test/tachyon-truth';
import { restrictToStatus } from './sample-status';
import { restrictToRange } from './time-range';
import { restrictToThreads, threadRoots } from './threads';

const open = (file: string) => openProfile(new Blob([readFileSync(join(tachyonDir, file))]), file);

describe('the status bits of each sample', () => {
  it('narrow the profile to the samples in that state, as Tachyon counts them', async () => {
    const p = await open('web-py315-tachyon.bin');
    // What Tachyon's own flame graph page of the same recording counts of each state.
    const page = readFileSync(join(tachyonDir, 'web-py315-tachyon.flamegraph.html'), 'utf8');
    const counts = /"thread_stats": \{[^}]*"has_gil": (\d+), "on_cpu": (\d+), "gil_requested": (\d+)/.exec(page)!;
    const expected: [number, number][] = [
      [SampleStatus.hasGil, Number(counts[1])],
      [SampleStatus.onCpu, Number(counts[2])],
      [SampleStatus.gilRequested, Number(counts[3])],
    ];
    expect(expected[0][1]).toBeGreaterThan(0);
    for (const [bit, n] of expected) {
      const r = restrictToStatus(p, bit);
      expect(r.samples).toBe(n);
      expect(profileViolations(r)).toEqual([]);
      expect(r.timeline!.node.length).toBe(n);
      // Narrowed again by the whole time range, the samples kept give the same tree.
      expect(foldedStacks(restrictToRange(r, { from: 0, to: Infinity }))).toEqual(foldedStacks(r));
    }
    expect(restrictToStatus(p, 0)).toBe(p);
  });

  it('compose with the choice of threads', async () => {
    const p = await open('web-py315-tachyon.bin');
    const main = threadRoots(p).frame[0];
    const both = restrictToStatus(restrictToThreads(p, { only: [main], merge: false }), SampleStatus.hasGil);
    const t = p.timeline!;
    let n = 0;
    for (let k = 0; k < t.node.length; k++) {
      let root = t.node[k];
      while (p.tree.parent[root] >= 0) root = p.tree.parent[root];
      if (p.tree.frame[root] === main && t.status![k] & SampleStatus.hasGil) n++;
    }
    expect(n).toBeGreaterThan(0);
    expect(both.samples).toBe(n);
  });
});
