import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePstats, readPstats } from './read-pstats';
import { statsHeaderText } from './pstats-text';
import { withCalls, type Profile } from '~/core/model/profile';
import { fixtureFiles, readBytes, readJson } from '~/test/fixtures';
import { func, m, stats, edge } from '~/test/marshal-writer';
import type { PstatsJson } from '~/core/export/pstats-json';
import { stringAt } from '~/core/model/string-pack';

const load = (name: string): Profile => {
  const path = fixtureFiles('pstats/out', '.prof').find((f) => basename(f) === name)!;
  return parsePstats(readBytes(path), name);
};
const label = (p: Profile, node: number) => stringAt(p.strings, p.frames.label[p.tree.frame[node]]);

/** Root-first labels of every node, with its total. */
function paths(p: Profile): Map<string, number> {
  const out = new Map<string, number>();
  const path: string[] = [];
  for (let i = 0; i < p.tree.count; i++) {
    path.length = p.tree.depth[i];
    path.push(label(p, i).replace(/^.*\((.*)\)$/, '$1'));
    out.set(path.join(';'), (out.get(path.join(';')) ?? 0) + p.tree.total[i]);
  }
  return out;
}

describe('estimated call tree of pstats', () => {
  it('can come after the profile: the numbers of the table first, the same callers and tree after', () => {
    const path = fixtureFiles('pstats/out', '.prof').find((f) => basename(f) === 'seeds-py312-cprofile.prof')!;
    const { profile: read, calls } = readPstats(readBytes(path), 'seeds.prof');
    expect(read.callsPending).toBe(true);
    expect(read.tree.count).toBe(0);
    expect(Array.from(read.pstats!.edgeStart).every((e) => e === 0)).toBe(true);
    expect(statsHeaderText(read.pstats!)).toBe('131 function calls in 0.034 seconds');
    const whole = parsePstats(readBytes(path), 'seeds.prof');
    expect(whole.callsPending).toBeUndefined();
    const later = withCalls(read, calls());
    expect(later).toEqual(whole);
    expect(later.tree.count).toBeGreaterThan(10);
    expect(later.pstats!.edgeCaller.length).toBe(whole.pstats!.edgeCaller.length);
    expect(whole.pstats!.edgeCaller.length).toBeGreaterThan(10);
  });

  it('splits a function with two callers by its edges, not its global time', () => {
    const p = load('seeds-py312-cprofile.prof');
    const truth = readJson<PstatsJson>(
      fixtureFiles('pstats/out', '.json').find((f) => f.endsWith('seeds-py312-cprofile.json'))!,
    );
    const work = truth.entries.find((e) => e.func[2] === 'work')!;
    const edge = (caller: string) => (work.callers.find((c) => c[0][2] === caller)![1] as number[])[3];
    const tree = paths(p);
    expect(tree.get('seeds;foo;work')).toBeCloseTo(edge('foo'), 12);
    expect(tree.get('seeds;bar;work')).toBeCloseTo(edge('bar'), 12);
    expect(tree.get('seeds;foo;work')! + tree.get('seeds;bar;work')!).toBeCloseTo(work.ct, 12);
  });

  it('roots carry the whole time and children never exceed their parent', () => {
    for (const path of fixtureFiles('pstats/out', '.prof')) {
      const p = parsePstats(readBytes(path), basename(path));
      const t = p.tree;
      let roots = 0;
      for (let i = 0; i < t.count; i += t.size[i]) roots += t.total[i];
      expect(roots, basename(path)).toBeGreaterThan(0);
      for (let i = 0; i < t.count; i++) {
        let children = 0;
        for (let c = i + 1; c < i + t.size[i]; c += t.size[c]) children += t.total[c];
        expect(children, `${basename(path)} node ${label(p, i)}`).toBeLessThanOrEqual(t.total[i] * (1 + 1e-9));
        expect(t.self[i]).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('cuts recursion cycles instead of nesting a function under itself', () => {
    const p = load('recursion-py312-cprofile.prof');
    const t = p.tree;
    for (let i = 0; i < t.count; i++) {
      for (let a = t.parent[i]; a >= 0; a = t.parent[a]) expect(t.frame[a]).not.toBe(t.frame[i]);
    }
    expect(t.count).toBeGreaterThan(5);
  });

  it('times no clock measures (negative, NaN, infinite) weigh nothing, and the tree stays within its roots', () => {
    const main = func('a.py', 1, 'main');
    const bytes = m.dict(
      [main, stats(1, 1, 0.5, 3)],
      [func('a.py', 5, 'f'), stats(1, 1, 1, 1, [main, edge(1, 1, 1, -2)])],
      [func('a.py', 9, 'g'), stats(1, 1, NaN, NaN, [main, m.int(1)])],
      [func('a.py', 12, 'h'), stats(1, 1, 4, Infinity, [main, edge(1, 1, 4, 4)])],
    );
    const p = parsePstats(Uint8Array.from(bytes), 'odd.prof');
    expect([...paths(p)]).toEqual([
      ['main', 3],
      ['main;h', 3],
    ]);
  });

  /** The functions of a `python -m cProfile app.py` run: the script runs in exec, imports go through the loader. */
  const cliExec = func('~', 0, '<built-in method builtins.exec>');
  const cliScript = func('app.py', 1, '<module>');
  const cliLoad = func('<frozen importlib._bootstrap>', 1165, '_find_and_load');
  const cliMain = func('app.py', 8, 'main');
  const underExec = (p: ReturnType<typeof parsePstats>) => {
    const tree = paths(p);
    expect(tree.get('{built-in method builtins.exec}')).toBe(1.0);
    expect(tree.get('{built-in method builtins.exec};<module>')).toBe(1.0);
    return tree;
  };

  it('roots a cycle nothing else calls at its heaviest function (python -m cProfile runs the script in exec)', () => {
    const disable = func('~', 0, "<method 'disable' of '_lsprof.Profiler' objects>");
    const bytes = Uint8Array.from(
      m.dict(
        [cliExec, stats(1, 2, 0.001, 1.0, [cliScript, edge(1, 1, 0.0001, 0.2)])],
        [cliScript, stats(1, 1, 0.01, 1.0, [cliExec, edge(1, 1, 0.01, 1.0)])],
        [cliLoad, stats(1, 1, 0.0001, 0.2, [cliScript, edge(1, 1, 0.0001, 0.2)])],
        [cliMain, stats(1, 1, 0.7, 0.79, [cliScript, edge(1, 1, 0.7, 0.79)])],
        [disable, stats(1, 1, 1e-6, 1e-6)],
      ),
    );
    const tree = underExec(parsePstats(bytes, 'cli.prof'));
    expect(tree.get('{built-in method builtins.exec};<module>;main')).toBeCloseTo(0.79, 12);
    expect(tree.get("{method 'disable' of '_lsprof.Profiler' objects}")).toBe(1e-6);
  });

  it("gives a recursive caller's heaviest callees their whole time when its edges carry more than it has", () => {
    // `python -m cProfile app.py` where app.py imports lib: exec runs app.py, whose import runs
    // exec again for lib. exec's edges hold both <module>s, 1.0 + 0.05, more than its 1.0.
    const lib = func('lib.py', 1, '<module>');
    const bytes = Uint8Array.from(
      m.dict(
        [cliExec, stats(2, 1, 0.001, 1.0, [cliLoad, edge(1, 0, 0.0001, 0.05)])],
        [cliScript, stats(1, 1, 0.01, 1.0, [cliExec, edge(1, 1, 0.01, 1.0)])],
        [lib, stats(1, 1, 0.05, 0.05, [cliExec, edge(1, 1, 0.05, 0.05)])],
        [cliLoad, stats(1, 1, 0.0001, 0.06, [cliScript, edge(1, 1, 0.0001, 0.06)])],
        [cliMain, stats(1, 1, 0.9, 0.9, [cliScript, edge(1, 1, 0.9, 0.9)])],
      ),
    );
    const tree = underExec(parsePstats(bytes, 'cli.prof'));
    expect(tree.get('{built-in method builtins.exec};<module>;main')).toBeCloseTo(0.9, 12);
    expect(tree.get('{built-in method builtins.exec};<module>;_find_and_load')).toBeCloseTo(0.06, 12);
  });
});
