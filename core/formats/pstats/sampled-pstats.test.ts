import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toPstatsJson, type PstatsFunc, type PstatsJson } from '~/core/export/pstats-json';
import { fixtureFiles, readBytes, readJson, readText } from '~/test/fixtures';
import { stacksTruth } from '~/test/tachyon-truth';
import { parsePstats } from './read-pstats';
import { sortedEntries, statsHeaderText, statsRowText } from './pstats-text';
import { stringAt } from '~/core/model/string-pack';

const profs = fixtureFiles('tachyon', '.prof');

describe.each(profs)("Tachyon's sampled pstats %s", (path) => {
  const name = basename(path);
  const profile = parsePstats(readBytes(path), name);
  const s = profile.pstats!;

  it('reads the marker, and numbers equal what python3.15 pstats loads', () => {
    const truth = readJson<PstatsJson & { python: string; stats_class: string; sampled_marker: boolean }>(
      path.replace(/\.prof$/, '.json'),
    );
    const { python: _p, stats_class, sampled_marker, ...expected } = truth;
    expect(stats_class).toBe('SampledStats');
    expect(s.sampled).toBe(sampled_marker);
    // The truth keeps pstats' dict order; the export sorts entries and callers.
    const byFunc = (x: PstatsFunc, y: PstatsFunc) =>
      x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
    expected.entries.sort((a, b) => byFunc(a.func, b.func));
    for (const e of expected.entries) e.callers.sort((a, b) => byFunc(a[0], b[0]));
    expect(toPstatsJson(profile)).toStrictEqual(expected);
  });

  it('prints as print_stats sort=cumulative', () => {
    const txt = readText(path.replace(/\.prof$/, '.txt'));
    const lines = txt.split('\n');
    const title = lines.findIndex((l) => l.includes('filename:lineno(function)'));
    expect(lines[title].trim().split(/\s+/).slice(0, 5)).toEqual([
      'nsamples',
      'tottime',
      'persample',
      'cumtime',
      'persample',
    ]);
    expect(statsHeaderText(s)).toBe(lines.find((l) => l.includes('function calls'))!.trim());
    const rows = lines.slice(title + 1).filter((l) => l.trim() !== '');
    expect(Array.from(sortedEntries(s, 'cumtime'), (f) => statsRowText(profile, s, f))).toStrictEqual(rows);
  });

  it('builds an honest tree from the samples on each edge', () => {
    const t = profile.tree;
    let roots = 0;
    const childSum = new Float64Array(t.count);
    for (let i = 0; i < t.count; i++) {
      expect(t.self[i]).toBeGreaterThanOrEqual(-1e-12);
      if (t.parent[i] < 0) roots += t.total[i];
      else childSum[t.parent[i]] += t.total[i];
    }
    for (let i = 0; i < t.count; i++) expect(t.self[i] + childSum[i]).toBeCloseTo(t.total[i], 9);
    expect(roots).toBeCloseTo(s.totalTt, 9);
  });
});

it('counts the same samples as the collapsed stacks of the same recording, on top of the same lines', () => {
  for (const workload of ['web', 'recursive', 'imports']) {
    const profile = parsePstats(
      readBytes(profs.find((p) => basename(p) === `${workload}-py315-tachyon.prof`)!),
      workload,
    );
    const truth = stacksTruth(`${workload}-py315-tachyon.collapsed`);
    const s = profile.pstats!;
    expect(s.primCalls).toBe(truth.samples);
    const onTop = new Map<string, number>();
    for (const [stack, n] of Object.entries(truth.stacks)) {
      const leaf = stack.slice(stack.lastIndexOf(';') + 1);
      onTop.set(leaf, (onTop.get(leaf) ?? 0) + n);
    }
    const direct = new Map<string, number>();
    for (let f = 0; f < s.cc.length; f++) {
      if (s.cc[f] === 0) continue;
      const file = stringAt(profile.strings, profile.frames.file[f]);
      const fname = stringAt(profile.strings, profile.frames.name[f]);
      const leaf = file === '~' ? fname : `${file.slice(file.lastIndexOf('/') + 1)}:${fname}:${profile.frames.line[f]}`;
      direct.set(leaf, (direct.get(leaf) ?? 0) + s.cc[f]);
    }
    expect(direct).toEqual(onTop);
  }
});
