import { describe, expect, it } from 'vitest';
import { firstByNumber, orderByNumber } from './row-order';

/** The order a stable sort with a comparison function gives, NaN after every number. */
function byComparison(keys: number[], largestFirst: boolean): number[] {
  const ids = keys.map((_, i) => i);
  const nan = (k: number) => Number.isNaN(k);
  return ids.sort((a, b) => {
    if (nan(keys[a]) || nan(keys[b])) return Number(nan(keys[a])) - Number(nan(keys[b]));
    const d = largestFirst ? keys[b] - keys[a] : keys[a] - keys[b];
    return Number.isNaN(d) ? 0 : d;
  });
}

function keysOf(n: number, seed: number): number[] {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const special = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-300, -1e300, 0.1, 2 ** 53, 5e-324];
  return Array.from({ length: n }, () => {
    const r = next();
    if (r < 0.2) return special[Math.floor(next() * special.length)];
    if (r < 0.5) return Math.floor(next() * 20);
    return (next() - 0.3) * 10 ** Math.floor(next() * 12 - 6);
  });
}

describe('rows ordered by a number', () => {
  for (const n of [0, 1, 7, 1000, 5000, 70_000]) {
    it(`${n} rows, both ways, as a stable comparison sort`, () => {
      const keys = keysOf(n, n + 1);
      for (const largestFirst of [true, false])
        expect(orderByNumber(keys, largestFirst)).toEqual(byComparison(keys, largestFirst));
    });
  }

  it('keys that differ only in their lowest bits, many rows: in key order, ties in row order', () => {
    const n = 20_000;
    const keys = Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 50) * 2 ** -52);
    for (const largestFirst of [true, false])
      expect(orderByNumber(keys, largestFirst)).toEqual(byComparison(keys, largestFirst));
  });
});

describe('the first rows by a number, without ordering the rest', () => {
  for (const [n, k] of [
    [0, 5],
    [3, 0],
    [7, 10],
    [1000, 64],
    [70_000, 128],
  ]) {
    it(`${k} of ${n} rows, both ways, as the start of the whole order`, () => {
      const keys = keysOf(n, 3 * n + 7);
      for (const largestFirst of [true, false])
        expect(firstByNumber(keys, largestFirst, k)).toEqual(byComparison(keys, largestFirst).slice(0, k));
    });
  }

  it('keys rising or falling with the row, and all equal: the heap is worked hardest or not at all', () => {
    const n = 5000;
    for (const keys of [
      Array.from({ length: n }, (_, i) => i),
      Array.from({ length: n }, (_, i) => -i),
      new Array<number>(n).fill(2),
    ]) {
      for (const largestFirst of [true, false])
        expect(firstByNumber(keys, largestFirst, 100)).toEqual(byComparison(keys, largestFirst).slice(0, 100));
    }
  });
});
