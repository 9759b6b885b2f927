import { describe, expect, it } from 'vitest';
import { CallTreeBuilder } from '../workers/builders';
import { StackBatch, sortedStacks } from '../workers/stack-batch';

/** Stacks over a few frames, deep and shallow, many sharing a start, some equal, some a prefix of others. */
function stacks(count: number, seed: number, fractions: boolean): { frames: number[]; weight: number }[] {
  let x = seed;
  const next = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  const out: { frames: number[]; weight: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (out.length && next(4) === 0) {
      const like = out[next(out.length)];
      out.push({ frames: like.frames.slice(0, 1 + next(like.frames.length)), weight: 1 + next(3) / (fractions ? 4 : 1) });
      continue;
    }
    const frames = Array.from({ length: 1 + next(12) }, (_, d) => (d < 3 ? next(3) : next(40)));
    out.push({ frames, weight: fractions && next(5) === 0 ? 0.1 * (1 + next(7)) : 1 + next(9) });
  }
  return out;
}

describe('stacks merged in one batch', () => {
  for (const [keepAtMost, fractions] of [[1 << 24, false], [1 << 24, true], [200, true]] as const) {
    const how = `${fractions ? 'weights with fractions, summed in the same order' : 'whole weights'}${keepAtMost < 1000 ? ', past the number kept' : ''}`;
    it(`make the tree, node for node, that merging them one by one makes: ${how}`, () => {
      for (const seed of [1, 2, 3]) {
        const input = stacks(600, seed, fractions);
        const one = new CallTreeBuilder(), batch = new StackBatch(keepAtMost);
        const leaves = input.map(({ frames, weight }) => one.add(frames, frames.length, weight));
        const ids = input.map(({ frames, weight }) => batch.add(frames, frames.length, weight));
        const expected = one.build(), got = batch.build();
        expect(got.tree).toEqual(expected.tree);
        expect(ids.map((id) => got.order[id])).toEqual(leaves.map((leaf) => expected.order[leaf]));
        expect(got.tree.count).toBeGreaterThan(100);
      }
    });
  }

  for (const keepAtMost of [1 << 24, 200]) {
    it(`take stacks in batches as they take them one by one${keepAtMost < 1000 ? ', past the number kept' : ''}`, () => {
      const input = stacks(600, 4, false);
      const one = new StackBatch(keepAtMost), batched = new StackBatch(keepAtMost);
      for (const { frames, weight } of input) one.add(frames, frames.length, weight);
      for (let from = 0; from < input.length; from += 70) {
        const batch = input.slice(from, from + 70);
        batched.addAll(
          Int32Array.from(batch.flatMap((s) => s.frames)),
          Int32Array.from(batch, (s) => s.frames.length),
          Float64Array.from(batch, (s) => s.weight),
        );
      }
      const expected = one.build();
      expect(batched.build()).toEqual(expected);
      expect(expected.tree.count).toBeGreaterThan(100);
    });
  }

  it('are sorted by their frames, a prefix first, equal ones in the order they came', () => {
    for (const seed of [5, 6, 7]) {
      const input = stacks(3000, seed, false).map((s) => s.frames);
      const frames = Int32Array.from(input.flat());
      const starts = new Int32Array(input.length);
      for (let s = 1; s < input.length; s++) starts[s] = starts[s - 1] + input[s - 1].length;
      const expected = [...input.keys()].sort((a, b) => {
        const x = input[a], y = input[b];
        for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
        return x.length - y.length || a - b;
      });
      expect(Array.from(sortedStacks(frames, starts, frames.length))).toEqual(expected);
    }
  });

  it('has no leaf for an empty stack', () => {
    const batch = new StackBatch();
    expect(batch.add([], 0, 1)).toBe(-1);
    expect(batch.build().tree.count).toBe(0);
  });
});
