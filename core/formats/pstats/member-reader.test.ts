import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '~/test/fixtures';
import { ProfileMerger } from '~/core/analysis/merge';
import { openForMerge, summarize } from '~/core/analysis/profile-set';
import { toPstatsJson } from '~/core/export/pstats-json';
import { PstatsMemberReader } from './member-reader';

/** Every pstats file among the fixtures, whatever wrote it. */
const PROFS = readdirSync(fixturesDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.prof'))
  .sort()
  .map((f) => join(fixturesDir, f));

async function fullMerge(paths: string[]) {
  const merger = new ProfileMerger();
  const rows = [];
  for (const p of paths) {
    const profile = await openForMerge(new Blob([readFileSync(p)]), basename(p));
    rows.push(summarize(profile));
    merger.add(profile);
  }
  return { rows, merged: toPstatsJson(merger.result('merged')) };
}

describe('pstats files read for a set in one pass', () => {
  it('give the rows and merge the full reader gives, or are left to it', async () => {
    expect(PROFS.length).toBeGreaterThan(100);
    const reader = new PstatsMemberReader();
    const taken: string[] = [];
    for (const path of PROFS) {
      const member = reader.read(new Uint8Array(readFileSync(path)), basename(path));
      if (!member) continue;
      taken.push(path);
      const merger = new ProfileMerger();
      merger.addMember(member);
      // Twice, so that sums of functions and edges met before are checked too.
      merger.addMember(reader.read(new Uint8Array(readFileSync(path)), basename(path))!);
      const full = await fullMerge([path, path]);
      expect(toPstatsJson(merger.result('merged')), path).toStrictEqual(full.merged);
      expect(summarize(member), path).toStrictEqual(full.rows[0]);
    }
    // Python 3.4+ writes every file the profile modules wrote with ASCII names in the shape the
    // reader takes, but for `python -m profile`'s code object and big integers (times in ns).
    const plain = PROFS.filter(
      (p) => /pstats\/(cli\/)?out\/.*-py3\d+-/.test(p) && !/unicode|ns-|app-.*-profile/.test(p),
    );
    expect(plain.length).toBeGreaterThan(60);
    expect(plain.filter((p) => !taken.includes(p))).toEqual([]);
    // Python 2's dict order and text that is not ASCII are the full reader's.
    expect(taken.filter((p) => /py27|unicode/.test(p))).toEqual([]);
  });

  it('merge files of every Python version with one catalog as the full reader merges them', async () => {
    const paths = PROFS.filter((p) => /pstats\/out\/(seeds|recursion|objects)-py\d+-cprofile/.test(p));
    expect(paths.length).toBeGreaterThanOrEqual(30);
    const reader = new PstatsMemberReader();
    const merger = new ProfileMerger();
    const rows = [];
    let fallbacks = 0;
    for (const path of paths) {
      const member = reader.read(new Uint8Array(readFileSync(path)), basename(path));
      if (member) merger.addMember(member);
      else {
        fallbacks++;
        merger.add(await openForMerge(new Blob([readFileSync(path)]), basename(path)));
      }
      rows.push(summarize(member ?? (await openForMerge(new Blob([readFileSync(path)]), basename(path)))));
    }
    expect(fallbacks).toBe(3);
    const full = await fullMerge(paths);
    expect(toPstatsJson(merger.result('merged'))).toStrictEqual(full.merged);
    expect(rows).toStrictEqual(full.rows);
  });

  it('leaves a file that is not whole, or not pstats, to the full reader', () => {
    const bytes = new Uint8Array(readFileSync(PROFS.find((p) => p.includes('seeds-py312-cprofile'))!));
    const reader = new PstatsMemberReader();
    expect(reader.read(bytes, 'whole')).not.toBeNull();
    for (const end of [1, 7, bytes.length >> 1, bytes.length - 1])
      expect(reader.read(bytes.subarray(0, end), 'cut')).toBeNull();
    expect(reader.read(new TextEncoder().encode('{"a": 1}'), 'json')).toBeNull();
    expect(reader.read(new Uint8Array([0xfb, 0x30]), 'empty')).toBeNull();
    expect(reader.read(bytes, 'whole again')?.table.totalTt).toBe(reader.read(bytes, 'whole')!.table.totalTt);
  });
});
