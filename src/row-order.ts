/** Below this many rows the engine's sort with a comparison function is as quick. */
const RADIX_MIN_ROWS = 4096;
const DIGIT_BITS = 16;
const DIGITS = 1 << DIGIT_BITS;

/**
 * Row ids 0..n-1 ordered by numeric key, largest first or smallest first, equal keys (-0 and 0
 * too) in row order: what a stable sort by `b - a` (or `a - b`) gives, and NaN after every number.
 * Many rows are radix-sorted on the keys' bits, in a few passes rather than n·log n calls.
 */
export function orderByNumber(keys: ArrayLike<number>, largestFirst: boolean): number[] {
  const n = keys.length;
  if (n < RADIX_MIN_ROWS) {
    const nan = (i: number) => Number(keys[i] !== keys[i]);
    // A comparison that is NaN (infinities minus themselves) counts as equal.
    const compare = largestFirst ? (a: number, b: number) => keys[b] - keys[a] : (a: number, b: number) => keys[a] - keys[b];
    return Array.from({ length: n }, (_, i) => i).sort((a, b) => nan(a) - nan(b) || (nan(a) ? 0 : compare(a, b)));
  }
  const { hi, lo } = sortableBits(keys, largestFirst);
  let order = new Int32Array(n), spare = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const start = new Int32Array(DIGITS);
  for (const [words, shift] of [[lo, 0], [lo, DIGIT_BITS], [hi, 0], [hi, DIGIT_BITS]] as const) {
    start.fill(0);
    for (let i = 0; i < n; i++) start[(words[i] >>> shift) & (DIGITS - 1)]++;
    if (start[(words[0] >>> shift) & (DIGITS - 1)] === n) continue;
    for (let d = 0, at = 0; d < DIGITS; d++) {
      const c = start[d];
      start[d] = at;
      at += c;
    }
    for (let i = 0; i < n; i++) {
      const id = order[i];
      spare[start[(words[id] >>> shift) & (DIGITS - 1)]++] = id;
    }
    [order, spare] = [spare, order];
  }
  return Array.from(order);
}

/**
 * Each key as 64 bits whose unsigned order is the wanted order: the sign bit flipped for
 * positives, all bits for negatives, all again for largest first; NaN as the largest of all,
 * which no number maps to.
 */
function sortableBits(keys: ArrayLike<number>, largestFirst: boolean): { hi: Uint32Array; lo: Uint32Array } {
  const n = keys.length;
  const hi = new Uint32Array(n), lo = new Uint32Array(n);
  const f = new Float64Array(1);
  const bits = new Uint32Array(f.buffer);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k !== k) {
      hi[i] = lo[i] = 0xffffffff;
      continue;
    }
    f[0] = k === 0 ? 0 : k;
    let h = bits[1], l = bits[0];
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else {
      h |= 0x80000000;
    }
    if (largestFirst) {
      h = ~h;
      l = ~l;
    }
    hi[i] = h;
    lo[i] = l;
  }
  return { hi, lo };
}
