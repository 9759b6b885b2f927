import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openProfile } from '../formats/open-profile';
import { stringAt } from '../model/string-pack';
import { fixturesDir, readJson, readText } from '~/test/fixtures';
import { functionTree } from './function-tree';
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
});
