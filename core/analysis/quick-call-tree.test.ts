import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openProfile } from '~/core/formats/open-profile';
import type { Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { fixturesDir, readBytes } from '~/test/fixtures';
import { functionTree } from './function-tree';
import { NodeLines, type Lines } from './node-lines';
import { quickCallTree } from './quick-call-tree';
import { topDown, type TreeNodes } from './tree-nodes';
import { applyTransform, type Transform } from './transforms/transforms';

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

/** Transforms of each kind the quick tree makes, on functions at a few depths of the heaviest path and the most frequent one. */
function transformsFor(p: Profile): Transform[] {
  const { tree } = p;
  const picked = new Set<number>();
  for (let i = 0, d = 0; i < tree.count && d < 4; i++, d++) picked.add(tree.frame[i]);
  const seen = new Map<number, number>();
  for (let i = 0; i < tree.count; i++) seen.set(tree.frame[i], (seen.get(tree.frame[i]) ?? 0) + 1);
  picked.add([...seen].sort((a, b) => b[1] - a[1])[0][0]);
  // The directory of the file of the heaviest path's deepest frame that names one.
  let dir = '';
  for (let i = 0; i < tree.count && tree.size[i] > 1; i++) {
    const file = stringAt(p.strings, p.frames.file[tree.frame[i]]);
    if (file.includes('/')) dir = file.slice(0, file.lastIndexOf('/'));
  }
  const out: Transform[] = [
    { kind: 'hide-library' },
    { kind: 'collapse-library', library: 'stdlib' },
    { kind: 'collapse-library', library: 'import' },
    { kind: 'collapse-library', library: 'site-packages' },
  ];
  if (dir) out.push({ kind: 'collapse-resource', path: dir });
  for (const frame of picked)
    out.push(
      { kind: 'merge-function', frame },
      { kind: 'drop-function', frame },
      { kind: 'collapse-direct-recursion', frame },
      { kind: 'focus-function', frame },
    );
  // Places on the heaviest path, and one a level below where the second child of the root's first child is.
  const path: number[] = [];
  for (let i = 0; i < tree.count && path.length < 4; i++) {
    path.push(tree.frame[i]);
    out.push({ kind: 'focus-subtree', path: [...path] });
  }
  const second = tree.size[0] > 1 ? 1 + tree.size[1] : -1;
  if (second > 0 && second < tree.size[0] && tree.parent[second] === 0)
    out.push({ kind: 'focus-subtree', path: [tree.frame[0], tree.frame[second]] });
  return out;
}

const sampled = [
  'pyspy/web-py311-pyspy-gil.raw',
  'pyspy/spawn-py311-pyspy-subprocesses.raw',
  'austin/threads-py37-austin-full.txt',
  'austin/multi-py37-austin-children.txt',
  'tachyon/recursive-py315-tachyon.collapsed',
  'tachyon/imports-py315-tachyon.bin',
  'tachyon/web-py315-tachyon.bin',
];

describe('the call tree of a transform, made as rows open', () => {
  it.each(sampled)('gives the rows of the whole rewrite, every row opened: %s', async (name) => {
    const p = await open(join(fixturesDir, name));
    let compared = 0;
    for (const t of transformsFor(p)) {
      const quick = quickCallTree(p, t);
      expect(quick, JSON.stringify(t)).not.toBeNull();
      const rows = rowsOf(quick!.nodes, quick!.lines);
      expect(rows, JSON.stringify(t)).toEqual(fullRows(p, t));
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
