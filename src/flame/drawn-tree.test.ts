import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfile } from '~/core/formats/open-profile';
import type { CallTree, Profile } from '~/core/model/profile';
import { stringAt } from '~/core/model/string-pack';
import { quickCallTree, stackedCallTree } from '~/core/analysis/quick-call-tree';
import { START } from '~/core/analysis/transforms/lazy-rewrite';
import { applyTransform, applyTransforms } from '~/core/analysis/transforms/transforms';
import { fixturesDir, readBytes } from '~/test/fixtures';
import { firstAndLastOfKinds, fractional, sampled, transformsFor } from '~/test/quick-transforms';
import { drawnTree, MIN_WIDTH_PX } from './drawn-tree';
import { treeTotal } from './layout';

const open = async (path: string) => openProfile(new Blob([readBytes(path).slice()]), path);

/**
 * The boxes the flame graph reaches unzoomed at `width` pixels, walked as its draw loop walks them
 * (starts added up per depth, a node under `MIN_WIDTH_PX` stepped over with its subtree): depth,
 * left and right edge, label. The narrow ones are the grey runs; `wide` counts those ≥ 1 px.
 */
function boxes(p: Profile, tree: CallTree, width: number): { boxes: string[]; wide: number } {
  const scale = width / treeTotal(tree);
  const next = [0];
  const out: string[] = [];
  let wide = 0;
  for (let i = 0; i < tree.count;) {
    const d = tree.depth[i],
      start = next[d];
    next[d] = start + tree.total[i];
    next[d + 1] = start;
    const left = start * scale,
      right = left + tree.total[i] * scale;
    out.push(`${d} ${left} ${right} ${stringAt(p.strings, p.frames.label[tree.frame[i]])}`);
    if (right - left >= 1) wide++;
    i += right - left < MIN_WIDTH_PX ? tree.size[i] : 1;
  }
  return { boxes: out, wide };
}

describe("the flame graph's first frames of a transform, drawn from the quick tree", () => {
  it.each(sampled)('are the boxes the whole result draws: %s', async (name) => {
    const p = await open(join(fixturesDir, name));
    let wide = 0;
    // Room for two nodes at first, as well as the room a first frame needs: every array grows and the table of ids is made again.
    for (const room of [START, 2])
      for (const t of transformsFor(p)) {
        const quick = quickCallTree(p, t, room)!;
        const full = applyTransform(p, t);
        for (const width of [1600, 400, 40]) {
          const drawn = drawnTree(quick.byLine, width, room);
          const fromQuick = boxes(quick.profile, drawn, width);
          const where = `${JSON.stringify(t)} at ${width} px, room ${room}`;
          expect(fromQuick.boxes, where).toEqual(boxes(full, full.tree, width).boxes);
          wide += fromQuick.wide;
        }
      }
    expect(wide).toBeGreaterThan(100);
  });

  it.each(fractional)(
    'on weights that are not whole numbers, are those boxes but for the last bits of their edges: %s',
    async (name) => {
      const p = await open(join(fixturesDir, name));
      let wide = 0;
      for (const t of transformsFor(p)) {
        const quick = quickCallTree(p, t)!;
        const full = applyTransform(p, t);
        for (const width of [1600, 400, 40]) {
          const fromQuick = boxes(quick.profile, drawnTree(quick.byLine, width), width).boxes;
          const fromFull = boxes(full, full.tree, width).boxes;
          const where = `${JSON.stringify(t)} at ${width} px`;
          expect(fromQuick.length, where).toBe(fromFull.length);
          for (let b = 0; b < fromFull.length; b++) {
            const [d, left, right, ...label] = fromFull[b].split(' ');
            const [qd, qLeft, qRight, ...qLabel] = fromQuick[b].split(' ');
            expect([qd, qLabel], `${where}, box ${b}`).toEqual([d, label]);
            // Sums in another order: a millionth of a pixel is far below what a canvas can show. A
            // transform that leaves no weight gives no scale (NaN edges) in both.
            const near = (a: string, b: string) =>
              a === b || Math.abs(Number(a) - Number(b)) < 1e-6 ? 'near' : `${a} against ${b}`;
            expect([near(qLeft, left), near(qRight, right)], `${where}, box ${b}`).toEqual(['near', 'near']);
            if (Number(right) - Number(left) >= 1) wide++;
          }
        }
      }
      expect(wide).toBeGreaterThan(50);
    },
  );

  it.each(sampled)(
    'stacked on a transform whose whole result has not come, are the boxes the whole result of both draws: %s',
    async (name) => {
      const p = await open(join(fixturesDir, name));
      const all = transformsFor(p);
      let wide = 0;
      for (const first of all)
        for (const t of firstAndLastOfKinds(all)) {
          const quick = stackedCallTree(quickCallTree(p, first)!, t);
          if (!quick) continue;
          const full = applyTransforms(p, [first, t]);
          for (const width of [1600, 40]) {
            const fromQuick = boxes(quick.profile, drawnTree(quick.byLine, width), width);
            expect(fromQuick.boxes, `${JSON.stringify([first, t])} at ${width} px`).toEqual(
              boxes(full, full.tree, width).boxes,
            );
            wide += fromQuick.wide;
          }
        }
      expect(wide).toBeGreaterThan(100);
    },
  );

  it('leaves out what is too narrow to draw: the quick tree is not the whole tree again', async () => {
    const p = await open(join(fixturesDir, 'tachyon/web-py315-tachyon.bin'));
    const quick = quickCallTree(p, { kind: 'hide-library' })!;
    const full = applyTransform(p, { kind: 'hide-library' });
    // The fixtures are small: at 40 px nodes under about 5 of its 946 samples are too narrow.
    expect(drawnTree(quick.byLine, 40).count).toBeLessThan(full.tree.count * 0.9);
  });
});
