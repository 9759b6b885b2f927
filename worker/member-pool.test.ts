import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { readSet, type SetInput } from '~/core/analysis/profile-set';
import { toPstatsJson, type PstatsJson } from '~/core/export/pstats-json';
import { fixtureFiles, readJson } from '~/test/fixtures';
import { statsOf } from '~/test/stats-add';
import { helperApi, memberPool } from './member-pool';

const PATHS = fixtureFiles('pstats/out', '.prof').filter((f) => /\/(seeds|recursion|objects)-py\d+-cprofile/.test(f));
const truthOf = (path: string): PstatsJson => {
  const { python: _python, ...truth } = readJson<PstatsJson & { python: string }>(path.replace(/\.prof$/, '.json'));
  return truth;
};

describe('a set read with a helper', () => {
  it('merges as pstats.Stats(*files) does, the helper handing back tables and the strings of functions new to it', async () => {
    // Every Python version: Python 2's files are read whole by either thread, the others in one pass.
    const paths = [...PATHS, ...PATHS];
    expect(paths.filter((p) => p.includes('py27'))).toHaveLength(6);
    const files = paths.map((p) => ({ blob: new Blob([readFileSync(p)]), name: basename(p) }));
    const pool = memberPool();
    const channel = new MessageChannel();
    const helper = helperApi();
    let helped = 0;
    let told = 0;
    Comlink.expose(
      {
        parseForMerge: async (files: SetInput[]) => {
          helped += files.length;
          const answer = await helper.parseForMerge(files);
          told += answer.strings.name.length;
          return answer;
        },
      },
      channel.port1,
    );
    pool.join(channel.port2);
    try {
      const read = await readSet(files, pool.open, 'merged', undefined, pool.ahead, pool.group);
      // The pool hands the helper its six files at once.
      expect(helped).toBeGreaterThanOrEqual(6);
      expect(toPstatsJson(read.merged!)).toStrictEqual(statsOf(paths.map(truthOf)));
      expect(read.rows.map((r) => (r.ok ? r.total : NaN))).toEqual(paths.map((p) => truthOf(p).total_tt));
      // Each function's strings cross once: the second copy of each file is told nothing new.
      expect(told).toBeLessThanOrEqual(read.merged!.frames.count);
      expect(told).toBeGreaterThan(0);
    } finally {
      pool.close();
      channel.port1.close();
    }
  });
});
