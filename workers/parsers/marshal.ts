import { grown } from '../builders';
import { ProfileError } from '../model';

/**
 * A reader for the subset of CPython's marshal format that `pstats` files use, in every version
 * from Python 2.7 (marshal 2) to 3.13 (marshal 4/5). Values come out as plain JS values:
 * ints as numbers (bigints when they do not fit a double exactly), floats as numbers,
 * str/bytes/unicode as strings, tuples/lists/sets as arrays, dicts as `MarshalDict`.
 */
export type MarshalValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | MarshalValue[]
  | MarshalDict
  | MarshalOther;

export class MarshalDict {
  constructor(readonly entries: [MarshalValue, MarshalValue][]) {}
}

/** A value pstats files never hold (code objects, complex numbers, …) kept only for its kind. */
export class MarshalOther {
  constructor(readonly kind: string) {}
}

const FLAG_REF = 0x80;
/** r, z, Z, a, A and ) appeared with marshal version 3 (Python 3.4). */
const PYTHON3_ONLY = new Set([0x72, 0x7a, 0x5a, 0x61, 0x41, 0x29]);
const MAX_DEPTH = 100;
const utf8 = new TextDecoder('utf-8');
/** An array of each length below 128, filled with a short string's bytes to make it. */
const charCodes = Array.from({ length: 128 }, (_, n) => new Array<number>(n).fill(0));

const typeNames: Record<string, string> = {
  '0': 'end of dict', N: 'None', F: 'False', T: 'True', S: 'StopIteration', '.': 'Ellipsis',
  i: 'int', I: 'int64', l: 'long', f: 'float', g: 'float', x: 'complex', y: 'complex',
  s: 'bytes', t: 'interned str', R: 'string ref', u: 'str', a: 'str', A: 'str', z: 'str', Z: 'str',
  '(': 'tuple', ')': 'tuple', '[': 'list', '{': 'dict', '<': 'set', '>': 'frozenset', c: 'code',
  r: 'ref',
};

export function marshalTypeName(code: number): string {
  return typeNames[String.fromCharCode(code & ~FLAG_REF)] ?? `unknown type 0x${code.toString(16)}`;
}

/** The parts of a `(file, line, name)` key read by `MarshalReader.keyInto`, with the back-reference slots they came from. */
export interface KeyParts {
  /** Null when the file is a back-reference: `stringAt(fileSlot)` is the string. */
  file: string | null;
  /** The slot the file string was stored in or read from, or -1. */
  fileSlot: number;
  line: number;
  name: string | null;
  nameSlot: number;
  /** The slot the tuple itself was stored in, or -1. */
  tupleSlot: number;
}

/**
 * What a back-reference slot holds for a key tuple `keyInto` read: its reader keeps what it made of
 * the tuple by slot, so no array is made and kept for each of a profile's functions.
 */
const KEY_TUPLE = new MarshalOther('tuple');

export class MarshalReader {
  pos = 0;
  private readonly view: DataView;
  /** Objects written with FLAG_REF (marshal ≥ 3), for `r` back-references. */
  private readonly refs: MarshalValue[] = [];
  /** Interned strings of marshal ≤ 2 (Python 2), for `R` references. */
  private readonly interned: string[] = [];
  private depth = 0;
  /** 1 for each back-reference slot that holds a string. */
  private stringSlots = new Uint8Array(1024);
  /** The text `stringItem` read last. */
  private itemText: string | null = null;
  /** Whether any type code only Python 3 writes (refs, short and ascii strings, small tuples) was seen. */
  sawPython3Codes = false;
  /**
   * The back-reference slot of the value `read` returned last: the one it was stored in (FLAG_REF)
   * or read from (`r`), or -1. The same slot is the same object, so callers can remember what
   * they made of it.
   */
  lastRef = -1;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  private markString(slot: number): void {
    if (slot >= this.stringSlots.length) this.stringSlots = grown(this.stringSlots, slot + 1);
    this.stringSlots[slot] = 1;
  }

  /** The type code of the next value, without its FLAG_REF bit. */
  peekType(): number {
    this.need(1);
    return this.bytes[this.pos] & ~FLAG_REF;
  }

  read(): MarshalValue {
    const start = this.pos;
    this.need(1);
    const code = this.bytes[this.pos++];
    const flagged = (code & FLAG_REF) !== 0;
    if (flagged || PYTHON3_ONLY.has(code & ~FLAG_REF)) this.sawPython3Codes = true;
    let slot = -1;
    if (flagged) {
      slot = this.refs.length;
      this.refs.push(null);
    }
    if (++this.depth > MAX_DEPTH) {
      throw new ProfileError(`marshal data nested deeper than ${MAX_DEPTH} levels`, start);
    }
    const value = this.readBody(code & ~FLAG_REF, start);
    this.depth--;
    if (flagged) {
      this.refs[slot] = value;
      if (typeof value === 'string') this.markString(slot);
    }
    this.lastRef = flagged ? slot : (code & ~FLAG_REF) === 0x72 ? this.view.getInt32(start + 1, true) : -1;
    return value;
  }

  /**
   * When the next `n` values are all ints (`i`) or binary floats (`g`), or back-references to
   * numbers, reads them into `out[0, n)` with no JS value made for them and returns true;
   * otherwise reads nothing. (Python 3 writes small ints once, with FLAG_REF, and refers to them.)
   */
  numbersInto(out: Float64Array, n: number): boolean {
    const at = this.pos;
    const end = this.numbersEnd(at, n);
    if (end < 0) return false;
    this.readNumbers(out, n, at);
    this.pos = end;
    this.lastRef = -1;
    return true;
  }

  /**
   * When the next value is a tuple (without FLAG_REF) of `n` values that `numbersInto` reads,
   * reads it into `out[0, n)` and returns true; otherwise reads nothing.
   */
  numberTupleInto(out: Float64Array, n: number): boolean {
    const b = this.bytes;
    let at = this.pos;
    if (b[at] === 0x29 && at + 2 <= b.length && b[at + 1] === n) at += 2;
    else if (b[at] === 0x28 && at + 5 <= b.length && this.view.getInt32(at + 1, true) === n) at += 5;
    else return false;
    const end = this.numbersEnd(at, n);
    if (end < 0) return false;
    if (b[this.pos] === 0x29) this.sawPython3Codes = true;
    this.readNumbers(out, n, at);
    this.pos = end;
    this.lastRef = -1;
    return true;
  }

  /**
   * Where `n` values starting at `at` end when each is an int, a binary float or a back-reference
   * to a number (one read before, or one of these `n` stored with FLAG_REF); otherwise -1.
   */
  private numbersEnd(at: number, n: number): number {
    const b = this.bytes;
    let slots = this.refs.length;
    for (let i = 0; i < n && at < b.length; i++) {
      const code = b[at];
      if ((code & ~FLAG_REF) === 0x69 || (code & ~FLAG_REF) === 0x67) {
        if (code & FLAG_REF) slots++;
        at += code === 0x69 || code === 0xe9 ? 5 : 9;
      } else if (code === 0x72 && at + 5 <= b.length) {
        const ref = this.view.getInt32(at + 1, true);
        if (ref < 0 || ref >= slots || (ref < this.refs.length && typeof this.refs[ref] !== 'number')) return -1;
        at += 5;
      } else {
        return -1;
      }
      if (i === n - 1) return at <= b.length ? at : -1;
    }
    return n === 0 ? at : -1;
  }

  private readNumbers(out: Float64Array, n: number, at: number): void {
    for (let i = 0; i < n; i++) {
      const code = this.bytes[at];
      if (code === 0x72) {
        out[i] = this.refs[this.view.getInt32(at + 1, true)] as number;
        this.sawPython3Codes = true;
        at += 5;
        continue;
      }
      if ((code & ~FLAG_REF) === 0x69) {
        out[i] = this.view.getInt32(at + 1, true);
        at += 5;
      } else {
        out[i] = this.view.getFloat64(at + 1, true);
        at += 9;
      }
      if (code & FLAG_REF) {
        this.refs.push(out[i]);
        this.sawPython3Codes = true;
      }
    }
  }

  /**
   * When the next value is a 3-tuple of a string, an int and a string (each maybe a
   * back-reference), reads it into `out` without making the tuple and returns true; otherwise
   * reads nothing. This is the shape of every function key the `profile` modules write.
   */
  keyInto(out: KeyParts): boolean {
    const b = this.bytes;
    const start = this.pos, refs = this.refs.length, interned = this.interned.length;
    const code = b[start];
    let at: number;
    if ((code & ~FLAG_REF) === 0x29 && b[start + 1] === 3) at = start + 2;
    else if ((code & ~FLAG_REF) === 0x28 && start + 5 <= b.length && this.view.getInt32(start + 1, true) === 3) at = start + 5;
    else return false;
    out.tupleSlot = -1;
    if (code & FLAG_REF) {
      out.tupleSlot = this.refs.length;
      this.refs.push(KEY_TUPLE);
    }
    this.pos = at;
    if (this.stringItem()) {
      out.file = this.itemText;
      out.fileSlot = this.lastRef;
      if (this.numberItem(out)) {
        if (this.stringItem()) {
          out.name = this.itemText;
          out.nameSlot = this.lastRef;
          this.lastRef = out.tupleSlot;
          if ((code & FLAG_REF) || code === 0x29) this.sawPython3Codes = true;
          return true;
        }
      }
    }
    this.pos = start;
    this.refs.length = refs;
    this.interned.length = interned;
    return false;
  }

  /**
   * Reads a string or a back-reference to one: its text in `itemText` (null for a reference, whose
   * string is not touched) and its slot in `lastRef`. False (position unknown) for anything else.
   */
  private stringItem(): boolean {
    const b = this.bytes;
    const at = this.pos;
    if (at >= b.length) return false;
    const code = b[at];
    if (code === 0x72) {
      if (at + 5 > b.length) return false;
      const slot = this.view.getInt32(at + 1, true);
      if (slot < 0 || slot >= this.refs.length || slot >= this.stringSlots.length || this.stringSlots[slot] === 0) return false;
      this.pos = at + 5;
      this.lastRef = slot;
      this.itemText = null;
      this.sawPython3Codes = true;
      return true;
    }
    if (code === 0x52) {
      if (at + 5 > b.length) return false;
      const i = this.view.getInt32(at + 1, true);
      if (i < 0 || i >= this.interned.length) return false;
      this.pos = at + 5;
      this.lastRef = -1;
      this.itemText = this.interned[i];
      return true;
    }
    const type = code & ~FLAG_REF;
    if (type !== 0x7a && type !== 0x5a && type !== 0x61 && type !== 0x41 && type !== 0x75 && type !== 0x73 && type !== 0x74) return false;
    const v = this.read();
    if (typeof v !== 'string') return false;
    this.itemText = v;
    return true;
  }

  /** The string in a back-reference slot that `keyInto` reported. */
  stringAt(slot: number): string {
    return this.refs[slot] as string;
  }

  /** An int or a back-reference to a number into `out.line`; false for anything else. */
  private numberItem(out: KeyParts): boolean {
    const b = this.bytes;
    const at = this.pos;
    const code = b[at];
    if ((code & ~FLAG_REF) === 0x69 && at + 5 <= b.length) {
      out.line = this.view.getInt32(at + 1, true);
      this.pos = at + 5;
      if (code & FLAG_REF) {
        this.refs.push(out.line);
        this.sawPython3Codes = true;
      }
      return true;
    }
    if (code === 0x72 && at + 5 <= b.length) {
      const slot = this.view.getInt32(at + 1, true);
      const v = slot >= 0 && slot < this.refs.length ? this.refs[slot] : undefined;
      if (typeof v !== 'number') return false;
      out.line = v;
      this.pos = at + 5;
      this.sawPython3Codes = true;
      return true;
    }
    return false;
  }

  /** The slot the next value refers back to when it is a back-reference (`r`), or -1. */
  peekRef(): number {
    const at = this.pos;
    return this.bytes[at] === 0x72 && at + 5 <= this.bytes.length ? this.view.getInt32(at + 1, true) : -1;
  }

  /** Passes over the back-reference `peekRef` saw, for a caller that knows what it refers to already. */
  skipRef(): void {
    this.pos += 5;
    this.sawPython3Codes = true;
    this.lastRef = this.view.getInt32(this.pos - 4, true);
  }

  /** Reads a dict's opening, for walking its entries with `atDictEnd` and `read` without building it. */
  openDict(what: string): void {
    const start = this.pos;
    this.need(1);
    const code = this.bytes[this.pos++];
    if ((code & ~FLAG_REF) !== 0x7b) {
      throw new ProfileError(`${what} should be a dict but is a ${marshalTypeName(code)}`, start);
    }
    if (code & FLAG_REF) {
      this.sawPython3Codes = true;
      this.refs.push(null);
    }
  }

  /** Reads a tuple's opening, checking its length, so that its items can be read one by one. */
  openTuple(length: number, what: string): void {
    const start = this.pos;
    this.need(1);
    const code = this.bytes[this.pos++];
    const type = code & ~FLAG_REF;
    let n = -1;
    if (type === 0x29) {
      this.sawPython3Codes = true;
      this.need(1);
      n = this.bytes[this.pos++];
    } else if (type === 0x28) {
      n = this.int32();
    } else {
      throw new ProfileError(`${what} should be a tuple but is a ${marshalTypeName(code)}`, start);
    }
    if (n !== length) throw new ProfileError(`${what} should be a ${length}-tuple but has ${n} items`, start);
    if (code & FLAG_REF) {
      this.sawPython3Codes = true;
      this.refs.push(null);
    }
  }

  /** True (and consumes the end marker) when the dict being walked has no more entries. */
  atDictEnd(): boolean {
    if (this.peekType() !== 0x30) return false;
    this.pos++;
    return true;
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) {
      throw new ProfileError(
        `the file is truncated: ${n} more byte${n === 1 ? '' : 's'} needed, ${this.bytes.length - this.pos} left`,
        this.pos,
      );
    }
  }

  private int32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A length field, checked against the bytes left so that absurd lengths fail before allocating. */
  private length(bytesPerItem: number, at: number): number {
    const n = this.int32();
    if (n < 0 || n * bytesPerItem > this.bytes.length - this.pos) {
      throw new ProfileError(`invalid length ${n}: only ${this.bytes.length - this.pos} bytes left`, at);
    }
    return n;
  }

  private text(n: number, ascii: boolean): string {
    this.need(n);
    const b = this.bytes;
    const start = this.pos;
    this.pos += n;
    if (n < 128) {
      let i = start;
      if (!ascii) while (i < start + n && b[i] < 0x80) i++;
      if (ascii || i === start + n) {
        // One flat string, not a chain of one-character concatenations to be flattened at every
        // use; from an array, which the engine spreads into arguments faster than a typed array.
        const codes = charCodes[n];
        for (let k = 0; k < n; k++) codes[k] = b[start + k];
        return String.fromCharCode.apply(null, codes);
      }
    }
    return utf8.decode(b.subarray(start, start + n));
  }

  private items(n: number): MarshalValue[] {
    const out = new Array<MarshalValue>(n);
    for (let i = 0; i < n; i++) out[i] = this.read();
    return out;
  }

  private readBody(type: number, start: number): MarshalValue {
    switch (type) {
      case 0x4e /* N */: return null;
      case 0x46 /* F */: return false;
      case 0x54 /* T */: return true;
      case 0x53 /* S */: return new MarshalOther('StopIteration');
      case 0x2e /* . */: return new MarshalOther('Ellipsis');
      case 0x69 /* i */: return this.int32();
      case 0x49 /* I */: {
        this.need(8);
        const v = this.view.getBigInt64(this.pos, true);
        this.pos += 8;
        return narrow(v);
      }
      case 0x6c /* l */: return this.long(start);
      case 0x67 /* g */: {
        this.need(8);
        const v = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return v;
      }
      case 0x66 /* f */: return this.textFloat(start);
      case 0x79 /* y */:
        this.need(16);
        this.pos += 16;
        return new MarshalOther('complex');
      case 0x78 /* x */:
        this.textFloat(start);
        this.textFloat(start);
        return new MarshalOther('complex');
      case 0x73 /* s */:
      case 0x75 /* u */:
      case 0x61 /* a */:
      case 0x41 /* A */:
        return this.text(this.length(1, start), type === 0x61 || type === 0x41);
      case 0x74 /* t */: {
        const s = this.text(this.length(1, start), false);
        this.interned.push(s);
        return s;
      }
      case 0x7a /* z */:
      case 0x5a /* Z */: {
        this.need(1);
        return this.text(this.bytes[this.pos++], true);
      }
      case 0x52 /* R */: {
        const i = this.int32();
        if (i < 0 || i >= this.interned.length) {
          throw new ProfileError(`string reference ${i} to an undefined string`, start);
        }
        return this.interned[i];
      }
      case 0x72 /* r */: {
        const i = this.int32();
        if (i < 0 || i >= this.refs.length) {
          throw new ProfileError(`back-reference ${i} to an undefined object`, start);
        }
        return this.refs[i];
      }
      case 0x28 /* ( */:
      case 0x5b /* [ */:
      case 0x3c /* < */:
      case 0x3e /* > */:
        return this.items(this.length(1, start));
      case 0x29 /* ) */: {
        this.need(1);
        return this.items(this.bytes[this.pos++]);
      }
      case 0x7b /* { */: {
        const entries: [MarshalValue, MarshalValue][] = [];
        while (!this.atDictEnd()) entries.push([this.read(), this.read()]);
        return new MarshalDict(entries);
      }
      case 0x30 /* 0 */:
        throw new ProfileError('unexpected end-of-dict marker', start);
      default:
        throw new ProfileError(`${marshalTypeName(type)} is not part of a pstats file`, start);
    }
  }

  private textFloat(start: number): number {
    this.need(1);
    const n = this.bytes[this.pos++];
    const s = this.text(n, true);
    const v = Number(s);
    if (Number.isNaN(v) && !/^[-+]?nan$/i.test(s)) throw new ProfileError(`bad float "${s}"`, start);
    return v;
  }

  /** Python's arbitrary-precision int: a signed count of 15-bit digits, least significant first. */
  private long(start: number): number | bigint {
    const n = this.int32();
    const size = Math.abs(n);
    if (size * 2 > this.bytes.length - this.pos) {
      throw new ProfileError(`invalid long of ${size} digits: only ${this.bytes.length - this.pos} bytes left`, start);
    }
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) {
      const d = this.view.getUint16(this.pos + 2 * i, true);
      if (d > 0x7fff) throw new ProfileError('bad digit in a long', this.pos + 2 * i);
      v = (v << 15n) | BigInt(d);
    }
    this.pos += size * 2;
    return narrow(n < 0 ? -v : v);
  }
}

function narrow(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}
