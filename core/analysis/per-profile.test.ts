import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePstats } from '../formats/pstats/read-pstats';
import type { Profile } from '../model/profile';
import type { PstatsJson } from '../export/pstats-json';
import { fixturesDir, readBytes, readJson } from '~/test/fixtures';
import { comparableFile, comparableName, compareProfiles } from './compare';
import { mergeProfiles } from './merge';
import { perProfile, unequalGroups } from './per-profile';
import { diffTrees, rowsOf } from './tree-diff';

const pstatsOut = (name: string) => resolve(fixturesDir, 'pstats/out', name);
const loaded = (name: string): Profile => parsePstats(readBytes(pstatsOut(`${name}.prof`)), `${name}.prof`);

/** Per function key: the truth file's summed tottime. */
function tottimes(name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of readJson<PstatsJson>(pstatsOut(`${name}.json`)).entries) {
    const key = `${comparableFile(e.func[0])}\0${comparableName(e.func[0], e.func[2])}\0${e.func[1]}`;
    out.set(key, (out.get(key) ?? 0) + e.tt);
  }
  return out;
}

describe('groups of different size compared per profile', () => {
  const seeds = 'seeds-py312-cprofile',
    recursion = 'recursion-py312-cprofile';

  it('three runs of one file against that file: the sums differ threefold, the means not at all', () => {
    const three = mergeProfiles([loaded(seeds), loaded(seeds), loaded(seeds)]);
    const sums = compareProfiles(three, loaded(seeds));
    const means = perProfile(sums, { base: 3, next: 1 });
    expect(sums.base.grandTotal).toBeCloseTo(3 * sums.next.grandTotal, 12);
    expect(means.base.grandTotal).toBeCloseTo(means.next.grandTotal, 12);
    let compared = 0;
    for (let r = 0; r < means.count; r++) {
      expect(means.base.self[r]).toBeCloseTo(means.next.self[r], 12);
      expect(means.base.total[r]).toBeCloseTo(means.next.total[r], 12);
      expect(means.base.calls![r]).toBeCloseTo(means.next.calls![r], 12);
      if (sums.next.self[r] > 0) compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it("a group's mean is its files' truth summed and divided by their number", () => {
    const ta = tottimes(seeds),
      tb = tottimes(recursion);
    const pair = mergeProfiles([loaded(seeds), loaded(recursion)]);
    const c = perProfile(compareProfiles(pair, loaded(seeds)), { base: 2, next: 1 });
    for (let r = 0; r < c.count; r++) {
      if (Number.isNaN(c.base.self[r])) continue;
      const sum = (ta.get(c.keys[r]) ?? 0) + (tb.get(c.keys[r]) ?? 0);
      expect(c.base.self[r]).toBeCloseTo(sum / 2, 12);
    }
    expect(unequalGroups({ base: 2, next: 1 })).toBe(true);
    expect(unequalGroups({ base: 3, next: 3 })).toBe(false);
  });

  it('the diff flame graph divides each side by its group: three runs against one change nowhere', () => {
    const three = mergeProfiles([loaded(seeds), loaded(seeds), loaded(seeds)]),
      one = loaded(seeds);
    const rows = rowsOf(compareProfiles(three, one));
    const sums = diffTrees(three, one, false, rows);
    const means = diffTrees(three, one, false, rows, { base: 3, next: 1 });
    let changed = 0;
    for (let i = 0; i < one.tree.count; i++) {
      if (Math.abs(sums.newValue[i] - sums.baseValue[i]) > 1e-9) changed++;
      expect(means.baseValue[i]).toBeCloseTo(means.newValue[i], 12);
    }
    expect(changed).toBeGreaterThan(10);
  });
});
