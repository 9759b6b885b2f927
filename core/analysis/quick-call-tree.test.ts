import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openProfile } from '~/core/formats/open-profile';
import type { Profile } from '~/core/model/profile';
import { fixturesDir, readBytes } from '~/test/fixtures';
import { functionTree } from './function-tree';
import { NodeLines, type Lines } from './node-lines';
import { quickCallTree } from './quick-call-tree';
import { START } from './transforms/lazy-rewrite';
import { topDown, type TreeNodes } from './tree-nodes';
import { applyTransform, type Transform } from './transforms/transforms';
import { sampled, transformsFor } from '~/test/quick-transforms';

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
function fullRows(p: Profile, t: Transform): string[] {
  const transformed = applyTransform(p, t);
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
        compared += rows.length;
      }
    expect(compared).toBeGreaterThan(100);
  });

  it('is not made where the whole rewrite alone gives the rows: any recursion, pstats times', async () => {
    const p = await open(join(fixturesDir, 'tachyon/recursive-py315-tachyon.collapsed'));
    const frame = p.tree.frame[1];
    expect(quickCallTree(p, { kind: 'collapse-recursion', frame })).toBeNull();
    expect(quickCallTree(p, { kind: 'focus-subtree', path: [] })).toBeNull();
    const stats = await open(join(fixturesDir, 'pstats/out/merged-py311-cprofile.prof'));
    expect(quickCallTree(stats, { kind: 'hide-library' })).toBeNull();
  });
});
