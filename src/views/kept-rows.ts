/**
 * The rows a list draws: those of the view, and rows of views shown lately, kept in the page
 * outside the view. Scrolling back to them then finds them already made, styled, laid out and
 * painted, where drawing a window of rows anew costs most of a frame. A kept row is drawn only at
 * the place it has in the rows of the moment, checked at each call, so that it never shows a row
 * that is no longer there.
 */
export class KeptRows {
  /** Each kept row's place when last drawn, the row least lately in the view first. */
  private readonly placeOf = new Map<number, number>();
  /** How many rows there were at the last call: rows below an opened or closed one moved by the difference. */
  private length = 0;

  /**
   * The places of `rows` to draw, in order: `first` to `end` (excluded), and the kept rows found
   * in `rows`, at most `keep` rows in all beyond the view, those least lately in view left out first.
   */
  drawn(rows: readonly number[], first: number, end: number, keep: number): number[] {
    // Rows closed under a view scrolled far down leave it past the end until the scroll is clamped.
    const last = Math.max(first, end);
    const shift = rows.length - this.length;
    this.length = rows.length;
    for (const [row, at] of this.placeOf) {
      const now = rows[at] === row ? at : rows[at + shift] === row ? at + shift : -1;
      if (now < 0) this.placeOf.delete(row);
      else if (now !== at) this.placeOf.set(row, now);
    }
    for (let at = first; at < last; at++) {
      this.placeOf.delete(rows[at]);
      this.placeOf.set(rows[at], at);
    }
    const extra = this.placeOf.size - (last - first) - keep;
    if (extra > 0) {
      let k = 0;
      for (const row of this.placeOf.keys()) {
        if (k++ === extra) break;
        this.placeOf.delete(row);
      }
    }
    const places: number[] = [];
    for (const at of this.placeOf.values()) if (at < first || at >= last) places.push(at);
    for (let at = first; at < last; at++) places.push(at);
    return places.sort((a, b) => a - b);
  }
}
