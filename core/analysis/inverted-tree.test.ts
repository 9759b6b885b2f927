import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openProfile } from '../formats/open-profile';
import type { Profile } from '../model/profile';
import { stringAt } from '../model/string-pack';
import { fixturesDir, readText } from '~/test/fixtures';
import { InvertedTree } from './inverted-tree';
import { callersCallees } from './callers-callees';
import { functionOf } from './function-of';
import { sampledStats } from './sampled-stats';
import type { TreeNodes } from './tree-nodes';

const open = (lines: string[]) => openProfile(new Blob([lines.join('\n') + '\n']), 't.folded');
const label = (p: Profile, f: number) => stringAt(p.strings, p.frames.label[f]);

/** The tree opened all the way, one `name total` line per node, indented by depth. */
function written(p: Profile, nodes: TreeNodes): string[] {
  const out: string[] = [];
  const todo = Array.from(nodes.children(-1)).reverse();
  while (todo.length) {
    const v = todo.pop()!;
    out.push(`${'  '.repeat(nodes.depth(v))}${label(p, nodes.frame(v))} ${nodes.total(v)}`);
    todo.push(...Array.from(nodes.children(v)).reverse());
  }
  return out;
}

const lines = ['a;b;c 3', 'a;b 2', 'a;d;b;c 5', 'a;d 1', 'e;b 4'];

describe('the inverted tree', () => {
  it('holds the functions with self time at its roots, their callers below', async () => {
    const p = await open(lines);
    expect(written(p, new InvertedTree(p.tree))).toEqual([
      'c 8',
      '  b 8',
      '    d 5',
      '      a 5',
      '    a 3',
      'b 6',
      '  e 4',
      '  a 2',
      'd 1',
      '  a 1',
    ]);
  });

  it('gives each root its function self weight, and each node at least what its children hold, on a real profile', async () => {
    const text = readText(join(fixturesDir, 'folded/sampler-py311-threads.folded'));
    const p = await openProfile(new Blob([text]), 'sampler-py311-threads.folded');
    const inverted = new InvertedTree(p.tree);
    const selfOf = new Map<number, number>();
    for (let i = 0; i < p.tree.count; i++)
      selfOf.set(p.tree.frame[i], (selfOf.get(p.tree.frame[i]) ?? 0) + p.tree.self[i]);
    const roots = inverted.children(-1);
    let sum = 0;
    for (const r of roots) {
      expect(inverted.total(r)).toBe(selfOf.get(inverted.frame(r)));
      expect(inverted.self(r)).toBe(inverted.total(r));
      sum += inverted.total(r);
    }
    expect(sum).toBe(p.samples);
    const todo = Array.from(roots);
    let seen = 0;
    while (todo.length) {
      const v = todo.pop()!;
      seen++;
      const kids = inverted.children(v);
      let below = 0;
      for (const k of kids) {
        below += inverted.total(k);
        expect(inverted.parent(k)).toBe(v);
        expect(inverted.depth(k)).toBe(inverted.depth(v) + 1);
      }
      expect(below).toBeLessThanOrEqual(inverted.total(v));
      todo.push(...kids);
    }
    expect(seen).toBe(inverted.count);
    expect(seen).toBeGreaterThan(roots.length);
  });
});

describe('callers and callees of a function, merged over its places', () => {
  it('has the weight on each edge, written out by hand', async () => {
    const p = await open(lines);
    const fn = functionOf(p);
    const f = (name: string) => {
      for (let i = 0; i < p.frames.count; i++) if (label(p, i) === name) return i;
      return -1;
    };
    const named = (list: { frame: number; self: number; total: number }[]) =>
      list.map((n) => `${label(p, n.frame)} ${n.self} ${n.total}`);
    const b = callersCallees(p.tree, fn, f('b'));
    expect(named(b.callers)).toEqual(['a 2 5', 'd 0 5', 'e 4 4']);
    expect(named(b.callees)).toEqual(['c 8 8']);
    expect(b.fromRoot).toBe(0);
    const a = callersCallees(p.tree, fn, f('a'));
    expect(a.callers).toEqual([]);
    expect(a.fromRoot).toBe(11);
  });

  it('counts a recursive edge once per stack', async () => {
    const p = await open(['m;f;f;f 2', 'm;f 1']);
    const fn = functionOf(p);
    const f = fn.findIndex((_, i) => label(p, i) === 'f');
    const r = callersCallees(p.tree, fn, f);
    const byName = new Map(r.callers.map((n) => [label(p, n.frame), n]));
    expect(byName.get('m')).toEqual({ frame: byName.get('m')!.frame, self: 1, total: 3 });
    expect(byName.get('f')).toMatchObject({ self: 2, total: 2 });
  });

  it('sums, over callers and the roots, to the function total of the stats table (real profile)', async () => {
    const text = readText(join(fixturesDir, 'folded/sampler-py311.folded'));
    const p = await openProfile(new Blob([text]), 'sampler-py311.folded');
    const fn = functionOf(p);
    const stats = sampledStats(p);
    for (let row = 0; row < stats.count; row++) {
      const r = callersCallees(p.tree, fn, stats.frame[row]);
      const inner = r.callers.filter((n) => n.frame === fn[stats.frame[row]]);
      const outer = r.callers.filter((n) => n.frame !== fn[stats.frame[row]]);
      if (inner.length) continue;
      expect(outer.reduce((s, n) => s + n.total, r.fromRoot)).toBe(stats.total[row]);
      expect(r.callees.reduce((s, n) => s + n.total, stats.self[row])).toBe(stats.total[row]);
    }
  });
});
