import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallTree } from '~/core/model/profile';
import { openProfile } from '~/core/formats/open-profile';
import { nodeAt, nodeStart, nodeStarts } from './layout';
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
