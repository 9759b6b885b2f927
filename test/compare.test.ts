import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOTH, BASE_ONLY, NEW_ONLY, comparableFile, compareProfiles, delta } from '../workers/compare';
import { parsePstats } from '../workers/parsers/pstats';
import { parseStackText } from '../workers/parsers/stack-lines';
import type { PstatsJson } from '../workers/pstats-json';
import { fixtureFiles, readBytes, readJson, readText } from './fixtures';

const prof = (name: string) => {
  const path = fixtureFiles('pstats/out', '.prof').find((f) => basename(f) === `${name}.prof`)!;
  return { profile: parsePstats(readBytes(path), basename(path)), truth: readJson<PstatsJson>(path.replace(/\.prof$/, '.json')) };
};

/** Per function (file, the standard library by its path inside it, + name): summed tt, ct and nc of a truth file. */
function byFunction(t: PstatsJson): Map<string, { tt: number; ct: number; nc: number }> {
  const out = new Map<string, { tt: number; ct: number; nc: number }>();
  for (const e of t.entries) {
    const key = `${comparableFile(e.func[0])}\0${e.func[2]}`;
    const v = out.get(key) ?? { tt: 0, ct: 0, nc: 0 };
    out.set(key, { tt: v.tt + e.tt, ct: v.ct + e.ct, nc: v.nc + e.nc });
  }
  return out;
}

describe('comparing two profiles', () => {
  it('every delta is the difference of the two truth files (same workload, Python 3.11 → 3.12)', () => {
    const a = prof('seeds-py311-cprofile'), b = prof('seeds-py312-cprofile');
    const c = compareProfiles(a.profile, b.profile);
    const ta = byFunction(a.truth), tb = byFunction(b.truth);
    expect(c.count).toBe(new Set([...ta.keys(), ...tb.keys()]).size);
    let both = 0;
    for (let r = 0; r < c.count; r++) {
      const x = ta.get(c.keys[r]), y = tb.get(c.keys[r]);
      expect(c.presence[r]).toBe(x && y ? BOTH : x ? BASE_ONLY : NEW_ONLY);
      if (x && y) both++;
      expect(delta(c.base.self[r], c.next.self[r])).toBe((y?.tt ?? 0) - (x?.tt ?? 0));
      expect(delta(c.base.total[r], c.next.total[r])).toBe((y?.ct ?? 0) - (x?.ct ?? 0));
      expect(delta(c.base.calls![r], c.next.calls![r])).toBe((y?.nc ?? 0) - (x?.nc ?? 0));
    }
    expect(both).toBeGreaterThan(10);
    const nlargest = c.keys.indexOf('stdlib/heapq.py\0nlargest');
    expect(c.presence[nlargest]).toBe(BOTH);
    expect(c.base.grandTotal).toBe(a.truth.total_tt);
    expect(c.next.grandTotal).toBe(b.truth.total_tt);
    expect(c.sameUnit).toBe(true);
  });

  it('compares a pstats file with a sampled one as shares, functions matched by file and name', () => {
    const a = prof('seeds-py312-cprofile');
    const path = fixtureFiles('pyflame', '.samp').find((f) => basename(f) === 'cpu-py36-default.samp')!;
    const sampled = parseStackText(readText(path), basename(path));
    const c = compareProfiles(a.profile, sampled);
    expect(c.sameUnit).toBe(false);
    expect(c.next.grandTotal).toBe(sampled.samples);
    const fib = c.keys.indexOf('/home/dev/shop/cpu.py\0fib');
    expect(c.presence[fib]).toBe(NEW_ONLY);
    expect(c.next.total[fib]).toBeGreaterThan(0);
  });
});
