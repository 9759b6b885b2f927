import { join } from 'node:path';
import { foldedLines } from '~/core/export/folded';
import type { Profile } from '~/core/model/profile';
import { fixturesDir, readJson } from './fixtures';

export const tachyonDir = join(fixturesDir, 'tachyon');

/** A recording's truth, from its `.collapsed.truth.json`. */
export interface StacksTruth {
  samples: number;
  threads: Record<string, number>;
  stacks: Record<string, number>;
}

/** The truth of the recording `file` (in tachyon/) holds, itself or through its `stacks_truth`. */
export function stacksTruth(file: string): StacksTruth {
  const own = readJson<Partial<StacksTruth> & { stacks_truth?: string }>(join(tachyonDir, `${file}.truth.json`));
  return own.stacks_truth ? readJson<StacksTruth>(join(tachyonDir, own.stacks_truth)) : (own as StacksTruth);
}

/** The profile's tree as folded stacks, each with its weight. */
export function foldedStacks(profile: Profile): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of foldedLines(profile)) {
    const space = line.lastIndexOf(' ');
    const stack = line.slice(0, space);
    out[stack] = (out[stack] ?? 0) + Number(line.slice(space + 1));
  }
  return out;
}
