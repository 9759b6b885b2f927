import { describe, expect, it } from 'vitest';
import { openProfile } from '~/core/formats/open-profile';
import { buildPreorder } from '~/core/model/builders';
import { NOWHERE, TreeWriter } from './rewrite-tree';

describe('the tree writer', () => {
  it('lays out from its child lists the tree its nodes grouped afresh by parent give', async () => {
    // Stacks of a seeded walk: wide levels (hashed siblings), deep ones, repeated stacks.
    let seed = 11;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const lines = Array.from({ length: 3000 }, () =>
      [Array.from({ length: 1 + next(12) }, (_, d) => `f${next(d < 2 ? 60 : 5)}`).join(';'), 1 + next(9)].join(' '),
    );
    const p = await openProfile(new Blob([lines.join('\n')]), 'walk.folded');
    const { tree } = p;
    // Few frames: nodes merge, and siblings pass the count where they are hashed.
    for (const frames of [3, 17, 40, p.frames.count]) {
      const out = new TreeWriter(16);
      const parent: number[] = [];
      const frame: number[] = [];
      const self: number[] = [];
      const to = new Int32Array(tree.count);
      for (let i = 0; i < tree.count; i++) {
        const up = tree.parent[i] < 0 ? NOWHERE : to[tree.parent[i]];
        const f = tree.frame[i] % frames;
        const c = out.step(up, f);
        if (c === parent.length) {
          parent.push(up);
          frame.push(f);
          self.push(0);
        }
        out.addSelf(c, tree.self[i]);
        self[c] += tree.self[i];
        to[i] = c;
      }
      const made = out.build();
      const grouped = buildPreorder(Int32Array.from(parent), Int32Array.from(frame), Float64Array.from(self));
      expect(made).toEqual(grouped);
      expect(made.tree.count).toBe(parent.length);
    }
    expect(tree.count).toBeGreaterThan(1000);
  });
});
