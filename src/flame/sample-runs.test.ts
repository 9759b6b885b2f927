import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStackText } from '~/core/formats/stacks/read-stacks';
import { fixturesDir, readText } from '~/test/fixtures';
import { sampleRuns } from './sample-runs';

describe('time order', () => {
  it('draws every thread of a --threads --flamechart file, each sample once', () => {
    const file = 'pyflame/threads-py36-threads-flamechart.samp';
    const p = parseStackText(readText(resolve(fixturesDir, file)), file);
    const runs = sampleRuns(p);
    const rootFrames = new Set<number>();
    for (let i = 0; i < p.tree.count; i += p.tree.size[i]) rootFrames.add(p.tree.frame[i]);
    expect(rootFrames.size).toBeGreaterThan(1);
    const node = p.timeline!.node;
    const stacks = node.filter((n) => n >= 0).length;
    let atRoots = 0;
    const drawnRoots = new Set<number>();
    for (let r = 0; r < runs.count; r++) {
      if (!rootFrames.has(runs.frame[r]) || runs.end[r] <= runs.start[r]) continue;
      atRoots += runs.samples[r];
      drawnRoots.add(runs.frame[r]);
    }
    expect(atRoots).toBe(stacks);
    expect(drawnRoots).toEqual(rootFrames);
  });
});
