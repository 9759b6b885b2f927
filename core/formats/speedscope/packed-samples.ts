/**
 * The `samples` arrays of a speedscope file's profiles read from its bytes as they arrive, into
 * typed arrays: they are most of a sampler's file (one array of frame indices per sample), and as
 * JSON values they cost an array object per sample and a number per frame, made and then
 * collected. A sample written otherwise than as an array of plain non-negative integers is parsed
 * as JSON and kept as that value, to be read as the JSON reader reads it.
 */
import { AS_VALUE, NEED_MORE, isSpace, type ArrayReader } from '../json/json-split';

/** One profile's samples: the frame indices of sample `s` are `frames[start[s], start[s + 1])`, or its value in `odd`. */
export interface PackedSamples {
  frames: Int32Array;
  start: Int32Array;
  /** The samples not read from bytes, by index: their JSON values. */
  odd: Map<number, unknown>;
}

const COMMA = 0x2c,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d;

/** Grows as it is written; read back as a typed array of what was written. */
class Ints {
  a = new Int32Array(1 << 16);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const grown = new Int32Array(this.a.length * 2);
      grown.set(this.a);
      this.a = grown;
    }
    this.a[this.n++] = v;
  }
  view(): Int32Array {
    return this.a.slice(0, this.n);
  }
}

/** The index of the first byte at or after `i` that is not JSON whitespace. */
function skipSpace(b: Uint8Array, i: number, end: number): number {
  while (i < end && isSpace(b[i])) i++;
  return i;
}

/** Reads one profile's `samples` array element by element. */
export class SampleReader implements ArrayReader {
  private readonly frames = new Ints();
  private readonly start = new Ints();
  private readonly odd = new Map<number, unknown>();

  /** An array of integers at `at`: the index past its `]`, its frames pushed; or AS_VALUE or NEED_MORE, nothing pushed. */
  bytes(b: Uint8Array, at: number, end: number): number {
    if (b[at] !== OPEN_BRACKET) return AS_VALUE;
    const frames = this.frames;
    const before = frames.n;
    let i = skipSpace(b, at + 1, end);
    if (i < end && b[i] === CLOSE_BRACKET) {
      this.start.push(before);
      return i + 1;
    }
    for (;;) {
      const first = i;
      let v = 0;
      while (i < end && b[i] >= 0x30 && b[i] <= 0x39) v = v * 10 + b[i++] - 0x30;
      const digits = i - first;
      i = skipSpace(b, i, end);
      if (i >= end) {
        frames.n = before;
        return NEED_MORE;
      }
      // JSON allows no leading zero; an index past 2^31 is no frame of any file.
      if (digits === 0 || digits > 10 || v > 0x7fffffff || (digits > 1 && b[first] === 0x30)) {
        frames.n = before;
        return AS_VALUE;
      }
      frames.push(v);
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1, end);
        continue;
      }
      if (b[i] !== CLOSE_BRACKET) {
        frames.n = before;
        return AS_VALUE;
      }
      this.start.push(before);
      return i + 1;
    }
  }

  values(values: unknown[], first: number): void {
    for (let k = 0; k < values.length; k++) {
      this.odd.set(first + k, values[k]);
      this.start.push(this.frames.n);
    }
  }

  packed(): PackedSamples {
    this.start.push(this.frames.n);
    return { frames: this.frames.view(), start: this.start.view(), odd: this.odd };
  }
}
