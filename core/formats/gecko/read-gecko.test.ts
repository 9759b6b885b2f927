import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameKind, frameKindOf, FAILED_NODE } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { fixtureFiles, readBytes, readJson } from '~/test/fixtures';
import { foldedStacks, stacksTruth } from '~/test/tachyon-truth';
import { parseGecko } from './read-gecko';

interface GeckoTruth {
  threads: { tid: number; samples: number; first_ms: number; last_ms: number; markers: Record<string, number> }[];
}

describe.each(fixtureFiles('tachyon', '.gecko.json'))('Tachyon gecko %s', (path) => {
  const profile = parseGecko(readBytes(path), basename(path));
  const truth = stacksTruth(basename(path));
  const own = readJson<GeckoTruth>(`${path}.truth.json`);

  it('holds the stacks of the recording, threads as root frames', () => {
    expect(profile.samples).toBe(truth.samples);
    expect(foldedStacks(profile)).toEqual(truth.stacks);
    for (let i = 0; i < profile.tree.count; i++) {
      expect(frameKindOf(profile.frames, profile.tree.frame[i]) === FrameKind.thread).toBe(profile.tree.depth[i] === 0);
    }
  });

  it('keeps every sample in time order, each thread from its first to its last time', () => {
    const t = profile.timeline!;
    expect(t.time.length).toBe(truth.samples);
    for (let i = 1; i < t.time.length; i++) expect(t.time[i]).toBeGreaterThanOrEqual(t.time[i - 1]);
    const first = Math.min(...own.threads.map((th) => th.first_ms));
    const last = Math.max(...own.threads.map((th) => th.last_ms));
    expect(t.time[0]).toBe(0);
    expect(t.time[t.time.length - 1] / 1000).toBeCloseTo(last - first, 6);
    const perThread = new Map<string, number>();
    for (let i = 0; i < t.node.length; i++) {
      expect(t.node[i]).not.toBe(FAILED_NODE);
      let n = t.node[i];
      while (profile.tree.parent[n] >= 0) n = profile.tree.parent[n];
      const label = stringAt(profile.strings, profile.frames.label[profile.tree.frame[n]]);
      perThread.set(label, (perThread.get(label) ?? 0) + 1);
    }
    expect(Object.fromEntries(perThread)).toEqual(truth.threads);
  });

  it('has every marker as an interval of its thread', () => {
    const iv = profile.intervals!;
    const counts = new Map<string, number>();
    for (let i = 0; i < iv.count; i++) {
      expect(iv.end[i]).toBeGreaterThanOrEqual(iv.start[i]);
      const key = `${stringAt(profile.strings, profile.frames.label[iv.thread[i]])} ${stringAt(profile.strings, iv.name[i])}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const expected = new Map<string, number>();
    for (const th of own.threads)
      for (const [name, n] of Object.entries(th.markers)) expected.set(`tid:${th.tid} ${name}`, n);
    expect(counts).toEqual(expected);
  });
});
