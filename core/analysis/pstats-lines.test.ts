import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PstatsJson } from '~/core/export/pstats-json';
import { parsePstats } from '~/core/formats/pstats/read-pstats';
import { stringAt } from '~/core/model/string-pack';
import { fixtureFiles, readBytes, readJson } from '~/test/fixtures';
import { stacksTruth } from '~/test/tachyon-truth';
import { groupPstatsLines } from './pstats-lines';

const profs = fixtureFiles('tachyon', '.prof');

describe.each(profs)('functions of the sampled pstats %s', (path) => {
  const profile = parsePstats(readBytes(path), basename(path));
  const s = profile.pstats!;
  const g = groupPstatsLines(profile, s);
  const text = (id: number) => stringAt(profile.strings, id);
  const keyOf = (f: number) => `${text(profile.frames.file[f])}\0${text(profile.frames.name[f])}`;

  it('sums the entries of python3.15 pstats per file and function name', () => {
    const truth = readJson<PstatsJson>(path.replace(/\.prof$/, '.json'));
    const sums = new Map<string, { cc: number; nc: number; tt: number; ct: number; lines: number[] }>();
    for (const e of truth.entries) {
      const key = `${e.func[0]}\0${e.func[2]}`;
      const sum = sums.get(key) ?? { cc: 0, nc: 0, tt: 0, ct: 0, lines: [] };
      sum.cc += e.cc;
      sum.nc += e.nc;
      sum.tt += e.tt;
      sum.ct += e.ct;
      sum.lines.push(e.func[1]);
      sums.set(key, sum);
    }
    expect(g.count).toBe(sums.size);
    expect(g.count).toBeLessThan(truth.entries.length);
    for (let r = 0; r < g.count; r++) {
      const sum = sums.get(keyOf(g.frame[r]))!;
      expect(g.cc[r]).toBe(sum.cc);
      expect(g.nc[r]).toBe(sum.nc);
      expect(g.tt[r]).toBeCloseTo(sum.tt, 9);
      expect(g.ct[r]).toBeCloseTo(sum.ct, 9);
      const lines = Array.from(g.lineFrame.subarray(g.lineStart[r], g.lineStart[r + 1]), (f) => profile.frames.line[f]);
      expect(lines).toStrictEqual(sum.lines.sort((a, b) => a - b));
    }
  });

  it('puts every entry in the row of its function, and nothing else', () => {
    expect(g.lineStart[g.count]).toBe(s.cc.length);
    const seen = new Uint8Array(s.cc.length);
    for (let r = 0; r < g.count; r++) {
      expect(g.rowOfFrame[g.frame[r]]).toBe(r);
      for (let k = g.lineStart[r]; k < g.lineStart[r + 1]; k++) {
        const f = g.lineFrame[k];
        seen[f]++;
        expect(g.rowOfFrame[f]).toBe(r);
        expect(keyOf(f)).toBe(keyOf(g.frame[r]));
      }
    }
    expect(seen.every((n) => n === 1)).toBe(true);
    for (let f = s.cc.length; f < profile.frames.count; f++) expect(g.rowOfFrame[f]).toBe(-1);
  });

  it('keeps the total: tottimes add up to the profile total', () => {
    expect(g.tt.reduce((a, b) => a + b, 0)).toBeCloseTo(s.totalTt, 9);
  });
});

describe('a function on the stack at two lines in one sample', () => {
  // Same recording as the collapsed stacks: nsamples per function are the samples it was on, each
  // counted once per distinct line of it on the stack, so more than once only under recursion.
  const onStack = (workload: string) => {
    const path = profs.find((p) => basename(p) === `${workload}-py315-tachyon.prof`)!;
    const profile = parsePstats(readBytes(path), basename(path));
    const g = groupPstatsLines(profile, profile.pstats!);
    const grouped = new Map<string, number>();
    for (let r = 0; r < g.count; r++) {
      const f = g.frame[r];
      // The collapsed stacks name a file by its base name.
      const key = `${basename(stringAt(profile.strings, profile.frames.file[f]))}:${stringAt(profile.strings, profile.frames.name[f])}`;
      grouped.set(key, (grouped.get(key) ?? 0) + g.nc[r]);
    }
    const lineCounted = new Map<string, number>();
    const once = new Map<string, number>();
    const recursive = new Set<string>();
    for (const [stack, n] of Object.entries(stacksTruth(`${workload}-py315-tachyon.collapsed`).stacks)) {
      const lines = new Map<string, Set<string>>();
      const seen = new Set<string>();
      for (const frame of stack.split(';').slice(1)) {
        const at = frame.lastIndexOf(':');
        // A frame Tachyon made up (`<GC>`) has no file nor line; pstats files it under `~`.
        const fn = at < 0 ? `~:${frame}` : frame.slice(0, at);
        lines.set(fn, (lines.get(fn) ?? new Set()).add(frame.slice(at + 1)));
        if (seen.has(fn)) recursive.add(fn);
        seen.add(fn);
      }
      for (const [fn, set] of lines) {
        lineCounted.set(fn, (lineCounted.get(fn) ?? 0) + n * set.size);
        once.set(fn, (once.get(fn) ?? 0) + n);
      }
    }
    return { grouped, lineCounted, once, recursive };
  };

  it.each(['web', 'recursive', 'imports'])('%s: nsamples count a sample once per line of the function', (w) => {
    const { grouped, lineCounted } = onStack(w);
    expect(grouped).toStrictEqual(lineCounted);
  });

  it.each(['web', 'recursive', 'imports'])('%s: counts a sample twice only under recursion', (w) => {
    const { grouped, once, recursive } = onStack(w);
    const twice = [...grouped].filter(([fn, n]) => n > once.get(fn)!).map(([fn]) => fn);
    for (const fn of twice) expect(recursive).toContain(fn);
    for (const [fn, n] of grouped) if (!recursive.has(fn)) expect(n).toBe(once.get(fn));
    if (w === 'recursive') expect(twice.length).toBeGreaterThan(0);
  });
});
