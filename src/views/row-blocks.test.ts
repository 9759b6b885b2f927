import { describe, expect, it } from 'vitest';
import { RowBlocks, type RowBlock } from './row-blocks';

const SIZE = 8;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

/** Each drawn row's block and its place within it. */
function layout(rows: readonly number[], blocks: RowBlock[]) {
  const of = new Map<number, { id: number; top: number }>();
  for (const b of blocks) for (const at of b.places) of.set(rows[at], { id: b.id, top: at - b.base });
  return of;
}

describe('RowBlocks', () => {
  it('puts every drawn row in one block, blocks in the order of their places, none over the size when made', () => {
    const rows = range(100, 200);
    const places = [...range(0, 30), ...range(50, 61)];
    const blocks = new RowBlocks(SIZE).arrange(rows, places);
    expect(blocks.flatMap((b) => b.places)).toEqual(places);
    for (const b of blocks) expect(b.places.length).toBeLessThanOrEqual(SIZE);
    // A gap in the drawn rows begins a block.
    expect(blocks.some((b) => b.places[0] === 50)).toBe(true);
  });

  it('moves the blocks below an opened row, not their rows, and draws again fewer rows than a block', () => {
    const made = new RowBlocks(SIZE);
    let rows = range(0, 60);
    let was = layout(rows, made.arrange(rows, range(0, 60)));
    for (const opened of [0, 5, 17, 23, 40]) {
      const children = range(1000 + opened * 10, 1000 + opened * 10 + 4);
      rows = [...rows.slice(0, rows.indexOf(opened) + 1), ...children, ...rows.slice(rows.indexOf(opened) + 1)];
      const blocks = made.arrange(rows, range(0, rows.length));
      expect(blocks.flatMap((b) => b.places)).toEqual(range(0, rows.length));
      const now = layout(rows, blocks);
      // Rows kept in their block at their place in it: neither made again nor moved alone.
      let touched = 0;
      for (const [row, place] of was) {
        const after = now.get(row)!;
        if (after.id !== place.id || after.top !== place.top) touched++;
      }
      expect(touched).toBeLessThan(SIZE);
      was = now;
    }
  });

  it('moves the blocks below a closed row up, its rows in place, and drops the rows closed away', () => {
    const made = new RowBlocks(SIZE);
    const rows = range(0, 50);
    const was = layout(rows, made.arrange(rows, range(0, 50)));
    const closed = [...rows.slice(0, 11), ...rows.slice(20)];
    const blocks = made.arrange(closed, range(0, closed.length));
    const now = layout(closed, blocks);
    expect(now.size).toBe(closed.length);
    let moved = 0;
    for (const row of closed) if (now.get(row)!.top !== was.get(row)!.top) moved++;
    expect(moved).toBeLessThan(SIZE);
    for (const row of rows.slice(24)) expect(now.get(row)!.id).toBe(was.get(row)!.id);
  });

  it('keeps the blocks apart and in the order of their rows through random scrolls, opens and closes', () => {
    let seed = 7;
    const pick = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const made = new RowBlocks(SIZE);
    let rows = range(0, 300);
    let next = 300;
    for (let step = 0; step < 500; step++) {
      const kind = pick(3);
      if (kind === 0) {
        const at = pick(rows.length);
        rows = [...rows.slice(0, at + 1), ...range(next, next + 1 + pick(12)), ...rows.slice(at + 1)];
        next += 13;
      } else if (kind === 1 && rows.length > 40) {
        const at = pick(rows.length - 20);
        rows = [...rows.slice(0, at + 1), ...rows.slice(at + 1 + pick(15))];
      }
      const first = pick(rows.length - 30);
      const places = [...new Set([...range(first, first + 30), pick(rows.length), pick(rows.length)])].sort(
        (a, b) => a - b,
      );
      const blocks = made.arrange(rows, places);
      expect(blocks.flatMap((b) => b.places)).toEqual(places);
      expect(new Set(blocks.map((b) => b.id)).size).toBe(blocks.length);
    }
  });
});
