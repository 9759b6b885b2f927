import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openProfile } from '../formats/open-profile';
import { stringAt } from '../model/string-pack';
import { FrameKind, frameKindOf } from '../model/profile';
import { fixturesDir, readJson, readText } from '~/test/fixtures';
import { functionTree } from './function-tree';
import { InvertedTree } from './inverted-tree';
import { NodeLines } from './node-lines';

const file = join(fixturesDir, 'tachyon/web-py315-tachyon.collapsed');
const truth = readJson<{ samples: number; stacks: Record<string, number> }>(`${file}.truth.json`);

describe('the lines of a function at a place in the call tree', () => {
  it('sum to its row, and each holds what the profiler counted on that line there', async () => {
    const p = await openProfile(new Blob([readText(file)]), 'web.collapsed');
    const { tree, nodeOf } = functionTree(p);
    expect(tree.count).toBeLessThan(p.tree.count);
    const lines = new NodeLines(p.tree, nodeOf!, p.frames, tree.count);
    // The truth's stacks, each frame but the thread's cut into its function and its line.
    const stacks = Object.entries(truth.stacks).map(([stack, n]) => {
      const frames = stack
        .split(';')
        .map((f, d) => (d === 0 ? [f, ''] : [f.replace(/:[^:]*$/, ''), f.replace(/^.*:/, '')]));
      return { frames, n };
    });
    const path: string[] = [];
    let checked = 0;
    for (let v = 0; v < tree.count; v++) {
      const own = lines.of(v);
      const sum = (a: Float64Array) => a.reduce((s, x) => s + x, 0);
      expect(sum(own.total)).toBeCloseTo(tree.total[v], 9);
      expect(sum(own.self)).toBeCloseTo(tree.self[v], 9);
      const fn = stringAt(p.strings, p.frames.label[tree.frame[v]]);
      path.length = tree.depth[v];
      path.push(tree.depth[v] === 0 ? fn : fn.replace(/:[^:]*$/, ''));
      if (!lines.has(v)) continue;
      // Every stack through this place, counted on the line it was on here.
      const expected = new Map<string, number>();
      for (const { frames, n } of stacks) {
        if (frames.length < path.length || path.some((f, d) => frames[d][0] !== f)) continue;
        const line = frames[path.length - 1][1];
        expected.set(line, (expected.get(line) ?? 0) + n);
      }
      const got = new Map(Array.from(own.frame, (f, k) => [String(p.frames.line[f]), own.total[k]]));
      expect(got).toEqual(expected);
      if (own.count > 1) checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("in the inverted tree: a function's self weight per line at a root, per line it called from above", async () => {
    const p = await openProfile(new Blob([readText(file)]), 'web.collapsed');
    const { tree, nodeOf } = functionTree(p);
    const lines = new NodeLines(p.tree, nodeOf!, p.frames, tree.count);
    const inverted = new InvertedTree(tree);
    // Each frame cut into its function and its line: '' for the thread's and made-up ones (`<GC>`).
    const cut = (frame: string, d: number) => {
      const m = /^(.*):(\d+)$/.exec(frame);
      return d > 0 && m ? [m[1], m[2]] : [frame, ''];
    };
    // The truth's stacks, leaf first.
    const stacks = Object.entries(truth.stacks).map(([stack, n]) => ({
      frames: stack.split(';').map(cut).reverse(),
      n,
    }));
    const saysLine = (f: number) => p.frames.line[f] >= 0 && frameKindOf(p.frames, f) === FrameKind.code;
    const functionOfNode = (v: number) => {
      const f = inverted.frame(v);
      return cut(stringAt(p.strings, p.frames.label[f]), saysLine(f) ? 1 : 0)[0];
    };
    const path: string[] = [];
    let checked = 0;
    let nodes = 0;
    const todo = Array.from(inverted.children(-1)).reverse();
    while (todo.length) {
      const v = todo.pop()!;
      todo.push(...Array.from(inverted.children(v)).reverse());
      nodes++;
      const d = inverted.depth(v);
      path.length = d;
      path.push(functionOfNode(v));
      const own = lines.ofInverted(inverted.leaves(v), d);
      // Every stack that ends with this path, counted on the line its frame d calls up was on.
      const expected = new Map<string, number>();
      for (const { frames, n } of stacks) {
        if (frames.length <= d || path.some((f, k) => frames[k][0] !== f)) continue;
        const line = frames[d][1];
        expected.set(line, (expected.get(line) ?? 0) + n);
      }
      const lineText = (f: number) => (saysLine(f) ? String(p.frames.line[f]) : '');
      expect(new Map(Array.from(own.frame, (f, k) => [lineText(f), own.total[k]]))).toEqual(expected);
      // Self weight is the roots' own, as the inverted tree's rows show it.
      expect(Array.from(own.self)).toEqual(Array.from(own.total, (w) => (d === 0 ? w : 0)));
      expect(own.total.reduce((s, w) => s + w, 0)).toBe(inverted.total(v));
      if (own.count > 1) checked++;
    }
    expect(nodes).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(5);
  });
});
