import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toPstatsJson, type PstatsJson } from '../export/pstats-json';
import { ProfileError, type Profile } from '../model/profile';
import { readFileSync } from 'node:fs';
import { fixtureFiles, readJson } from '~/test/fixtures';
import { statsOf } from '~/test/stats-add';
import {
  mergeFiles,
  openForMerge,
  readSet,
  setOpener,
  type OpenMember,
  type SetInput,
  type SetMember,
} from './profile-set';

const PATHS = fixtureFiles('pstats/out', '.prof').filter((f) => /\/(seeds|recursion|objects)-py3\d+-cprofile/.test(f));
const truthOf = (path: string): PstatsJson => {
  const { python: _python, ...truth } = readJson<PstatsJson & { python: string }>(path.replace(/\.prof$/, '.json'));
  return truth;
};
const inputs = (paths: string[]): SetInput[] =>
  paths.map((p) => ({ blob: new Blob([readFileSync(p)]), name: basename(p) }));

/**
 * Opens files as a pool of workers would: each takes a while of its own (so they finish out of
 * order), and the most opening at once is counted.
 */
function pooledOpen(
  names: (name: string) => Promise<Profile> = (n) => Promise.reject(new Error(n)),
  openFile: OpenMember = openForMerge,
) {
  const stats = { opening: 0, most: 0, opened: 0 };
  const open = async (blob: Blob, name: string): Promise<SetMember> => {
    stats.most = Math.max(stats.most, ++stats.opening);
    try {
      await new Promise((r) => setTimeout(r, (stats.opened++ * 7) % 5));
      return name.endsWith('.txt') ? await names(name) : await openFile(blob, name);
    } finally {
      stats.opening--;
    }
  };
  return { open, stats };
}

describe('a set read by several parsers at once', () => {
  it('merges as pstats.Stats(*files) does, bit for bit, whatever order the files are read in', async () => {
    expect(PATHS.length).toBeGreaterThanOrEqual(20);
    const paths = [...PATHS, PATHS[0], PATHS[5]];
    const truth = statsOf(paths.map(truthOf));
    // Each file read whole, and the set's files read with one catalog of functions (`setOpener`).
    for (const opener of [() => openForMerge, () => setOpener()])
      for (const [ahead, group] of [
        [1, 1],
        [3, 1],
        [8, 1],
        [8, 3],
        [3, 8],
      ]) {
        const { open, stats } = pooledOpen(undefined, opener());
        const read = await readSet(inputs(paths), open, 'merged', undefined, ahead, group);
        expect(stats.most).toBe(ahead);
        expect(toPstatsJson(read.merged!)).toStrictEqual(truth);
        expect(read.rows.map((r) => (r.ok ? r.total : NaN))).toEqual(paths.map((p) => truthOf(p).total_tt));
        const merged = await mergeFiles(
          inputs(paths),
          pooledOpen(undefined, opener()).open,
          'merged',
          undefined,
          ahead,
          group,
        );
        expect(toPstatsJson(merged)).toStrictEqual(truth);
      }
  });

  it('opens more files at once as parsers join, never more than it allows, and merges the same', async () => {
    const paths = PATHS.slice(0, 20);
    const { open, stats } = pooledOpen();
    // One parser holding two files, joined by a second after the fifth file is asked for.
    let asked = 0;
    const counting = (blob: Blob, name: string) => (asked++, open(blob, name));
    const read = await readSet(inputs(paths), counting, 'merged', undefined, () => (asked > 5 ? 4 : 2));
    expect(stats.most).toBe(4);
    expect(toPstatsJson(read.merged!)).toStrictEqual(statsOf(paths.map(truthOf)));
  });

  it('gives a file that cannot be read its message in its row, and merges the others; a merge of chosen files stops at it', async () => {
    const files = [...inputs(PATHS.slice(0, 4)), { blob: new Blob(['notes']), name: 'notes.txt' }];
    const { open } = pooledOpen(() => Promise.reject(new ProfileError('this is not a profile')));
    const progress: number[] = [];
    const read = await readSet(files, open, 'merged', (done) => progress.push(done), 3);
    expect(read.rows[4]).toEqual({ ok: false, message: 'this is not a profile' });
    expect(toPstatsJson(read.merged!)).toStrictEqual(statsOf(PATHS.slice(0, 4).map(truthOf)));
    expect(progress).toHaveLength(5);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    await expect(mergeFiles(files, open, 'merged', undefined, 3)).rejects.toThrow(
      '“notes.txt” could not be read: this is not a profile',
    );
  });
});
