import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openProfile } from '~/core/formats/open-profile';
import type { Profile } from '~/core/model/profile';
import { fixturesDir, readBytes } from '~/test/fixtures';
import { functionTree } from './function-tree';
import { NodeLines, type Lines } from './node-lines';
import { leftTotal, quickCallTree, stackedCallTree } from './quick-call-tree';
import { START } from './transforms/lazy-rewrite';
import { topDown, type TreeNodes } from './tree-nodes';
import { applyTransform, applyTransforms, type Transform } from './transforms/transforms';
import { firstAndLastOfKinds, fractional, sampled, transformsFor } from '~/test/quick-transforms';
import { withWholeNumbers } from './whole-numbers';
import { InvertedTree } from './inverted-tree';
import { quickInvertedTree } from './quick-inverted-tree';

const open = async (path: string) => openProfile(new Blob([readBytes(path).slice()]), path);

/** Every row of a tree opened, root level first, siblings in order: what each row shows, lines included. */
function rowsOf(nodes: TreeNodes, lines: (node: number) => Lines | null): string[] {
  const rows: string[] = [];
  const todo = Array.from(nodes.children(-1)).reverse();
  while (todo.length) {
    const v = todo.pop()!;
    const own = lines(v);
    const shown = own && own.count > 1 ? own : null;
    const lineText = shown
      ? Array.from(shown.frame, (f, k) => `${f}:${shown.self[k]}/${shown.total[k]}`).join(',')
      : '';
    rows.push(`${nodes.depth(v)} ${nodes.frame(v)} ${nodes.total(v)} ${nodes.self(v)} [${lineText}]`);
    const kids = nodes.children(v);
    for (let k = kids.length - 1; k >= 0; k--) todo.push(kids[k]);
  }
  return rows;
}

/** The rows as the call tree shows them from the whole rewrite: the tree by function of the transformed profile, laid out. */
function fullRows(p: Profile, t: Transform | Transform[]): string[] {
  const transformed = Array.isArray(t) ? applyTransforms(p, t) : applyTransform(p, t);
  const { tree, nodeOf } = functionTree(transformed);
  const index = nodeOf && new NodeLines(transformed.tree, nodeOf, transformed.frames, tree.count);
  return rowsOf(topDown(tree), (v) => (index?.has(v) ? index.of(v) : null));
}

describe('the call tree of a transform, made as rows open', () => {
  it.each(sampled)('gives the rows of the whole rewrite, every row opened: %s', async (name) => {
    const p = await open(join(fixturesDir, name));
    let compared = 0;
    // Room for two nodes at first, as well as the room a first frame needs: every array grows and the table of ids is made again.
    for (const room of [START, 2])
      for (const t of transformsFor(p)) {
        const quick = quickCallTree(p, t, room);
        expect(quick, JSON.stringify(t)).not.toBeNull();
        const rows = rowsOf(quick!.nodes, quick!.lines);
        expect(rows, `${JSON.stringify(t)}, room ${room}`).toEqual(fullRows(p, t));
        expect(leftTotal(quick!), JSON.stringify(t)).toBe(applyTransform(p, t).samples);
        compared += rows.length;
      }
    expect(compared).toBeGreaterThan(100);
  });

  it.each(sampled)(
    'stacked on a transform whose whole result has not come, gives the rows of both rewrites: %s',
    async (name) => {
      const p = await open(join(fixturesDir, name));
      const all = transformsFor(p);
      const on = firstAndLastOfKinds(all);
      let compared = 0;
      let made = 0;
      // From room for two nodes as well on one fixture: every array grows and the table of ids is made again.
      for (const room of name === sampled[0] ? [START, 2] : [START])
        for (const first of all)
          for (const t of on) {
            const below = quickCallTree(p, first, room);
            if (!below) continue;
            // Some rows of the tree below opened first, as the view would have.
            below.byLine.children(-1).forEach((r) => below.byLine.children(r));
            const quick = stackedCallTree(below, t, room);
            if (!quick) continue;
            made++;
            const rows = rowsOf(quick.nodes, quick.lines);
            expect(rows, `${JSON.stringify([first, t])}, room ${room}`).toEqual(fullRows(p, [first, t]));
            expect(leftTotal(quick), JSON.stringify([first, t])).toBe(applyTransforms(p, [first, t]).samples);
            compared += rows.length;
          }
      expect(made).toBeGreaterThan(50);
      expect(compared).toBeGreaterThan(1000);
    },
  );

  it('is not made where the whole rewrite alone gives the rows: a path of no frames', async () => {
    const p = await open(join(fixturesDir, 'tachyon/recursive-py315-tachyon.collapsed'));
    expect(quickCallTree(p, { kind: 'focus-subtree', path: [] })).toBeNull();
  });

  it.each(fractional)(
    "on weights that are not whole numbers, gives the same rows, and the worker's numbers on them once it has them: %s",
    async (name) => {
      const p = await open(join(fixturesDir, name));
      const grand = p.tree.total.reduce((sum, w, i) => (p.tree.parent[i] < 0 ? sum + w : sum), 0);
      let compared = 0;
      let differ = 0;
      for (const t of transformsFor(p)) {
        const quick = quickCallTree(p, t)!;
        expect(quick.exact, JSON.stringify(t)).toBe(false);
        const whole = applyTransform(p, t);
        const full = fullRows(p, t);
        // Before the worker's result: the rows in the worker's order, their numbers summed in
        // another order, so equal but for the last bits (a millionth of a millionth of the total).
        const before = rowsOf(quick.nodes, quick.lines);
        expect(before.length, JSON.stringify(t)).toBe(full.length);
        for (let r = 0; r < full.length; r++) {
          const [d, f, total, self] = full[r].split(' ');
          const [qd, qf, qTotal, qSelf] = before[r].split(' ');
          expect([qd, qf], `${JSON.stringify(t)} row ${r}`).toEqual([d, f]);
          expect(Math.abs(Number(qTotal) - Number(total))).toBeLessThanOrEqual(grand * 1e-12);
          expect(Math.abs(Number(qSelf) - Number(self))).toBeLessThanOrEqual(grand * 1e-12);
          if (qTotal !== total || qSelf !== self) differ++;
        }
        // After: the worker's numbers and lines, to the bit, on the same rows.
        const shown = withWholeNumbers(quick, whole);
        expect(rowsOf(shown.nodes, shown.lines), JSON.stringify(t)).toEqual(full);
        compared += full.length;
      }
      expect(compared).toBeGreaterThan(100);
      // On cProfile's table some rows do differ before: the worker's numbers are what make them equal.
      if (name === fractional[0]) expect(differ).toBeGreaterThan(0);
    },
  );
});

describe('the inverted call tree of a transform, made as rows open', () => {
  it.each(sampled)('gives the rows of the inverted tree of the whole rewrite, every row opened: %s', async (name) => {
    const p = await open(join(fixturesDir, name));
    let compared = 0;
    let made = 0;
    for (const t of transformsFor(p)) {
      const quick = quickInvertedTree(p, t);
      expect(quick, JSON.stringify(t)).not.toBeNull();
      made++;
      const rows = rowsOf(quick!.nodes, quick!.lines);
      expect(rows, JSON.stringify(t)).toEqual(fullInvertedRows(p, t));
      compared += rows.length;
    }
    expect(made).toBeGreaterThan(20);
    expect(compared).toBeGreaterThan(300);
  });

  it.each(fractional)('is not made on weights that are not whole numbers: %s', async (name) => {
    const p = await open(join(fixturesDir, name));
    expect(quickInvertedTree(p, { kind: 'hide-library' })).toBeNull();
  });
});

/** The rows of the inverted call tree the page makes from the worker's whole rewrite, lines included. */
function fullInvertedRows(p: Profile, t: Transform): string[] {
  const transformed = applyTransform(p, t);
  const { tree, nodeOf } = functionTree(transformed);
  const inverted = new InvertedTree(tree);
  const index = nodeOf && new NodeLines(transformed.tree, nodeOf, transformed.frames, tree.count);
  return rowsOf(inverted, (v) => {
    if (!index) return null;
    const lines = index.ofInverted(inverted.leaves(v), inverted.depth(v));
    return index.anySaysLine(lines) ? lines : null;
  });
}
