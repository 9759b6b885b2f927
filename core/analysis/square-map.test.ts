import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfile } from '../formats/open-profile';
import type { CallTree } from '../model/profile';
import { stringAt } from '../model/string-pack';
import { placeOfFile, placeTree } from './code-places';
import { sampledStats } from './sampled-stats';
import { layoutSquareMap, rectAt, REST, type SquareMap, type WeightedTree } from './square-map';
import { fixturesDir } from '~/test/fixtures';

/** A preorder tree from `[depth, self]` pairs; totals summed bottom-up. */
function treeOf(nodes: [number, number][]): WeightedTree {
  const count = nodes.length;
  const size = new Int32Array(count).fill(1);
  const self = Float64Array.from(nodes, ([, s]) => s);
  const total = Float64Array.from(self);
  const open: number[] = [];
  for (let i = 0; i < count; i++) {
    open.length = nodes[i][0];
    open.push(i);
  }
  for (let i = count - 1; i >= 0; i--) {
    let p = i - 1;
    while (p >= 0 && nodes[p][0] >= nodes[i][0]) p--;
    if (p >= 0 && nodes[i][0] > 0) {
      size[p] += size[i];
      total[p] += total[i];
    }
  }
  return { count, size, self, total };
}

const rectOf = (m: SquareMap, i: number) => [m.x[i], m.y[i], m.w[i], m.h[i]].map((v) => Math.round(v * 1000) / 1000);

describe('square map layout by hand', () => {
  it('puts self in a strip on top and squarifies the children below it', () => {
    // Root: self 6, children of 12 and 6; 6 × 4 pixels, so one unit of weight is one square pixel.
    const m = layoutSquareMap(
      treeOf([
        [0, 6],
        [1, 12],
        [1, 6],
      ]),
      0,
      6,
      4,
    );
    expect(m.scale).toBe(1);
    expect(m.count).toBe(3);
    expect([...m.node]).toEqual([0, 1, 2]);
    expect(rectOf(m, 0)).toEqual([0, 0, 6, 4]);
    expect(m.selfHeight[0]).toBe(1);
    // Below the strip 6 × 3 is left: the heavier child takes a column of 12 / 3 = 4, the other the rest.
    expect(rectOf(m, 1)).toEqual([0, 1, 4, 3]);
    expect(rectOf(m, 2)).toEqual([4, 1, 2, 3]);
    expect(m.selfHeight[1]).toBe(3);
    expect([...m.parent]).toEqual([-1, 0, 0]);
    expect([...m.size]).toEqual([3, 1, 1]);
    expect(m.hidden).toBe(0);
  });

  it('lays out the squarified paper’s example as the paper draws it', () => {
    // Bruls, Huizing and van Wijk's figure: weights 6 6 4 3 2 2 1 in a 6 × 4 rectangle.
    const tree = treeOf([6, 6, 4, 3, 2, 2, 1].map((w) => [0, w]));
    const m = layoutSquareMap(tree, -1, 6, 4, 0.5);
    expect([...m.node]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from({ length: 7 }, (_, i) => rectOf(m, i))).toEqual([
      [0, 0, 3, 2],
      [0, 2, 3, 2],
      [3, 0, 1.714, 2.333],
      [4.714, 0, 1.286, 2.333],
      [3, 2.333, 1.2, 1.667],
      [4.2, 2.333, 1.2, 1.667],
      [5.4, 2.333, 0.6, 1.667],
    ]);
  });

  it('leaves rectangles under the smallest side out, and says how much weight they hold', () => {
    // The same example with a side of one pixel at least: the last (0.6 wide) is not drawn.
    const tree = treeOf([6, 6, 4, 3, 2, 2, 1].map((w) => [0, w]));
    const m = layoutSquareMap(tree, -1, 6, 4, 1);
    expect([...m.node]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(m.hidden).toBe(1);
    // Below a strip of 1.5: a child of 1 is 2 × 0.5, too low to draw; the two of 0.5 are under a
    // square pixel each, so they are one REST rectangle of 2 × 0.5.
    const small = treeOf([
      [0, 6],
      [1, 1],
      [1, 0.5],
      [1, 0.5],
    ]);
    const r = layoutSquareMap(small, 0, 4, 2, 1, 0);
    expect([...r.node]).toEqual([0, REST]);
    expect(r.selfHeight[0]).toBe(1.5);
    expect(rectOf(r, 1)).toEqual([2, 1.5, 2, 0.5]);
    expect(r.restWeight[1]).toBe(1);
    expect(r.hidden).toBe(2);
  });

  it('draws a rectangle too small to show what it holds without it', () => {
    const tree = treeOf([
      [0, 6],
      [1, 0],
      [2, 4],
      [2, 2],
      [1, 12],
    ]);
    // Below the root's strip (6 × 3): the node of 12 takes 4 × 3, the one of 6 is 2 × 3, and in
    // it its children are 2 × 2 and 2 × 1.
    const open = layoutSquareMap(tree, 0, 6, 4, 1, 2);
    expect([...open.node]).toEqual([0, 4, 1, 2, 3]);
    expect(Array.from({ length: 5 }, (_, i) => rectOf(open, i))).toEqual([
      [0, 0, 6, 4],
      [0, 1, 4, 3],
      [4, 1, 2, 3],
      [4, 1, 2, 2],
      [4, 3, 2, 1],
    ]);
    const closed = layoutSquareMap(tree, 0, 6, 4, 1, 2.5);
    expect([...closed.node]).toEqual([0, 4, 1]);
    expect(closed.hidden).toBe(6);
  });

  it('finds the innermost rectangle at a point', () => {
    const m = layoutSquareMap(
      treeOf([
        [0, 6],
        [1, 12],
        [1, 6],
      ]),
      0,
      6,
      4,
    );
    expect(rectAt(m, 3, 0.5)).toBe(0);
    expect(rectAt(m, 1, 2)).toBe(1);
    expect(rectAt(m, 5, 3.9)).toBe(2);
    expect(rectAt(m, 6, 2)).toBe(-1);
  });

  it('lays out a stack of any depth', () => {
    const depth = 50_000;
    const tree = treeOf(Array.from({ length: depth }, (_, d) => [d, d === depth - 1 ? 1 : 0]));
    const m = layoutSquareMap(tree, -1, 100, 100);
    expect(m.count).toBe(depth);
    expect(m.depth[depth - 1]).toBe(depth - 1);
    expect(rectOf(m, depth - 1)).toEqual([0, 0, 100, 100]);
  });
});

/** Every laid-out rectangle against its node and its parent rectangle; returns the problems found. */
function violations(
  tree: WeightedTree & { parent: Int32Array },
  m: SquareMap,
  width: number,
  height: number,
  minSide: number,
): string[] {
  const out: string[] = [];
  const eps = 1e-6 * Math.max(width, height);
  let topArea = 0;
  for (let i = 0; i < m.count; i++) {
    const area = m.w[i] * m.h[i];
    const p = m.parent[i];
    if (p < 0) topArea += area;
    if (m.node[i] === REST) {
      if (Math.abs(area - m.restWeight[i] * m.scale) > eps * (1 + area)) out.push(`rest ${i}: area ${area}`);
    } else {
      const want = tree.total[m.node[i]] * m.scale;
      if (Math.abs(area - want) > 1e-6 * (1 + want)) out.push(`rect ${i}: area ${area}, weight × scale ${want}`);
      if (m.w[i] < minSide || m.h[i] < minSide) out.push(`rect ${i} is under a pixel`);
      if (p >= 0 && tree.parent[m.node[i]] !== m.node[p]) out.push(`rect ${i} is not in its node's parent's`);
    }
    const [x, y, w, h] = p < 0 ? [0, 0, width, height] : [m.x[p], m.y[p] + m.selfHeight[p], m.w[p], m.h[p]];
    if (m.x[i] < x - eps || m.y[i] < y - eps || m.x[i] + m.w[i] > x + w + eps || m.y[i] + m.h[i] > y + h + eps)
      out.push(`rect ${i} is outside its parent ${p}`);
    if (m.depth[i] !== (p < 0 ? 0 : m.depth[p] + 1)) out.push(`rect ${i} depth ${m.depth[i]}`);
  }
  // Siblings do not overlap: at each rectangle, those directly inside it pairwise.
  const inside = new Map<number, number[]>();
  for (let i = 0; i < m.count; i++) inside.set(m.parent[i], [...(inside.get(m.parent[i]) ?? []), i]);
  for (const kids of inside.values()) {
    for (let a = 0; a < Math.min(kids.length, 200); a++)
      for (let b = a + 1; b < Math.min(kids.length, 200); b++) {
        const [i, j] = [kids[a], kids[b]];
        const ox = Math.min(m.x[i] + m.w[i], m.x[j] + m.w[j]) - Math.max(m.x[i], m.x[j]);
        const oy = Math.min(m.y[i] + m.h[i], m.y[j] + m.h[j]) - Math.max(m.y[i], m.y[j]);
        if (ox > eps && oy > eps) out.push(`rects ${i} and ${j} overlap`);
      }
  }
  // With nothing hidden, the outermost rectangles tile the whole map.
  if (m.hidden === 0 && m.total > 0 && Math.abs(topArea - width * height) > 1e-6 * width * height)
    out.push(`top rectangles cover ${topArea} of ${width * height}`);
  return out;
}

const fixtures = [
  'pyflame/cpu-py36-flamechart-large.samp',
  'pstats/out/recursion-py312-cprofile.prof',
  'tachyon/web-py315-tachyon.bin',
  'pyinstrument/web-py314-pyinstrument.pyisession',
  'austin/threads-py37-austin-full.txt',
];
const open = (relative: string) =>
  openProfile(new Blob([readFileSync(join(fixturesDir, relative))]), basename(relative));

/** Nodes of weight in the subtree of `root` (all for -1): what a map with no smallest side lays out. */
function weighed(tree: WeightedTree, root: number): number {
  let n = 0;
  const [from, to] = root < 0 ? [0, tree.count] : [root, root + tree.size[root]];
  for (let i = from; i < to; i++) if (tree.total[i] > 0) n++;
  return n;
}

describe.each(fixtures)('square map of %s', (relative) => {
  it('gives every node an area in proportion to its total, inside its parent', async () => {
    const p = await open(relative);
    const tree: CallTree = p.tree;
    expect(tree.count).toBeGreaterThan(10);
    for (const [width, height] of [
      [1200, 700],
      [333, 97],
    ]) {
      const all = layoutSquareMap(tree, -1, width, height, 0);
      expect(violations(tree, all, width, height, 0)).toEqual([]);
      expect(all.count).toBe(weighed(tree, -1));
      expect(all.hidden).toBe(0);
      const drawn = layoutSquareMap(tree, -1, width, height);
      expect(violations(tree, drawn, width, height, 1)).toEqual([]);
      expect(drawn.hidden).toBeLessThanOrEqual(drawn.total);
      expect(drawn.count).toBeLessThanOrEqual(all.count);
    }
    // Zoomed into the heaviest node below the first root that has children.
    let node = 0;
    while (node + 1 < tree.count && tree.size[node] > 1 && tree.parent[node + 1] === node && node < 3) node++;
    const zoomed = layoutSquareMap(tree, node, 640, 480, 0);
    expect(zoomed.total).toBe(tree.total[node]);
    expect(zoomed.node[0]).toBe(node);
    expect(violations(tree, zoomed, 640, 480, 0)).toEqual([]);
    expect(zoomed.count).toBe(weighed(tree, node));
  });

  it('maps where code lives by self time: the groups add up to every function', async () => {
    const p = await open(relative);
    const stats = sampledStats(p);
    const places = placeTree(stats, (r) => placeOfFile(stringAt(p.strings, p.frames.file[stats.frame[r]])));
    let selfSum = 0;
    for (let r = 0; r < stats.count; r++) selfSum += stats.self[r];
    let rootSum = 0;
    for (let i = 0; i < places.count; i += places.size[i]) rootSum += places.total[i];
    expect(rootSum).toBeCloseTo(selfSum, 6);
    for (let i = 0; i < places.count; i++) {
      let kids = 0;
      for (let c = i + 1; c < i + places.size[i]; c += places.size[c]) kids += places.total[c];
      if (places.frame[i] < 0) expect(kids).toBeCloseTo(places.total[i], 6);
      else expect(places.size[i]).toBe(1);
    }
    const m = layoutSquareMap(places, -1, 900, 600, 0);
    expect(violations(places, m, 900, 600, 0)).toEqual([]);
  });
});

describe('places of files', () => {
  it('names the package, the module and the file', () => {
    expect(placeOfFile('/usr/lib/python3.12/json/encoder.py')).toEqual([
      'json',
      'json.encoder',
      '/usr/lib/python3.12/json/encoder.py',
    ]);
    expect(placeOfFile('/srv/venv/lib/python3.11/site-packages/requests/__init__.py')).toEqual([
      'requests',
      'requests',
      '/srv/venv/lib/python3.11/site-packages/requests/__init__.py',
    ]);
    expect(placeOfFile('json/encoder.py')).toEqual(['json', 'json.encoder', 'json/encoder.py']);
    expect(placeOfFile('/home/dev/shop/workloads.py')).toEqual([
      '/home/dev/shop',
      'workloads',
      '/home/dev/shop/workloads.py',
    ]);
    expect(placeOfFile('<frozen importlib._bootstrap>')).toEqual(['importlib', 'importlib._bootstrap']);
    expect(placeOfFile('~')).toEqual([]);
    expect(placeOfFile('<string>')).toEqual([]);
  });

  it('puts each function under its groups once, a group named as its parent not made again', () => {
    const t = placeTree({ count: 3, frame: Int32Array.of(7, 8, 9), self: Float64Array.of(1, 2, 4) }, (r) =>
      r === 2 ? ['b'] : ['a', 'a', 'f'],
    );
    // Heaviest first: b (4) holding frame 9, then a (3) › f (3) holding frames 8 and 7.
    expect(t.name).toEqual(['b', '', 'a', 'f', '', '']);
    expect([...t.frame]).toEqual([-1, 9, -1, -1, 8, 7]);
    expect([...t.total]).toEqual([4, 4, 3, 3, 2, 1]);
    expect([...t.self]).toEqual([0, 4, 0, 0, 2, 1]);
    expect([...t.size]).toEqual([2, 1, 4, 3, 1, 1]);
    expect([...t.depth]).toEqual([0, 1, 0, 1, 2, 2]);
  });
});

describe('a tree of a million nodes', () => {
  it('is laid out in proportion to what is visible, not to its size', () => {
    // Ten levels of four children (about 1.4 million nodes), weights falling with the child's rank.
    const nodes: [number, number][] = [];
    const stack: number[] = [0];
    while (stack.length) {
      const d = stack.pop()!;
      nodes.push([d, d === 10 ? 1 : 0.2]);
      if (d < 10) for (let k = 0; k < 4; k++) stack.push(d + 1);
    }
    const tree = treeOf(nodes);
    expect(tree.count).toBeGreaterThan(1_000_000);
    const started = performance.now();
    const m = layoutSquareMap(tree, -1, 1600, 1000, 1, 4);
    const ms = performance.now() - started;
    expect(m.count).toBeLessThan(tree.count / 10);
    expect(m.hidden).toBeGreaterThan(0);
    expect(ms).toBeLessThan(5000);
  });
});
