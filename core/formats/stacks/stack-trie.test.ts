import { describe, expect, it } from 'vitest';
import { CallTreeBuilder } from '~/core/model/builders';
import { StackTrie } from './stack-trie';

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
      out.push({
        frames: like.frames.slice(0, 1 + next(like.frames.length)),
        weight: 1 + next(3) / (fractions ? 4 : 1),
      });
      continue;
    }
    const frames = Array.from({ length: 1 + next(12) }, (_, d) => (d < 3 ? next(3) : next(40)));
    out.push({ frames, weight: fractions && next(5) === 0 ? 0.1 * (1 + next(7)) : 1 + next(9) });
  }
  return out;
}

describe('stacks merged in a trie of paths', () => {
  for (const fractions of [false, true]) {
    it(`make the tree, node for node, that merging them one by one makes: ${fractions ? 'weights with fractions, summed in the same order' : 'whole weights'}`, () => {
      for (const seed of [1, 2, 3]) {
        const input = stacks(600, seed, fractions);
        const one = new CallTreeBuilder(),
          trie = new StackTrie();
        const leaves = input.map(({ frames, weight }) => one.add(frames, frames.length, weight));
        const ids = input.map(({ frames, weight }) => trie.add(frames, frames.length, weight));
        const expected = one.build(),
          got = trie.build();
        expect(got.tree).toEqual(expected.tree);
        expect(ids.map((id) => got.order[id])).toEqual(leaves.map((leaf) => expected.order[leaf]));
        expect(got.tree.count).toBeGreaterThan(100);
      }
    });
  }

  it('take stacks in batches as they take them one by one', () => {
    const input = stacks(600, 4, false);
    const one = new StackTrie(),
      batched = new StackTrie();
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

  it('order hundreds of siblings as the one-by-one builder does, equal and fractional weights among them', () => {
    const one = new CallTreeBuilder(),
      trie = new StackTrie();
    for (let i = 0; i < 3000; i++) {
      const frames = [1, 2 + ((i * 7919) % 400), 500 + (i % 3)];
      const weight = i % 5 === 0 ? 0.1 * (1 + (i % 7)) : 1 + (i % 4);
      one.add(frames, frames.length, weight);
      trie.add(frames, frames.length, weight);
    }
    const expected = one.build(),
      got = trie.build();
    expect(got.tree.parent.filter((p) => p === 0).length).toBe(400);
    expect(got.tree).toEqual(expected.tree);
  });

  it('part a path where a stack leaves it, and end one where a stack ends inside it', () => {
    const trie = new StackTrie();
    const ids = [
      trie.add([1, 2, 3, 4, 5], 5, 1),
      trie.add([1, 2, 3, 9], 4, 2),
      trie.add([1, 2], 2, 4),
      trie.add([1, 2, 3, 4, 5], 5, 8),
    ];
    const { tree, order } = trie.build();
    expect(Array.from(tree.frame)).toEqual([1, 2, 3, 4, 5, 9]);
    expect(Array.from(tree.parent)).toEqual([-1, 0, 1, 2, 3, 2]);
    expect(Array.from(tree.depth)).toEqual([0, 1, 2, 3, 4, 3]);
    expect(Array.from(tree.size)).toEqual([6, 5, 4, 2, 1, 1]);
    expect(Array.from(tree.self)).toEqual([0, 4, 0, 0, 9, 2]);
    expect(Array.from(tree.total)).toEqual([15, 15, 11, 9, 9, 2]);
    expect(ids.map((id) => order[id])).toEqual([4, 5, 1, 4]);
  });

  it('walk a stack of many thousand frames without recursion', () => {
    const deep = Array.from({ length: 50_000 }, (_, d) => d % 7);
    const trie = new StackTrie();
    trie.add(deep, deep.length, 1);
    trie.add(deep, 25_000, 1);
    const { tree } = trie.build();
    expect(tree.count).toBe(50_000);
    expect(tree.self[24_999]).toBe(1);
    expect(tree.total[0]).toBe(2);
    expect(tree.size[0]).toBe(50_000);
  });

  it('has no leaf for an empty stack', () => {
    const trie = new StackTrie();
    expect(trie.add([], 0, 1)).toBe(-1);
    expect(trie.build().tree.count).toBe(0);
  });
});
