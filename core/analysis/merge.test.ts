import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePstats } from '../formats/pstats/read-pstats';
import { parseStackText } from '../formats/stacks/read-stacks';
import { toPstatsJson, type PstatsJson } from '../export/pstats-json';
import type { Profile } from '../model/profile';
import { stringAt } from '../model/string-pack';
import { isProfile } from '../model/profile-check';
import { fixturesDir, readBytes, readJson, readText } from '~/test/fixtures';
import { mergeProfiles, statsAddOrder } from './merge';
import { statsOf } from '~/test/stats-add';

const pstatsOut = (name: string) => resolve(fixturesDir, 'pstats/out', name);
const loaded = (name: string): Profile => parsePstats(readBytes(pstatsOut(`${name}.prof`)), `${name}.prof`);
const truthOf = (name: string): PstatsJson => {
  const { python: _python, ...truth } = readJson<PstatsJson & { python: string }>(pstatsOut(`${name}.json`));
  return truth;
};

const VERSIONS = ['py27', 'py36', 'py37', 'py38', 'py39', 'py310', 'py311', 'py312', 'py313', 'py314', 'py315'];

describe('merging pstats files as pstats.Stats(*files) does', () => {
  it('adds files in the order Stats(*files) does: the first, then the rest backwards', () => {
    expect(statsAddOrder(0)).toEqual([]);
    expect(statsAddOrder(1)).toEqual([0]);
    expect(statsAddOrder(4)).toEqual([0, 3, 2, 1]);
  });

  for (const v of VERSIONS) {
    const seeds = `seeds-${v}-cprofile`,
      recursion = `recursion-${v}-cprofile`;

    it(`${v}: seeds + recursion + seeds equals Stats.add of what pstats loaded, bit for bit`, () => {
      const merged = mergeProfiles([loaded(seeds), loaded(recursion), loaded(seeds)]);
      expect(isProfile(merged)).toBe(true);
      expect(toPstatsJson(merged)).toStrictEqual(statsOf([truthOf(seeds), truthOf(recursion), truthOf(seeds)]));
    });

    // merged-* is Stats.add of three other runs of these workloads: the same calls, other times.
    it(`${v}: its functions, callers and call counts are those of the merged fixture`, () => {
      const counts = (j: PstatsJson) =>
        j.entries.map((e) => [
          e.func,
          e.cc,
          e.nc,
          e.callers.map(([f, n]) => [f, (n as number[])[0], (n as number[])[1]]),
        ]);
      const mine = toPstatsJson(mergeProfiles([loaded(seeds), loaded(recursion), loaded(seeds)]));
      const truth = truthOf(`merged-${v}-cprofile`);
      expect(counts(mine)).toStrictEqual(counts(truth));
      expect(mine.total_calls).toBe(truth.total_calls);
      expect(mine.prim_calls).toBe(truth.prim_calls);
    });

    it(`${v}: the profile module's counts are summed as counts`, () => {
      const names = ['objects', 'recursion', 'seeds', 'objects'].map((w) => `${w}-${v}-profile`);
      const merged = mergeProfiles(names.map(loaded));
      expect(toPstatsJson(merged)).toStrictEqual(statsOf(names.map(truthOf)));
      expect(merged.pstats!.totalTt).toBe(statsOf(names.map(truthOf)).total_tt);
    });
  }

  it('one file merged alone is that file', () => {
    const merged = mergeProfiles([loaded('merged-py312-cprofile')], 'one');
    expect(toPstatsJson(merged)).toStrictEqual(truthOf('merged-py312-cprofile'));
    expect(merged.fileName).toBe('one');
  });

  it('puts entries first in the order the dicts first held them, and callers that are not entries after', () => {
    const a = loaded('seeds-py311-cprofile'),
      b = loaded('objects-py311-cprofile');
    const merged = mergeProfiles([a, b]);
    const label = (p: Profile, f: number) => stringAt(p.strings, p.frames.label[f]);
    const entries = merged.pstats!.cc.length;
    const expected = [...Array.from({ length: a.pstats!.cc.length }, (_, f) => label(a, f))];
    // Stats(a, b) adds b after loading a: b's new functions follow a's in b's order.
    for (let f = 0; f < b.pstats!.cc.length; f++) if (!expected.includes(label(b, f))) expected.push(label(b, f));
    expect(Array.from({ length: entries }, (_, f) => label(merged, f))).toStrictEqual(expected);
  });

  it('gives the merged profile an estimated call tree whose roots hold the time of the functions nobody called', () => {
    const merged = mergeProfiles([loaded('seeds-py311-cprofile'), loaded('seeds-py311-cprofile')]);
    const single = loaded('seeds-py311-cprofile');
    expect(merged.tree.count).toBe(single.tree.count);
    for (let i = 0; i < single.tree.count; i++) expect(merged.tree.total[i]).toBeCloseTo(2 * single.tree.total[i], 12);
    expect(merged.treeIsEstimate).toBe(true);
  });

  it('refuses what pstats cannot add: a caller counted in one file and timed in the other', () => {
    expect(() => mergeProfiles([loaded('seeds-py311-cprofile'), loaded('seeds-py311-profile')])).toThrow(
      /a count in one \(the profile module\) and cProfile's 4 numbers in the other/,
    );
  });
});

/** Each stack of a tree (labels root first, `;`-joined) and its weight. */
function stacksOf(p: Profile): Record<string, number> {
  const out: Record<string, number> = {};
  const path: string[] = [];
  for (let i = 0; i < p.tree.count; i++) {
    path.length = p.tree.depth[i];
    path.push(stringAt(p.strings, p.frames.label[p.tree.frame[i]]));
    if (p.tree.self[i]) out[path.join(';')] = (out[path.join(';')] ?? 0) + p.tree.self[i];
  }
  return out;
}

interface StackTruth {
  samples: number;
  idle: number;
  failed: number;
  stacks: Record<string, number>;
}

describe('merging sampled stacks', () => {
  const names = ['pyflame/cpu-py36-default.samp', 'pyflame/idle-py36-default.samp', 'pyflame/cpu-py36-default.samp'];
  const files = names.map((n) => resolve(fixturesDir, n));

  it('sums the stacks, samples, idle and failed samples of the files', () => {
    const parsed = files.map((f, i) => parseStackText(readText(f), names[i]));
    const merged = mergeProfiles(parsed);
    const truths = files.map((f) => readJson<StackTruth>(`${f}.truth.json`));
    const expected: Record<string, number> = {};
    for (const t of truths) for (const [s, w] of Object.entries(t.stacks)) expected[s] = (expected[s] ?? 0) + w;
    expect(stacksOf(merged)).toStrictEqual(expected);
    expect(merged.samples).toBe(truths.reduce((n, t) => n + t.samples, 0));
    expect(merged.idle).toBe(truths.reduce((n, t) => n + t.idle, 0));
    expect(merged.failed).toBe(truths.reduce((n, t) => n + t.failed, 0));
    // One format stays; stacks of several dialects are plain folded stacks.
    expect(merged.format).toBe(new Set(parsed.map((p) => p.format)).size === 1 ? parsed[0].format : 'folded');
    expect(isProfile(merged)).toBe(true);
  });

  it('refuses profiles of different units, and pstats with stacks', () => {
    const samp = parseStackText(readText(files[0]), 'cpu.samp');
    const austinFile = resolve(fixturesDir, 'austin/cpu-py36-austin.txt');
    const austin = parseStackText(readText(austinFile), 'cpu-austin.txt');
    expect(() => mergeProfiles([samp, austin])).toThrow(
      /“cpu-austin.txt” counts microseconds and “cpu.samp” samples: profiles of different units cannot be merged/,
    );
    expect(() => mergeProfiles([samp, loaded('seeds-py311-cprofile')])).toThrow(/different units/);
    expect(() => mergeProfiles([])).toThrow(/no profile to merge/);
  });
});
