/**
 * The columns of a processed profile's tables (samples, stacks, frames) read from the file's bytes
 * as they arrive, into typed arrays: they are most of the file, and as JSON values each would be a
 * JS array of a million numbers. Numbers and `null` are read from the bytes; any other element is
 * parsed as JSON and kept as its value, for the reader to refuse with its own message.
 */
import { AS_VALUE, NEED_MORE, type ArrayReader } from '../json/json-split';

/** A table's column: `values[i]` is element i, NaN where it is null or is kept in `odd`. */
export interface NumberColumn {
  readonly values: Float64Array;
  /** The elements that are neither numbers nor null, by index: their JSON values. */
  readonly odd: ReadonlyMap<number, unknown>;
}

/** Element `i` of the column as JSON gives it: a number, null, or the odd value. */
export function elementAt(c: NumberColumn, i: number): unknown {
  const v = c.values[i];
  if (!Number.isNaN(v)) return v;
  return c.odd.has(i) ? c.odd.get(i) : null;
}

/** A column from a JSON array (a document read whole, or a column the stream left in the rest). */
export function columnOf(list: readonly unknown[]): NumberColumn {
  const values = new Float64Array(list.length);
  const odd = new Map<number, unknown>();
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v === 'number') values[i] = v;
    else {
      values[i] = NaN;
      if (v !== null) odd.set(i, v);
    }
  }
  return { values, odd };
}

const MINUS = 0x2d,
  DOT = 0x2e,
  ZERO = 0x30,
  NINE = 0x39,
  LOWER_E = 0x65,
  UPPER_E = 0x45,
  PLUS = 0x2b,
  N = 0x6e;

const isDigit = (c: number) => c >= ZERO && c <= NINE;
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** Powers of ten that doubles hold exactly: a mantissa below 2^53 divided by one is correctly rounded. */
const EXACT_POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Reads one column's elements; `keep` false reads them (so that they are checked) but stores none. */
export class NumberColumnReader implements ArrayReader {
  private read = new Float64Array(1 << 12);
  private length = 0;
  private readonly odd = new Map<number, unknown>();
  private done: NumberColumn | undefined;

  constructor(private readonly keep = true) {}

  bytes(b: Uint8Array, at: number, end: number, index: number): number {
    let i = at;
    let c = b[i];
    // Most elements are small indices: read those without the general path's checks.
    if (c > ZERO && c <= NINE) {
      let v = c - ZERO;
      for (i++; i < end && i - at < 10; i++) {
        const d = b[i];
        if (d === 0x2c || d === 0x5d) {
          this.put(index, v);
          return i;
        }
        if (d < ZERO || d > NINE) break;
        v = v * 10 + d - ZERO;
      }
      i = at;
    }
    if (c === N) {
      if (end - i < 4) return NEED_MORE;
      for (let k = 1; k < 4; k++) if (b[i + k] !== NULL[k]) return AS_VALUE;
      if (i + 4 < end && !this.ends(b[i + 4])) return AS_VALUE;
      if (i + 4 === end) return NEED_MORE;
      this.put(index, NaN);
      return i + 4;
    }
    const negative = c === MINUS;
    if (negative) c = b[++i];
    if (!isDigit(c)) return AS_VALUE;
    const first = i;
    // JSON allows no leading zero.
    if (c === ZERO && i + 1 < end && isDigit(b[i + 1])) return AS_VALUE;
    let mantissa = 0;
    while (i < end && isDigit(b[i])) mantissa = mantissa * 10 + b[i++] - ZERO;
    let digits = i - first;
    let fraction = 0;
    if (i < end && b[i] === DOT) {
      const from = ++i;
      while (i < end && isDigit(b[i])) mantissa = mantissa * 10 + b[i++] - ZERO;
      fraction = i - from;
      if (fraction === 0 && i < end) return AS_VALUE;
      digits += fraction;
    }
    if (i < end && (b[i] === LOWER_E || b[i] === UPPER_E)) return this.slow(b, at, end, index);
    if (i === end) return NEED_MORE;
    if (!this.ends(b[i])) return AS_VALUE;
    // Beyond these, a division would not round as JSON.parse does.
    if (digits > 15 || fraction >= EXACT_POWERS.length) return this.slow(b, at, end, index);
    const v = fraction > 0 ? mantissa / EXACT_POWERS[fraction] : mantissa;
    this.put(index, negative ? -v : v);
    return i;
  }

  /** A number with an exponent or many digits: its text is read by the engine, as JSON.parse would. */
  private slow(b: Uint8Array, at: number, end: number, index: number): number {
    let i = at;
    while (
      i < end &&
      (isDigit(b[i]) || b[i] === MINUS || b[i] === PLUS || b[i] === DOT || b[i] === LOWER_E || b[i] === UPPER_E)
    )
      i++;
    if (i === end) return NEED_MORE;
    if (!this.ends(b[i])) return AS_VALUE;
    const text = String.fromCharCode(...b.subarray(at, i));
    if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) return AS_VALUE;
    this.put(index, Number(text));
    return i;
  }

  private ends(c: number): boolean {
    return c === 0x2c || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  }

  private put(index: number, v: number): void {
    if (!this.keep) return;
    if (index >= this.read.length) this.grow(index);
    this.read[index] = v;
    this.length = index + 1;
  }

  private grow(index: number): void {
    const grown = new Float64Array(Math.max(index + 1, 2 * this.read.length));
    grown.set(this.read.subarray(0, this.length));
    this.read = grown;
  }

  values(values: unknown[], first: number): void {
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (typeof v === 'number') this.put(first + k, v);
      else {
        this.put(first + k, NaN);
        if (this.keep && v !== null) this.odd.set(first + k, v);
      }
    }
  }

  /** The column read, made once: a table's length and its reading both ask for it. */
  column(): NumberColumn {
    this.done ??= { values: this.read.slice(0, this.length), odd: this.odd };
    return this.done;
  }
}
