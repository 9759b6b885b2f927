import { describe, expect, it } from 'vitest';
import { openProfile } from '~/core/formats/open-profile';
import { topDown, type TreeNodes } from '~/core/analysis/tree-nodes';
import { functionTree } from '~/core/analysis/function-tree';
import { leftTotal, quickCallTree } from '~/core/analysis/quick-call-tree';
import { sampled, transformsFor } from '~/test/quick-transforms';
import { join } from 'node:path';
import { fixturesDir, readBytes } from '~/test/fixtures';
import { stringAt } from '~/core/model/string-pack';
import type { Profile } from '~/core/model/profile';
import { applyTransform, dropFunction, hideLibrary, mergeFunction } from '~/core/analysis/transforms/transforms';
import {
  lineOfRow,
  lineRow,
  linesRow,
  nodeOfRow,
  openRowsIn,
  placesIn,
  parentRow,
  rowsToggled,
  visibleRows,
} from './call-tree-rows';

describe('call tree rows with lines', () => {
  it('tell a node, its lines and each line apart, and know the row above each', async () => {
    for (const node of [0, 1, 7, 123456])
      for (const line of [0, 1, 99]) {
        expect([nodeOfRow(lineRow(node, line)), lineOfRow(lineRow(node, line))]).toEqual([node, line]);
        expect([nodeOfRow(linesRow(node)), lineOfRow(linesRow(node))]).toEqual([node, -2]);
        expect([nodeOfRow(node), lineOfRow(node)]).toEqual([node, -1]);
        expect(linesRow(node)).toBeLessThan(-1);
      }
  });

  it('list an open node its lines row first, the lines once that opens, then its children', async () => {
    const p = await openProfile(new Blob(['a;b;c 1\na;d 2\n']), 't.folded');
    const nodes = topDown(p.tree);
    const order = { column: 'total', ascending: false } as const;
    const lines = (v: number) => (v === 0 ? 2 : 0);
    const label = () => '';
    expect(visibleRows(nodes, new Set([0]), order, label, undefined, lines)).toEqual([0, linesRow(0), 1, 2]);
    const all = visibleRows(nodes, new Set([0, linesRow(0)]), order, label, undefined, lines);
    expect(all).toEqual([0, linesRow(0), lineRow(0, 0), lineRow(0, 1), 1, 2]);
    expect(all.map((r) => parentRow(nodes, r))).toEqual([-1, 0, linesRow(0), linesRow(0), 0, 0]);
  });
});

describe('call tree rows ordered by their change from the baseline', () => {
  it('list the siblings of a real tree largest change first, at every level opened', async () => {
    const path = join(fixturesDir, 'austin/multi-py36-austin-children.txt');
    const p = await openProfile(new Blob([readBytes(path) as Uint8Array<ArrayBuffer>]), path);
    const nodes = topDown(p.tree);
    // A change unrelated to the tree's own order or to its reverse.
    const delta = (v: number) => (v * 7919) % 13;
    const all = new Set(Array.from({ length: p.tree.count }, (_, v) => v));
    const rows = visibleRows(
      nodes,
      all,
      { column: 'delta', ascending: false },
      () => '',
      undefined,
      undefined,
      -1,
      delta,
    );
    expect(new Set(rows)).toEqual(all);
    let compared = 0;
    for (let k = 1; k < rows.length; k++) {
      const b = rows[k];
      // A node after its sibling's whole subtree: the first row after a subtree whose parent is the same.
      for (let prev = k - 1; prev >= 0; prev--)
        if (nodes.parent(rows[prev]) === nodes.parent(b)) {
          expect(delta(rows[prev])).toBeGreaterThanOrEqual(delta(b));
          compared++;
          break;
        } else if (rows[prev] === nodes.parent(b)) break;
    }
    expect(compared).toBeGreaterThan(5);
  });
});

describe('call tree rows kept as rows open and close', () => {
  it('are the rows listed afresh, after every step of a long walk through a real tree', async () => {
    const path = join(fixturesDir, 'austin/multi-py36-austin-children.txt');
    const p = await openProfile(new Blob([readBytes(path) as Uint8Array<ArrayBuffer>]), path);
    const nodes = topDown(p.tree);
    const order = { column: 'self', ascending: true } as const;
    const label = () => '';
    const lines = (v: number) => v % 3;
    const open = new Set<number>();
    let rows = visibleRows(nodes, open, order, label, undefined, lines);
    let seed = 7;
    const pick = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    let opened = 0;
    for (let step = 0; step < 1500; step++) {
      const at = pick(rows.length);
      const row = rows[at];
      if (lineOfRow(row) >= 0 || (row >= 0 && !nodes.hasChildren(row) && !lines(row))) continue;
      // Mostly opening, so that the tree grows.
      if (open.has(row) && pick(10)) continue;
      const below = open.delete(row)
        ? null
        : (open.add(row), visibleRows(nodes, open, order, label, undefined, lines, row));
      if (below) opened++;
      rows = rowsToggled(nodes, rows, at, below);
      expect(rows).toEqual(visibleRows(nodes, open, order, label, undefined, lines));
    }
    expect(opened).toBeGreaterThan(50);
    expect(rows.length).toBeGreaterThan(50);
  });
});

/** A frame's label in `q`. */
const label = (q: Profile) => (f: number) => stringAt(q.strings, q.frames.label[f]);
/** A node's place: its labels from the root, joined by `;`. */
const path = (q: Profile, v: number) => {
  const names: string[] = [];
  for (; v >= 0; v = q.tree.parent[v]) names.unshift(label(q)(q.tree.frame[v]));
  return names.join(';');
};
/** The node of `q` at a place. */
const at = (q: Profile, text: string) => Array.from(q.tree.frame.keys()).find((v) => path(q, v) === text)!;

describe('open rows after a transform', () => {
  it('are the rows at the same places in the new tree, those whose place is gone left out', async () => {
    const p = await openProfile(new Blob(['a;b;c 3\na;b;d 1\na;e;f 5\ng;h 2\n']), 't.folded');
    const open = new Set([at(p, 'a'), at(p, 'a;b'), linesRow(at(p, 'a;b')), at(p, 'a;e'), at(p, 'g')]);
    // Dropping e: a, a;b and its lines' row, g stay open at their new places; a;e is gone.
    const e = p.tree.frame[at(p, 'a;e')];
    const q = dropFunction(p, e);
    const kept = openRowsIn(topDown(p.tree), open, topDown(q.tree), label(p), label(q));
    expect(new Set([...kept].map((r) => (r >= 0 ? path(q, r) : `lines of ${path(q, nodeOfRow(r))}`)))).toEqual(
      new Set(['a', 'a;b', 'lines of a;b', 'g']),
    );
    expect(kept.has(at(q, 'a;b'))).toBe(true);
    expect(at(q, 'a;b')).not.toBe(at(p, 'a;b'));
  });
});

describe('places after a transform', () => {
  it('pass over a merged function: rows under it stay open, and its own place is its caller', async () => {
    const p = await openProfile(new Blob(['a;b;c;d 3\na;b;e 1\na;f 5\n']), 't.folded');
    const q = mergeFunction(p, p.tree.frame[at(p, 'a;b')]);
    const open = new Set([at(p, 'a'), at(p, 'a;b'), at(p, 'a;b;c')]);
    const kept = openRowsIn(topDown(p.tree), open, topDown(q.tree), label(p), label(q));
    expect(new Set([...kept].map((r) => path(q, r)))).toEqual(new Set(['a', 'a;c']));
    const placeOf = placesIn(topDown(p.tree), topDown(q.tree), label(p), label(q));
    expect(placeOf(at(p, 'a;b'))).toEqual({ at: at(q, 'a'), kept: false, through: -1 });
    expect(placeOf(at(p, 'a;b;c;d'))).toEqual({ at: at(q, 'a;c;d'), kept: true, through: -1 });
    expect(placeOf(at(p, 'a;f'))).toEqual({ at: at(q, 'a;f'), kept: true, through: -1 });
  });

  it('find the rows below library code collapsed into one frame, and open that frame', async () => {
    const lib = '/usr/lib/python3.11/json/decoder.py';
    const p = await openProfile(
      new Blob([
        `app.py:main:1;${lib}:decode:2;${lib}:raw_decode:3;app.py:walk:4;app.py:leaf:5 4\napp.py:main:1;app.py:other:6 1\n`,
      ]),
      't.folded',
    );
    const q = applyTransform(p, { kind: 'collapse-library', library: 'stdlib' });
    const all = new Set(Array.from(p.tree.frame.keys()));
    const placeOf = placesIn(topDown(p.tree), topDown(q.tree), label(p), label(q));
    const walk = placeOf(at(p, `app.py:main:1;${lib}:decode:2;${lib}:raw_decode:3;app.py:walk:4`));
    expect(walk.kept).toBe(true);
    expect(label(q)(q.tree.frame[walk.at])).toBe('app.py:walk:4');
    expect(walk.through).toBe(q.tree.parent[walk.at]);
    expect(q.tree.parent[walk.through]).toBe(at(q, 'app.py:main:1'));
    const kept = openRowsIn(topDown(p.tree), all, topDown(q.tree), label(p), label(q));
    expect(new Set([...kept].map((r) => path(q, r)))).toEqual(
      new Set([
        'app.py:main:1',
        'app.py:main:1;app.py:other:6',
        path(q, walk.through),
        path(q, walk.at),
        `${path(q, walk.at)};app.py:leaf:5`,
      ]),
    );
  });

  it('keep rows open below library code the transform hid', async () => {
    const lib = '/usr/lib/python3.12/threading.py';
    const p = await openProfile(
      new Blob([`${lib}:_bootstrap:1;${lib}:_bootstrap_inner:2;${lib}:run:3;app.py:work:4;app.py:step:5 4\n`]),
      't.folded',
    );
    const q = hideLibrary(p);
    const all = new Set(Array.from(p.tree.frame.keys()));
    const kept = openRowsIn(topDown(p.tree), all, topDown(q.tree), label(p), label(q));
    expect(new Set([...kept].map((r) => path(q, r)))).toEqual(
      new Set([
        `${lib}:_bootstrap:1`,
        `${lib}:_bootstrap:1;app.py:work:4`,
        `${lib}:_bootstrap:1;app.py:work:4;app.py:step:5`,
      ]),
    );
  });
});

describe("open rows carried into a transform's quick tree", () => {
  /** A node's place: its labels from the root, joined by `;`. */
  const placeText = (nodes: TreeNodes, q: Profile, v: number) => {
    const names: string[] = [];
    for (; v >= 0; v = nodes.parent(v)) names.unshift(label(q)(nodes.frame(v)));
    return names.join(';');
  };
  it.each(sampled.slice(0, 3))('are the rows carried into the whole rewrite, with its numbers: %s', async (name) => {
    const p = await openProfile(new Blob([readBytes(join(fixturesDir, name)).slice()]), name);
    const before = topDown(functionTree(p).tree);
    // Every row of the first three levels open.
    const open = new Set<number>();
    const todo = [...before.children(-1)];
    while (todo.length) {
      const v = todo.pop()!;
      if (before.depth(v) >= 3) continue;
      open.add(v);
      todo.push(...before.children(v));
    }
    let carried = 0;
    for (const t of transformsFor(p)) {
      const quick = quickCallTree(p, t)!;
      const full = applyTransform(p, t);
      const fullNodes = topDown(functionTree(full).tree);
      const inQuick = openRowsIn(before, open, quick.nodes, label(p), label(quick.profile));
      const inFull = openRowsIn(before, open, fullNodes, label(p), label(full));
      const texts = (nodes: TreeNodes, q: Profile, rows: Set<number>) =>
        [...rows].map((v) => placeText(nodes, q, v)).sort();
      expect(texts(quick.nodes, quick.profile, inQuick), JSON.stringify(t)).toEqual(texts(fullNodes, full, inFull));
      const fullTotal = new Map([...inFull].map((v) => [placeText(fullNodes, full, v), fullNodes.total(v)]));
      for (const v of inQuick)
        expect(quick.nodes.total(v), JSON.stringify(t)).toBe(fullTotal.get(placeText(quick.nodes, quick.profile, v)));
      expect(leftTotal(quick), JSON.stringify(t)).toBe(full.samples);
      carried += inQuick.size;
    }
    expect(carried).toBeGreaterThan(100);
  });
});
