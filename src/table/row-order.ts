/** Below this many rows the engine's sort with a comparison function is as quick. */
const PACKED_MIN_ROWS = 4096;

/**
 * Row ids 0..n-1 ordered by numeric key, largest first or smallest first, equal keys (-0 and 0
 * too) in row order: what a stable sort by `b - a` (or `a - b`) gives, and NaN after every number.
 *
 * Many rows are sorted by the engine's own sort of 64-bit integers, each the key's bits in an
 * order-keeping form with the row id in its lowest bits: no comparison function is called, and
 * this runs at full speed the first time, when a table opens. Keys that differ only in the bits
 * the id took are put in order afterwards.
 */
export function orderByNumber(keys: ArrayLike<number>, largestFirst: boolean): number[] {
  const n = keys.length;
  if (n < PACKED_MIN_ROWS) {
    const nan = (i: number) => Number(keys[i] !== keys[i]);
    // A comparison that is NaN (infinities minus themselves) counts as equal.
    const compare = largestFirst
      ? (a: number, b: number) => keys[b] - keys[a]
      : (a: number, b: number) => keys[a] - keys[b];
    return Array.from({ length: n }, (_, i) => i).sort((a, b) => nan(a) - nan(b) || (nan(a) ? 0 : compare(a, b)));
  }
  const { hi, lo } = sortableBits(keys, largestFirst);
  const idMask = 2 ** (32 - Math.clz32(n - 1)) - 1;
  const packed = new BigUint64Array(n);
  // Little-endian, as every browser is: word 2i is the low half of packed[i].
  const words = new Uint32Array(packed.buffer);
  for (let i = 0; i < n; i++) {
    words[2 * i] = ((lo[i] & ~idMask) | i) >>> 0;
    words[2 * i + 1] = hi[i];
  }
  packed.sort();
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = words[2 * i] & idMask;
  // Rows whose keys agree but for the bits the ids took: in id order now, put in key order.
  for (let start = 0; start < n;) {
    let end = start + 1;
    const h = words[2 * start + 1],
      l = (words[2 * start] & ~idMask) >>> 0;
    while (end < n && words[2 * end + 1] === h && (words[2 * end] & ~idMask) >>> 0 === l) end++;
    // Ids rise along a run, so it needs sorting only where its low bits fall: equal keys (many,
    // in a profile's table) never do.
    let sorted = true;
    for (let k = start + 1; k < end && sorted; k++) sorted = lo[order[k - 1]] <= lo[order[k]];
    if (!sorted) {
      const run = order.slice(start, end).sort((a, b) => lo[a] - lo[b] || a - b);
      for (let k = 0; k < run.length; k++) order[start + k] = run[k];
    }
    start = end;
  }
  return order;
}

/**
 * Each key as 64 bits whose unsigned order is the wanted order: the sign bit flipped for
 * positives, all bits for negatives, all again for largest first; NaN as the largest of all,
 * which no number maps to.
 */
function sortableBits(keys: ArrayLike<number>, largestFirst: boolean): { hi: Uint32Array; lo: Uint32Array } {
  const n = keys.length;
  const hi = new Uint32Array(n),
    lo = new Uint32Array(n);
  const f = new Float64Array(1);
  const bits = new Uint32Array(f.buffer);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k !== k) {
      hi[i] = lo[i] = 0xffffffff;
      continue;
    }
    f[0] = k === 0 ? 0 : k;
    let h = bits[1],
      l = bits[0];
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

/**
 * The first `k` rows of `orderByNumber(keys, largestFirst)`, found without ordering the others:
 * a heap holds the `k` best so far, the one that comes last on top, and a row is compared with
 * it only when its key is better than that one's (a later row with an equal key comes after).
 */
export function firstByNumber(keys: ArrayLike<number>, largestFirst: boolean, k: number): number[] {
  const n = keys.length;
  // Whether row a comes before row b: NaN last, equal keys in row order.
  const before = (a: number, b: number): boolean => {
    const x = keys[a],
      y = keys[b];
    if (x !== x || y !== y) return y !== y && (x === x || a < b);
    if (x === y) return a < b;
    return largestFirst ? x > y : x < y;
  };
  const heap: number[] = [];
  for (let i = 0; i < Math.min(k, n); i++) {
    heap.push(i);
    for (let at = i; at > 0 && before(heap[(at - 1) >> 1], heap[at]); at = (at - 1) >> 1) {
      [heap[at], heap[(at - 1) >> 1]] = [heap[(at - 1) >> 1], heap[at]];
    }
  }
  let worst = heap.length ? keys[heap[0]] : NaN;
  for (let i = heap.length; i < n && k > 0; i++) {
    const x = keys[i];
    if (!(largestFirst ? x > worst : x < worst) && !(worst !== worst && x === x)) continue;
    heap[0] = i;
    for (let at = 0; ;) {
      const l = 2 * at + 1,
        r = l + 1;
      let last = at;
      if (l < k && before(heap[last], heap[l])) last = l;
      if (r < k && before(heap[last], heap[r])) last = r;
      if (last === at) break;
      [heap[at], heap[last]] = [heap[last], heap[at]];
      at = last;
    }
    worst = keys[heap[0]];
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : 1));
}
