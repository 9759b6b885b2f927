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

/** Where the estimated tree breaks the rules it is built to: each a message naming the node or function. */
function invariantBreaks(p: Profile): string[] {
  const t = p.tree,
    s = p.pstats!;
  const out: string[] = [];
  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b);
  const selfOf = new Float64Array(p.frames.count);
  let roots = 0;
  for (let i = 0; i < t.count; i++) {
    selfOf[t.frame[i]] += t.self[i];
    if (t.parent[i] < 0) roots += t.total[i];
    let children = 0;
    const childFrames = new Set<number>();
    for (let c = i + 1; c < i + t.size[i]; c += t.size[c]) {
      children += t.total[c];
      if (childFrames.has(t.frame[c])) out.push(`node ${label(p, i)}: two children are ${label(p, c)}`);
      childFrames.add(t.frame[c]);
    }
    if (!(t.self[i] >= 0) || !near(t.self[i] + children, t.total[i]))
      out.push(`node ${label(p, i)}: self ${t.self[i]} + children ${children} != total ${t.total[i]}`);
  }
  if (!near(roots, s.totalTt)) out.push(`roots hold ${roots}, the profile ${s.totalTt}`);
  for (let f = 0; f < p.frames.count; f++) {
    const tt = f < s.tt.length ? s.tt[f] : 0;
    if (!near(selfOf[f], tt))
      out.push(`${stringAt(p.strings, p.frames.label[f])}: self ${selfOf[f]} in the tree, tottime ${tt}`);
  }
  return out;
}

describe('estimated call tree of pstats', () => {
  const everyFile = [...fixtureFiles('pstats/out', '.prof'), ...fixtureFiles('pstats/cli/out', '.prof')];

  it("places each function's tottime exactly, its nodes' totals their self and children, in every fixture", () => {
    expect(everyFile.length).toBeGreaterThan(120);
    for (const path of everyFile) {
      const p = parsePstats(readBytes(path), basename(path));
      expect(p.tree.count, basename(path)).toBeGreaterThan(3);
      expect(invariantBreaks(p).slice(0, 5), basename(path)).toEqual([]);
    }
  });

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

  it('collapses recursion cycles instead of nesting a function under itself', () => {
    const p = load('recursion-py312-cprofile.prof');
    const t = p.tree;
    for (let i = 0; i < t.count; i++) {
      for (let a = t.parent[i]; a >= 0; a = t.parent[a]) expect(t.frame[a]).not.toBe(t.frame[i]);
    }
    expect(t.count).toBeGreaterThan(5);
  });

  it('times no clock measures (negative, NaN, infinite) weigh nothing, and each function keeps its own time', () => {
    const main = func('a.py', 1, 'main');
    const bytes = m.dict(
      [main, stats(1, 1, 0.5, 3)],
      [func('a.py', 5, 'f'), stats(1, 1, 1, 1, [main, edge(1, 1, 1, -2)])],
      [func('a.py', 9, 'g'), stats(1, 1, NaN, NaN, [main, m.int(1)])],
      [func('a.py', 12, 'h'), stats(1, 1, 4, Infinity, [main, edge(1, 1, 4, 4)])],
    );
    const p = parsePstats(Uint8Array.from(bytes), 'odd.prof');
    expect([...paths(p)]).toEqual([
      ['main', 5.5],
      ['main;h', 4],
      ['main;f', 1],
    ]);
  });

  it('collapses the cycle of exec and the import machinery (python -m cProfile), entered at exec, and reports how far each function is from its cumtime', () => {
    // app.py runs in exec and imports lib, whose import runs exec again: exec, app.py and
    // _find_and_load call each other, and nothing outside calls them.
    const exec = func('~', 0, '<built-in method builtins.exec>');
    const script = func('app.py', 1, '<module>');
    const load = func('<frozen importlib._bootstrap>', 1165, '_find_and_load');
    const lib = func('lib.py', 1, '<module>');
    const disable = func('~', 0, "<method 'disable' of '_lsprof.Profiler' objects>");
    const bytes = Uint8Array.from(
      m.dict(
        [exec, stats(1, 2, 0.002, 0.999, [load, edge(1, 0, 0.001, 0.1)])],
        [script, stats(1, 1, 0.01, 0.998, [exec, edge(1, 1, 0.01, 0.998)])],
        [lib, stats(1, 1, 0.099, 0.099, [exec, edge(1, 1, 0.099, 0.099)])],
        [load, stats(1, 1, 0.09, 0.19, [script, edge(1, 1, 0.09, 0.19)])],
        [func('app.py', 8, 'main'), stats(1, 1, 0.798, 0.798, [script, edge(1, 1, 0.798, 0.798)])],
        [disable, stats(1, 1, 1e-6, 1e-6)],
      ),
    );
    const p = parsePstats(bytes, 'cli.prof');
    expect(invariantBreaks(p)).toEqual([]);
    const t = p.tree;
    const at = (text: string) => Array.from({ length: t.count }, (_, i) => i).filter((i) => label(p, i) === text);
    const [execNode] = at('{built-in method builtins.exec}');
    expect(t.parent[execNode]).toBe(-1);
    expect(t.total[execNode]).toBeCloseTo(0.999, 12);
    // Each function once: the exec that ran lib is the same place as the one that ran app.py.
    expect(at('{built-in method builtins.exec}')).toHaveLength(1);
    const [libNode] = at('lib.py:1(<module>)');
    expect(t.parent[libNode]).toBe(execNode);
    expect(t.total[libNode]).toBeCloseTo(0.099, 12);
    expect(t.total[at('app.py:1(<module>)')[0]]).toBeCloseTo(0.898, 12);
    expect(t.total[at('app.py:8(main)')[0]]).toBeCloseTo(0.798, 12);
    expect(t.total[at("{method 'disable' of '_lsprof.Profiler' objects}")[0]]).toBe(1e-6);
    // _find_and_load's cumtime holds lib's run, which the edges place under exec: 0.1 s from it.
    const outer = p.treeEstimate!.outerTotal,
      ct = p.pstats!.ct;
    const distance = (text: string) => {
      const f = Array.from(p.frames.label, (l) => stringAt(p.strings, l)).indexOf(text);
      return outer[f] - ct[f];
    };
    expect(distance('<frozen importlib._bootstrap>:1165(_find_and_load)')).toBeCloseTo(-0.1, 12);
    expect(distance('app.py:8(main)')).toBeCloseTo(0, 12);
    expect(distance('{built-in method builtins.exec}')).toBeCloseTo(0, 12);
  });

  it('gives every function outside recursion its cumtime over its outermost places', () => {
    for (const name of ['seeds-py312-cprofile.prof', 'objects-py311-cprofile.prof']) {
      const p = load(name),
        s = p.pstats!,
        outer = p.treeEstimate!.outerTotal;
      for (let f = 0; f < s.ct.length; f++) {
        expect(outer[f], `${name} ${stringAt(p.strings, p.frames.label[f])}`).toBeCloseTo(s.ct[f], 9);
      }
    }
  });

  it('says what share of the time is on functions it splits between several places', () => {
    // seeds: work is called by foo and bar, and its time split between them.
    const p = load('seeds-py312-cprofile.prof');
    expect(p.treeEstimate!.splitShare).toBeGreaterThan(0.01);
    expect(p.treeEstimate!.splitShare).toBeLessThan(0.2);
    expect(load('recursion-py312-cprofile.prof').treeEstimate!.splitShare).toBe(0);
  });
});
