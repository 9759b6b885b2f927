import { describe, expect, it } from 'vitest';
import { openProfile } from '~/core/formats/open-profile';
import { rememberSampledStats, sampledStats } from '~/core/analysis/sampled-stats';
import type { Profile } from '~/core/model/profile';
import { fixtureFiles, readBytes } from '~/test/fixtures';
import { fromRecord, toRecord, type ModelRecord } from './model-record';

const FILES = [
  ...fixtureFiles('pstats/out', '.prof').filter((f) => /py31[12]-cprofile/.test(f)),
  ...fixtureFiles('folded', '.folded'),
  ...fixtureFiles('pyinstrument', '.pyisession'),
  ...fixtureFiles('pyspy', '.txt'),
  ...fixtureFiles('austin', '-full.txt'),
];

const open = (path: string) => openProfile(new Blob([readBytes(path) as Uint8Array<ArrayBuffer>]), path);

/** A record as IndexedDB gives it back: a copy, its Blobs handles to the same bytes. */
const storedCopy = (r: ModelRecord): ModelRecord => ({
  ...r,
  shape: structuredClone(r.shape),
  columns: [...r.columns],
});

async function readWhole(r: ModelRecord): Promise<Profile> {
  const read = await fromRecord(storedCopy(r));
  expect(read).not.toBeNull();
  return read!.complete ? read!.complete : read!.profile;
}

describe('the library keeps a profile as a record of packed columns', () => {
  it('reads back every fixture as it was, array for array', async () => {
    expect(FILES.length).toBeGreaterThan(20);
    for (const path of FILES) {
      const profile = await open(path);
      expect(await readWhole(toRecord(profile)), path).toEqual(profile);
    }
  });

  it('reads every array back as a view of its part, none copied', async () => {
    for (const path of fixtureFiles('folded', '.folded')) {
      const profile = await open(path);
      const back = await readWhole(toRecord(profile));
      const arrays = [back.frames.file, back.frames.label, back.tree.parent, back.tree.self, back.tree.total];
      expect(new Set(arrays.map((a) => a.buffer)).size).toBe(1);
      expect(back.tree.total).toEqual(profile.tree.total);
    }
  });

  it("keeps a sampled profile's by-function stats, given back for its tree as they were made, and only stats that fit", async () => {
    for (const path of [...fixtureFiles('folded', '.folded'), ...fixtureFiles('austin', '-full.txt')]) {
      const profile = await open(path);
      const made = sampledStats(profile);
      const back = await readWhole(toRecord(profile));
      const kept = sampledStats(back);
      expect(kept, path).toEqual(made);
      // Read from the record, not made again: views of the part the tree is in.
      expect(kept.self.buffer).toBe(back.tree.self.buffer);
      expect(sampledStats({ ...back, frames: { ...back.frames } })).not.toBe(kept);
    }
    const profile = await open(fixtureFiles('folded', '.folded')[0]);
    const wrong = sampledStats(profile);
    const misfit = { ...wrong, rowOfFrame: wrong.rowOfFrame.map(() => wrong.count) };
    expect(rememberSampledStats(profile, misfit)).toBe(false);
    expect(rememberSampledStats(profile, { ...wrong, frame: wrong.frame.subarray(1) })).toBe(false);
  });

  it('gives a pstats profile its table first and its calls after, with the same table columns', async () => {
    const path = fixtureFiles('pstats/out', '.prof').find((f) => /recursion-py312-cprofile/.test(f))!;
    const profile = await open(path);
    expect(profile.tree.count).toBeGreaterThan(0);
    const record = toRecord(profile);
    expect(record.callsLater).toBe(true);
    const read = (await fromRecord(storedCopy(record)))!;
    expect(read.profile.callsPending).toBe(true);
    expect(read.profile.tree.count).toBe(0);
    expect(read.profile.pstats!.edgeCaller.length).toBe(0);
    expect(read.profile.pstats!.cc).toEqual(profile.pstats!.cc);
    const whole = await read.complete!;
    expect(whole).toEqual(profile);
    expect(whole.pstats!.cc).toBe(read.profile.pstats!.cc);
    expect(whole.frames).toBe(read.profile.frames);
    expect(whole.strings).toBe(read.profile.strings);
  });

  it('reads nothing from a record that is not whole', async () => {
    const profile = await open(fixtureFiles('folded', '.folded')[0]);
    const record = toRecord(profile);
    const cut = (b: Blob) => b.slice(0, b.size - 8);
    const broken: unknown[] = [
      undefined,
      { format: 'pstats', frames: { count: 3 } },
      profile,
      { ...record, layout: 0 },
      { ...record, parts: [cut(record.parts[0]), record.parts[1]] },
      { ...record, columns: record.columns.slice(1) },
      { ...record, columns: record.columns.map((c) => ({ ...c, offset: c.offset + 4 })) },
      { ...record, columns: record.columns.map((c) => ({ ...c, type: 'f32' })) },
      { ...record, columns: record.columns.map((c) => ({ ...c, length: c.length + 1 })) },
      { ...record, shape: { ...(record.shape as object), frames: { count: 2 } } },
    ];
    for (const x of broken) expect(await fromRecord(x)).toBeNull();
  });

  it('rejects the calls of a pstats record whose second part cannot be read, and reads no record whose part is short', async () => {
    const path = fixtureFiles('pstats/out', '.prof').find((f) => /recursion-py312-cprofile/.test(f))!;
    const record = toRecord(await open(path));
    const later = record.parts[1];
    expect(await fromRecord({ ...record, parts: [record.parts[0], later.slice(0, later.size - 8)] })).toBeNull();
    // A Blob whose file is gone (the browser's storage was cleared under the page) fails when read.
    const gone = Object.assign(later.slice(), { arrayBuffer: () => Promise.reject(new Error('the file is gone')) });
    const read = await fromRecord({ ...record, parts: [record.parts[0], gone] });
    expect(read?.profile.callsPending).toBe(true);
    await expect(read!.complete).rejects.toThrow('the file is gone');
  });
});
