import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffTrees } from './tree-diff';
import {
  BOTH,
  BASE_ONLY,
  NEW_ONLY,
  comparableFile,
  comparableName,
  compareProfiles,
  delta,
  functionKey,
} from './compare';
import type { Profile } from '../model/profile';
import { stringAt } from '../model/string-pack';
import { parsePstats } from '../formats/pstats/read-pstats';
import { parseStackText } from '../formats/stacks/read-stacks';
import type { PstatsJson } from '../export/pstats-json';
import { fixtureFiles, readBytes, readJson, readText } from '~/test/fixtures';
import { func, m, stats } from '~/test/marshal-writer';

const prof = (name: string) => {
  const path = fixtureFiles('pstats/out', '.prof').find((f) => basename(f) === `${name}.prof`)!;
  return {
    profile: parsePstats(readBytes(path), basename(path)),
    truth: readJson<PstatsJson>(path.replace(/\.prof$/, '.json')),
  };
};

/** Per function (file, the standard library by its path inside it, + name, built-ins as Python 2 names them, + def line): summed tt, ct and nc of a truth file. */
function byFunction(t: PstatsJson): Map<string, { tt: number; ct: number; nc: number }> {
  const out = new Map<string, { tt: number; ct: number; nc: number }>();
  for (const e of t.entries) {
    const key = `${comparableFile(e.func[0])}\0${comparableName(e.func[0], e.func[2])}\0${e.func[1]}`;
    const v = out.get(key) ?? { tt: 0, ct: 0, nc: 0 };
    out.set(key, { tt: v.tt + e.tt, ct: v.ct + e.ct, nc: v.nc + e.nc });
  }
  return out;
}

describe('comparing two profiles', () => {
  it('every delta is the difference of the two truth files (same workload, Python 3.11 → 3.12)', () => {
    const a = prof('seeds-py311-cprofile'),
      b = prof('seeds-py312-cprofile');
    const c = compareProfiles(a.profile, b.profile);
    const ta = byFunction(a.truth),
      tb = byFunction(b.truth);
    expect(c.count).toBe(new Set([...ta.keys(), ...tb.keys()]).size);
    let both = 0;
    for (let r = 0; r < c.count; r++) {
      const x = ta.get(c.keys[r]),
        y = tb.get(c.keys[r]);
      expect(c.presence[r]).toBe(x && y ? BOTH : x ? BASE_ONLY : NEW_ONLY);
      if (x && y) both++;
      expect(delta(c.base.self[r], c.next.self[r])).toBe((y?.tt ?? 0) - (x?.tt ?? 0));
      expect(delta(c.base.total[r], c.next.total[r])).toBe((y?.ct ?? 0) - (x?.ct ?? 0));
      expect(delta(c.base.calls![r], c.next.calls![r])).toBe((y?.nc ?? 0) - (x?.nc ?? 0));
    }
    expect(both).toBeGreaterThan(10);
    const nlargest = c.keys.findIndex((k) => k.startsWith('stdlib/heapq.py\0nlargest\0'));
    expect(c.presence[nlargest]).toBe(BOTH);
    expect(c.base.grandTotal).toBe(a.truth.total_tt);
    expect(c.next.grandTotal).toBe(b.truth.total_tt);
    expect(c.sameUnit).toBe(true);
  });

  it('meets the functions of a strip_dirs() profile by file name and name, in the table and the diff', () => {
    const a = prof('objects-py311-cprofile'),
      b = prof('stripped-py311-cprofile');
    const c = compareProfiles(a.profile, b.profile);
    const stripped = (key: string) => key.slice(Math.max(0, key.lastIndexOf('/', key.indexOf('\0')) + 1));
    const ta = new Map([...byFunction(a.truth)].map(([k, v]) => [stripped(k), v])),
      tb = byFunction(b.truth);
    expect(c.count).toBe(ta.size);
    expect(tb.size).toBe(ta.size);
    for (let r = 0; r < c.count; r++) {
      expect(c.presence[r]).toBe(BOTH);
      const x = ta.get(stripped(c.keys[r]))!,
        y = tb.get(stripped(c.keys[r]))!;
      expect([c.base.self[r], c.next.self[r]]).toEqual([x.tt, y.tt]);
    }
    const make = c.keys.findIndex((k) => k.startsWith('/home/dev/shop/workloads.py\0make_counter\0'));
    expect(c.presence[make]).toBe(BOTH);
    expect(c.pairing[make]).toBe('path differs');
    const d = diffTrees(a.profile, b.profile);
    for (let i = 0; i < b.profile.tree.count; i++) expect(d.baseValue[i]).toBeGreaterThan(0);
  });

  it('keeps apart the functions of one file that share a name, and meets them when their lines moved', () => {
    const run = (first: number, second: number, shift: number, address: string) =>
      parsePstats(
        Uint8Array.from(
          m.dict(
            [func('cls.py', 2 + shift, '__init__'), stats(1, 1, first, first)],
            [func('cls.py', 8 + shift, '__init__'), stats(1, 1, second, second)],
            [func('cls.py', 14 + shift, 'total'), stats(1, 1, 0.01, 0.01)],
            [func('~', 0, `<built-in method __new__ of type object at ${address}>`), stats(2, 2, 0.001, 0.001)],
          ),
        ),
        'cls.prof',
      );
    for (const shift of [0, 3]) {
      const c = compareProfiles(run(0.2, 0.02, 0, '0x7f31f885ea00'), run(0.02, 0.2, shift, '0x7f634fa5ea00'));
      expect(c.count).toBe(4);
      expect([...c.presence]).toEqual([BOTH, BOTH, BOTH, BOTH]);
      const row = (prefix: string) => c.keys.findIndex((k) => k.startsWith(prefix));
      expect(delta(c.base.self[row('cls.py\0__init__\x002')], c.next.self[row('cls.py\0__init__\x002')])).toBeCloseTo(
        -0.18,
        12,
      );
      expect(delta(c.base.self[row('cls.py\0__init__\x008')], c.next.self[row('cls.py\0__init__\x008')])).toBeCloseTo(
        0.18,
        12,
      );
      // A pairing by file and name says what it assumed; an exact one says nothing.
      const moved = (line: number) => (shift ? `line ${line} → ${line + shift}` : '');
      expect(
        [row('cls.py\0__init__\x002'), row('cls.py\0__init__\x008'), row('cls.py\0total')].map((r) => c.pairing[r]),
      ).toEqual([moved(2), moved(8), moved(14)]);
      expect(c.pairing[row('~')]).toBe('');
    }
  });

  it('matches built-ins across Python 2 and 3, where their names differ', () => {
    const a = prof('seeds-py27-cprofile'),
      b = prof('seeds-py313-cprofile');
    const c = compareProfiles(a.profile, b.profile);
    const ta = byFunction(a.truth),
      tb = byFunction(b.truth);
    for (const name of ['<time.sleep>', '<max>', '<min>', '<len>', "<method 'append' of 'list' objects>"]) {
      const r = c.keys.indexOf(`~\0${name}\x000`);
      expect(c.presence[r]).toBe(BOTH);
      expect(delta(c.base.self[r], c.next.self[r])).toBe(tb.get(c.keys[r])!.tt - ta.get(c.keys[r])!.tt);
    }
    expect(c.keys.some((k) => k.includes('built-in method'))).toBe(false);
  });

  it('compares austin microseconds with pstats seconds as times, in seconds', () => {
    const a = prof('seeds-py312-cprofile');
    const path = fixtureFiles('austin', '.txt').find((f) => basename(f) === 'cpu-py37-austin.txt')!;
    const austin = parseStackText(readText(path), basename(path));
    expect(austin.unit).toBe('microseconds');
    const c = compareProfiles(a.profile, austin);
    expect(c.sameUnit).toBe(true);
    expect(c.unit).toBe('seconds');
    expect(c.next.grandTotal).toBeCloseTo(austin.samples / 1e6, 12);
    expect(c.base.grandTotal).toBe(a.truth.total_tt);
    // The diff flame graph agrees: times in seconds, not shares.
    const d = diffTrees(a.profile, austin);
    expect([d.absolute, d.unit]).toEqual([true, 'seconds']);
    let roots = 0;
    for (let i = 0; i < austin.tree.count; i += austin.tree.size[i]) roots += d.newValue[i];
    expect(roots).toBeCloseTo(austin.samples / 1e6, 9);
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

describe('the differential flame graph', () => {
  /** Weight of each path of functions (file + name from the root) in a profile's tree, or its share of the total, by a plain string walk. */
  function pathWeights(p: Profile, asShares: boolean): { pathOf: string[]; weight: Map<string, number> } {
    const t = p.tree;
    const pathOf: string[] = [];
    const weight = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < t.count; i += t.size[i]) total += t.total[i];
    for (let i = 0; i < t.count; i++) {
      pathOf[i] = `${t.parent[i] < 0 ? '' : pathOf[t.parent[i]]}/${functionKey(p, t.frame[i])}`;
      weight.set(pathOf[i], (weight.get(pathOf[i]) ?? 0) + t.total[i] / (asShares ? total : 1));
    }
    return { pathOf, weight };
  }
  const samp = (name: string) =>
    parseStackText(readText(fixtureFiles('pyflame', '.samp').find((f) => basename(f) === name)!), name);

  it('compares each path of functions whole, however many lines split it, in samples (Pyflame, Python 2.7 → 3.6)', () => {
    const base = samp('cpu-py27-default.samp'),
      next = samp('cpu-py36-default.samp');
    const d = diffTrees(base, next);
    expect(d.absolute).toBe(true);
    const b = pathWeights(base, false),
      n = pathWeights(next, false);
    let split = 0;
    for (let i = 0; i < next.tree.count; i++) {
      expect(d.newValue[i]).toBe(n.weight.get(n.pathOf[i])!);
      expect(d.baseValue[i]).toBe(b.weight.get(n.pathOf[i]) ?? 0);
      if (d.newValue[i] > next.tree.total[i]) split++;
    }
    expect(split).toBeGreaterThan(0);
  });

  it('compares two runs of different length as shares of their totals when asked', () => {
    const base = samp('cpu-py27-default.samp'),
      next = samp('cpu-py36-default.samp');
    expect(base.samples).not.toBe(next.samples);
    expect(diffTrees(base, next).absolute).toBe(true);
    const shares = diffTrees(base, next, true);
    expect(shares.absolute).toBe(false);
    let roots = 0;
    for (let i = 0; i < next.tree.count; i += next.tree.size[i]) roots += shares.newValue[i];
    expect(roots).toBeCloseTo(1, 12);
  });

  it('compares shares of each total when the units differ, paths meeting below roots only one side has (Pyflame samples → austin microseconds)', () => {
    const base = samp('cpu-py36-default.samp');
    const path = fixtureFiles('austin', '.txt').find((f) => basename(f) === 'cpu-py37-austin.txt')!;
    const next = parseStackText(readText(path), basename(path));
    const d = diffTrees(base, next);
    expect(d.absolute).toBe(false);
    // austin's thread roots are not in Pyflame's stacks: they are stepped over, drawn unchanged at their share.
    let threads = 0;
    for (let i = 0; i < next.tree.count; i += next.tree.size[i]) {
      expect(stringAt(next.strings, next.frames.name[next.tree.frame[i]])).toMatch(/^Thread /);
      expect(d.baseValue[i]).toBe(d.newValue[i]);
      threads += d.newValue[i];
    }
    expect(threads).toBeCloseTo(1, 12);
    // Below them, cpu.py's <module> meets Pyflame's root (the same file, found by its name) with both shares.
    const b = pathWeights(base, true);
    const module = Array.from({ length: next.tree.count }, (_, i) => i).find(
      (i) =>
        next.tree.depth[i] === 1 &&
        stringAt(next.strings, next.frames.name[next.tree.frame[i]]) === '<module>' &&
        stringAt(next.strings, next.frames.file[next.tree.frame[i]]) === 'cpu.py',
    )!;
    expect(d.baseValue[module]).toBeCloseTo(b.weight.get(`//home/dev/shop/cpu.py\0<module>`)!, 12);
    expect(d.newValue[module]).toBeGreaterThan(0.5);
  });
});
