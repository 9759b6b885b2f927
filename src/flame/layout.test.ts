import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallTree } from '~/core/model/profile';
import { openProfile } from '~/core/formats/open-profile';
import { firstMatch, framePath, nodeAt, nodeOfFramePath, nodeStart, nodeStarts, searchTree } from './layout';
import { fixturesDir, readBytes } from '~/test/fixtures';

/** Each node's start by its definition: after its parent's start (0 for roots) and the earlier siblings' totals, added in order. */
function startsByParent(tree: CallTree): number[] {
  const start: number[] = [],
    next = new Map<number, number>();
  for (let i = 0; i < tree.count; i++) {
    const p = tree.parent[i];
    start[i] = next.get(p) ?? (p < 0 ? 0 : start[p]);
    next.set(p, start[i] + tree.total[i]);
  }
  return start;
}

describe('where flame graph boxes start', () => {
  for (const file of [
    'pstats/out/seeds-py312-cprofile.prof',
    'folded/sampler-py311.folded',
    'pyflame/cpu-py27-default.samp',
  ]) {
    it(`by parent and earlier siblings: ${file}`, async () => {
      const { tree } = await openProfile(
        new Blob([readBytes(join(fixturesDir, file)) as Uint8Array<ArrayBuffer>]),
        file,
      );
      expect(tree.count).toBeGreaterThan(10);
      const starts = nodeStarts(tree);
      expect(Array.from(starts)).toEqual(startsByParent(tree));
      for (let n = 0; n < tree.count; n++) {
        expect(nodeStart(tree, n)).toBe(starts[n]);
        // Found again at its middle, descending from the roots.
        if (tree.total[n] > 0) expect(nodeAt(tree, starts[n] + tree.total[n] / 2, tree.depth[n])).toBe(n);
      }
      expect(nodeAt(tree, -1, 0)).toBe(-1);
    });
  }
});

describe('a node named by its frames from the root, as an address keeps a zoom', () => {
  for (const file of ['pstats/out/seeds-py312-cprofile.prof', 'folded/sampler-py311.folded']) {
    it(`leads back to the same node, and to none for a path the tree lacks: ${file}`, async () => {
      const { tree } = await openProfile(
        new Blob([readBytes(join(fixturesDir, file)) as Uint8Array<ArrayBuffer>]),
        file,
      );
      for (let n = 0; n < tree.count; n++) {
        const path = framePath(tree, n);
        expect(path).toHaveLength(tree.depth[n] + 1);
        expect(framePath(tree, nodeOfFramePath(tree, path))).toEqual(path);
        expect(nodeOfFramePath(tree, path)).toBeLessThanOrEqual(n);
      }
      expect(nodeOfFramePath(tree, [])).toBe(-1);
      expect(nodeOfFramePath(tree, [...framePath(tree, tree.count - 1), 1e9])).toBe(-1);
    });
  }

  it('shows first the shallowest match, the widest of those', async () => {
    const file = 'folded/sampler-py311.folded';
    const profile = await openProfile(new Blob([readBytes(join(fixturesDir, file)) as Uint8Array<ArrayBuffer>]), file);
    const { tree } = profile;
    for (const frame of [tree.frame[tree.count - 1], tree.frame[Math.floor(tree.count / 2)]]) {
      const marks = new Uint8Array(profile.frames.count);
      marks[frame] = 1;
      const { matched } = searchTree(tree, marks);
      const first = firstMatch(tree, matched);
      expect(tree.frame[first]).toBe(frame);
      for (let n = 0; n < tree.count; n++)
        if (tree.frame[n] === frame) {
          expect(tree.depth[n]).toBeGreaterThanOrEqual(tree.depth[first]);
          if (tree.depth[n] === tree.depth[first]) expect(tree.total[n]).toBeLessThanOrEqual(tree.total[first]);
        }
    }
    expect(firstMatch(tree, new Uint8Array(tree.count))).toBe(-1);
  });
});
