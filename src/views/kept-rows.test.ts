import { describe, expect, it } from 'vitest';
import { KeptRows } from './kept-rows';

const WINDOW = 37;
const KEEP = 2 * WINDOW;

/** Rows 0…n-1 in order. */
const listOf = (n: number) => Array.from({ length: n }, (_, k) => k);

describe('rows kept drawn outside the view', () => {
  it('are drawn again where they are after scrolling a screen and back, the view drawing nothing new', () => {
    const kept = new KeptRows();
    const rows = listOf(500);
    const a = kept.drawn(rows, 100, 100 + WINDOW, KEEP);
    expect(a).toEqual(listOf(WINDOW).map((k) => 100 + k));
    const b = kept.drawn(rows, 140, 140 + WINDOW, KEEP);
    // The first view is still there, below and above nothing else.
    expect(b).toEqual([...a, ...listOf(WINDOW).map((k) => 140 + k)]);
    // Back: the same rows, none made.
    expect(kept.drawn(rows, 99, 99 + WINDOW, KEEP)).toEqual([99, ...b]);
  });

  it('follow their rows when rows open or close above them, and drop those closed', () => {
    const kept = new KeptRows();
    let rows = listOf(300);
    kept.drawn(rows, 0, WINDOW, KEEP);
    kept.drawn(rows, 200, 200 + WINDOW, KEEP);
    // Row 5 opens onto three rows: every row below it moves down by three.
    rows = [...rows.slice(0, 6), 1000, 1001, 1002, ...rows.slice(6)];
    const opened = kept.drawn(rows, 203, 203 + WINDOW, KEEP);
    // The first view's rows at their new places, the new rows not drawn (out of view).
    expect(opened.map((at) => rows[at])).toEqual([...listOf(WINDOW), ...listOf(WINDOW).map((k) => 200 + k)]);
    // Rows 10…19 close: kept rows 10…19 are gone, and the rows below move up.
    rows = [...rows.slice(0, 13), ...rows.slice(23)];
    const closed = kept.drawn(rows, 0, WINDOW, KEEP).map((at) => rows[at]);
    expect(closed.filter((v) => v >= 10 && v < 20)).toEqual([]);
    expect(closed).toContain(200);
  });

  it('are, after every step of a long walk of opening, closing and scrolling, few, in order, and rows drawn before', () => {
    const kept = new KeptRows();
    let rows = listOf(400);
    let next = rows.length;
    let seed = 11;
    const pick = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    let top = 0;
    let before = new Set<number>();
    const wrong: number[] = [];
    let reused = 0;
    for (let step = 0; step < 3000; step++) {
      const kind = pick(4);
      if (kind === 0) {
        const at = pick(rows.length);
        const count = 1 + pick(20);
        rows = [...rows.slice(0, at + 1), ...listOf(count).map(() => next++), ...rows.slice(at + 1)];
      } else if (kind === 1 && rows.length > 60) {
        const at = pick(rows.length - 30);
        rows = [...rows.slice(0, at + 1), ...rows.slice(at + 1 + pick(30))];
      } else if (kind === 2) top = Math.max(0, Math.min(rows.length - WINDOW, top + (pick(2) ? 33 : -33)));
      else top = Math.max(0, Math.min(rows.length - WINDOW, top + pick(5) - 2));
      const last = Math.min(rows.length, top + WINDOW);
      const places = kept.drawn(rows, top, last, KEEP);
      const inView = places.filter((at) => at >= top && at < last);
      const outside = places.filter((at) => at < top || at >= last);
      if (
        places.some((at, k) => k && at <= places[k - 1]) ||
        places[0] < 0 ||
        places[places.length - 1] >= rows.length ||
        inView.length !== Math.max(0, last - top) ||
        outside.length > KEEP ||
        // A row outside the view is one kept: no row is made where it is not seen.
        outside.some((at) => !before.has(rows[at]))
      )
        wrong.push(step);
      reused += outside.length;
      before = new Set(places.map((at) => rows[at]));
    }
    expect(wrong).toEqual([]);
    // Kept rows were drawn along the way, not only the view's.
    expect(reused).toBeGreaterThan(3000 * WINDOW);
  });
});
