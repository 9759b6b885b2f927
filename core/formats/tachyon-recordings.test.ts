import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfile } from './open-profile';
import { foldedStacks, stacksTruth, tachyonDir } from '~/test/tachyon-truth';

const open = (file: string) => openProfile(new Blob([readFileSync(join(tachyonDir, file))]), file);

/** One `run -a --binary` recording per workload, replayed by Tachyon into each of its outputs. */
describe.each(['web', 'recursive', 'imports'])('the %s recording in every format Tachyon writes', (workload) => {
  const base = `${workload}-py315-tachyon`;
  const truth = stacksTruth(`${base}.collapsed`);

  it('gives the same samples and the same stacks, threads at the root', async () => {
    const formats: Record<string, string> = {};
    for (const ext of ['.collapsed', '.gecko.json', '.bin']) {
      const profile = await open(base + ext);
      formats[ext] = profile.format;
      expect(profile.samples).toBe(truth.samples);
      expect(foldedStacks(profile)).toEqual(truth.stacks);
    }
    expect(formats).toEqual({ '.collapsed': 'tachyon', '.gecko.json': 'gecko', '.bin': 'tachyon-binary' });
    const pstats = await open(`${base}.prof`);
    expect(pstats.pstats?.sampled).toBe(true);
    expect(pstats.pstats?.primCalls).toBe(truth.samples);
  });
});
