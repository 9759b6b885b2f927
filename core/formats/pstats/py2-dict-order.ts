/**
 * The order in which Python 2.7 iterates a dict of `(file, line, name)` keys that `marshal.load`
 * built by inserting them in file order. pstats sums `total_tt` and breaks sort ties in that order,
 * so matching its numbers bit for bit on Python 2 files means replaying CPython 2.7's dict: its
 * string and tuple hashes (64-bit, unrandomized) and its open-addressing table with resizes.
 */

const MASK64 = (1n << 64n) - 1n;
const MULT = 1000003n;
const utf8 = new TextEncoder();

/** Two's-complement signed 64-bit value of x. */
function signed(x: bigint): bigint {
  x &= MASK64;
  return x >= 1n << 63n ? x - (1n << 64n) : x;
}

/** CPython 2.7 `string_hash` over the UTF-8 bytes of s (Python 2 stores these names as byte strings). */
function strHash(s: string): bigint {
  const b = utf8.encode(s);
  if (b.length === 0) return 0n;
  let x = BigInt(b[0] << 7);
  for (let i = 0; i < b.length; i++) x = ((MULT * x) & MASK64) ^ BigInt(b[i]);
  x = signed(x ^ BigInt(b.length));
  return x === -1n ? -2n : x;
}

function intHash(n: number): bigint {
  const x = BigInt(n);
  return x === -1n ? -2n : x;
}

/** CPython 2.7 `tuplehash` of a 3-tuple whose item hashes are given. */
function tupleHash(items: bigint[]): bigint {
  let x = 0x345678n;
  let mult = MULT;
  let len = BigInt(items.length);
  for (const y of items) {
    len--;
    x = signed((x ^ y) * mult);
    mult = signed(mult + 82520n + len + len);
  }
  x = signed(x + 97531n);
  return x === -1n ? -2n : x;
}

export function py2KeyHash(file: string, line: number, name: string): bigint {
  return tupleHash([strHash(file), intHash(line), strHash(name)]);
}

/** Given the hashes of distinct keys in insertion order, their indices in iteration order. */
export function py2DictOrder(hashes: bigint[]): number[] {
  let mask = 7;
  let table = new Int32Array(mask + 1).fill(-1);
  let used = 0;

  const place = (t: Int32Array, m: number, key: number): void => {
    const h = hashes[key] & MASK64;
    let perturb = h;
    let i = h;
    let slot = Number(i & BigInt(m));
    while (t[slot] !== -1) {
      i = ((i << 2n) + i + perturb + 1n) & MASK64;
      perturb >>= 5n;
      slot = Number(i & BigInt(m));
    }
    t[slot] = key;
  };

  for (let k = 0; k < hashes.length; k++) {
    place(table, mask, k);
    used++;
    // dictobject.c: resize when the table is two-thirds full, to 4× the entries (2× past 50,000).
    if (used * 3 >= (mask + 1) * 2) {
      const minUsed = (used > 50000 ? 2 : 4) * used;
      let size = 8;
      while (size <= minUsed) size *= 2;
      const next = new Int32Array(size).fill(-1);
      for (const key of table) if (key !== -1) place(next, size - 1, key);
      table = next;
      mask = size - 1;
    }
  }
  return Array.from(table).filter((k) => k !== -1);
}
