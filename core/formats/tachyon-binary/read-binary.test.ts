import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameKind, frameKindOf } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { fixtureFiles, readBytes, readJson } from '~/test/fixtures';
import { foldedStacks, stacksTruth } from '~/test/tachyon-truth';
import { parseTachyonBinary, SampleStatus } from './read-binary';

interface BinTruth {
  first_timestamp_us: number;
  last_timestamp_us: number;
  header: { compression: number; sample_count: number };
}

const files = fixtureFiles('tachyon', '.bin');

it('has plain and zstd-compressed recordings', () => {
  const kinds = files.map((p) => readJson<BinTruth>(`${p}.truth.json`).header.compression);
  expect(new Set(kinds)).toEqual(new Set([0, 1]));
});

describe.each(files)('Tachyon binary %s', async (path) => {
  const profile = await parseTachyonBinary(readBytes(path), basename(path));
  const truth = stacksTruth(basename(path));
  const own = readJson<BinTruth>(`${path}.truth.json`);

  it('replays into the stacks of the recording, threads as root frames', () => {
    expect(profile.samples).toBe(truth.samples);
    expect(profile.samples).toBe(own.header.sample_count);
    expect(foldedStacks(profile)).toEqual(truth.stacks);
    expect(profile.warnings).toEqual([]);
    for (let i = 0; i < profile.tree.count; i++) {
      expect(frameKindOf(profile.frames, profile.tree.frame[i]) === FrameKind.thread).toBe(profile.tree.depth[i] === 0);
    }
  });

  it('keeps each sample with its time and status', () => {
    const t = profile.timeline!;
    expect(t.time.length).toBe(truth.samples);
    expect(t.firstUs).toBe(own.first_timestamp_us);
    expect(t.time[t.time.length - 1]).toBe(own.last_timestamp_us - own.first_timestamp_us);
    for (let i = 1; i < t.time.length; i++) expect(t.time[i]).toBeGreaterThanOrEqual(t.time[i - 1]);
    let gil = 0;
    for (const s of t.status!) if (s & SampleStatus.hasGil) gil++;
    expect(gil).toBeGreaterThan(0);
  });

  it('marks <GC> as made up by the profiler', () => {
    for (let f = 0; f < profile.frames.count; f++) {
      const label = stringAt(profile.strings, profile.frames.label[f]);
      if (label === '<GC>') expect(frameKindOf(profile.frames, f)).toBe(FrameKind.synthetic);
    }
  });
});
