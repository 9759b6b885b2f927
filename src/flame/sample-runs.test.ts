import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStackText } from '~/core/formats/stacks/read-stacks';
import { fixturesDir, readBytes, readText } from '~/test/fixtures';
import { parseGecko } from '~/core/formats/gecko/read-gecko';
import { stringAt } from '~/core/model/string-pack';
import { stacksTruth, tachyonDir } from '~/test/tachyon-truth';
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

describe('time order of a recording of threads', () => {
  const file = 'web-py315-tachyon.gecko.json';
  const p = parseGecko(readBytes(resolve(tachyonDir, file)), file);
  const truth = stacksTruth(file);
  const runs = sampleRuns(p);
  const label = (f: number) => stringAt(p.strings, p.frames.label[f]);

  it('gives each thread a lane of its own, its root bars holding exactly its samples', () => {
    const threads = Object.keys(truth.threads);
    expect(threads.length).toBeGreaterThan(2);
    const atRoot = new Map<string, number>();
    const laneTop = new Map<string, number>();
    for (let r = 0; r < runs.count; r++) {
      if (runs.frame[r] < 0 || !label(runs.frame[r]).startsWith('tid:')) continue;
      const name = label(runs.frame[r]);
      atRoot.set(name, (atRoot.get(name) ?? 0) + runs.samples[r]);
      // One row of the chart per thread: a thread's root bars are all on one depth, no other thread's there.
      expect(laneTop.get(name) ?? runs.depth[r]).toBe(runs.depth[r]);
      laneTop.set(name, runs.depth[r]);
    }
    expect(Object.fromEntries(atRoot)).toEqual(truth.threads);
    expect(new Set(laneTop.values()).size).toBe(threads.length);
  });

  it('never draws two bars over one another', () => {
    const byDepth = new Map<number, number[]>();
    for (let r = 0; r < runs.count; r++) byDepth.set(runs.depth[r], [...(byDepth.get(runs.depth[r]) ?? []), r]);
    for (const bars of byDepth.values()) {
      bars.sort((a, b) => runs.start[a] - runs.start[b]);
      for (let k = 1; k < bars.length; k++) expect(runs.start[bars[k]]).toBeGreaterThanOrEqual(runs.end[bars[k - 1]]);
    }
    expect(runs.rows).toBeGreaterThan(Math.max(...runs.depth));
  });
});
