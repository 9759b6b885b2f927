import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Profile } from './profile';
import { openProfile } from '../formats/open-profile';
import { isProfile } from './profile-check';
import { fixturesDir, readBytes } from '~/test/fixtures';

const open = async (relative: string): Promise<Profile> =>
  openProfile(new Blob([readBytes(join(fixturesDir, relative)) as Uint8Array<ArrayBuffer>]), relative);

/** What IndexedDB gives back: a structured clone. */
const stored = (p: Profile): Record<string, unknown> => structuredClone(p) as unknown as Record<string, unknown>;

describe('a cached profile read back from the library', () => {
  const files = ['pstats/out/seeds-py312-cprofile.prof', 'folded/sampler-py311.folded'];

  it.each(files)('is whole after a structured clone: %s', async (file) => {
    expect(isProfile(stored(await open(file)))).toBe(true);
  });

  it.each(files)('is refused when any part is missing, mistyped or of the wrong length: %s', async (file) => {
    const p = await open(file);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case breaks the profile's shape in its own way
    const broken: ((x: Record<string, any>) => void)[] = [
      (x) => delete x.strings,
      // The layout before the table was packed.
      (x) => (x.strings = ['a', 'b']),
      (x) => (x.strings.start = x.strings.start.subarray(1)),
      (x) => (x.strings.chunks = [7]),
      (x) => (x.strings.chunk = x.strings.chunk.map(() => 5)),
      (x) => (x.strings.length = x.strings.length.map((n: number) => (n ? -n : n))),
      (x) => (x.strings.start = x.strings.start.map((n: number) => n + 1e6)),
      (x) => (x.frames.label = x.frames.label.map(() => x.strings.length.length)),
      (x) => (x.format = 7),
      (x) => (x.frames.label = new Float64Array(x.frames.count)),
      (x) => (x.frames.file = x.frames.file.subarray(1)),
      (x) => (x.tree.total = new Int32Array(x.tree.count)),
      (x) => (x.tree.count += 1),
      (x) => (x.pstats ? (x.pstats.edgeStart = x.pstats.edgeStart.subarray(1)) : (x.tree = null)),
      (x) => (x.pstats ? (x.pstats.edgeCt = new Float64Array(0)) : (x.warnings = 'none')),
      (x) => (x.timeline = { time: new Float64Array(2), node: new Int32Array(1) }),
      (x) => (x.pstats ? (x.treeEstimate.outerTotal = x.treeEstimate.outerTotal.subarray(1)) : (x.format = 8)),
    ];
    for (const breakIt of broken) {
      const x = stored(p);
      breakIt(x);
      expect(isProfile(x)).toBe(false);
    }
    expect(isProfile(null)).toBe(false);
    expect(isProfile('profile')).toBe(false);
  });
});

describe('a cached profile of a file that holds two', () => {
  it('is whole with its baseline, and refused when the baseline is not a whole profile', async () => {
    const p = await openProfile(new Blob(['main;a 3 1\nmain;b 0 2\n']), 'diff.folded');
    expect(isProfile(stored(p))).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case breaks the baseline in its own way
    const broken: ((x: Record<string, any>) => void)[] = [
      (x) => (x.baseline = 'before'),
      (x) => (x.baseline.tree.count += 1),
      (x) => (x.baseline.baseline = structuredClone(x.baseline)),
    ];
    for (const breakIt of broken) {
      const x = stored(p);
      breakIt(x);
      expect(isProfile(x)).toBe(false);
    }
  });
});
