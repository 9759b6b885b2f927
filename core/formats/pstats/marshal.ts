import { GrowableArray, grown, ints } from '~/core/model/builders';
import { ProfileError } from '~/core/model/profile';
import type { NameText } from './function-keys';

/**
 * A reader for the subset of CPython's marshal format that `pstats` files use, in every version
 * from Python 2.7 (marshal 2) to 3.15 (marshal 5). Values come out as plain JS values:
 * ints as numbers (bigints when they do not fit a double exactly), floats as numbers,
 * str/bytes/unicode as strings, tuples/lists/sets as arrays, dicts as `MarshalDict`, code objects
 * as `MarshalCode`.
 */
export type MarshalValue = number | bigint | string | boolean | null | MarshalValue[] | MarshalDict | MarshalOther;

export class MarshalDict {
  constructor(readonly entries: [MarshalValue, MarshalValue][]) {}
}

/** A value pstats files never hold (complex numbers, slices, …) kept only for its kind. */
class MarshalOther {
  constructor(readonly kind: string) {}
}

/**
 * A code object, kept as the text `repr` gives it less its memory address: `python -m profile`
 * names the script's entry `('profile', 0, <code object <module> …>)`, and pstats prints that.
 */
export class MarshalCode extends MarshalOther {
  constructor(readonly text: string) {
    super('code object');
  }
}

/**
 * The fields of a code object after its type code, by the Python that wrote it: `ints` int32s,
 * then objects, each a bytes/str (`b`), a tuple (`t`), the file (`f`), the name (`n`) or the
 * first line (`L`, an int32). Marshal data does not say which Python wrote it, and the layouts
 * share their first bytes, so a code object is read by the one whose fields all have their kinds.
 */
interface CodeLayout {
  ints: number;
  fields: string;
  /** Python 2's `repr` of a code object cuts its name to 100 characters and its file to 300. */
  python2: boolean;
}
const CODE_LAYOUTS: CodeLayout[] = [
  // 3.11+: code consts names localsplusnames localspluskinds filename name qualname firstlineno linetable exceptiontable
  { ints: 5, fields: 'btttbfnbLbb', python2: false },
  // 3.8–3.10 (posonlyargcount): code consts names varnames freevars cellvars filename name firstlineno lnotab
  { ints: 6, fields: 'btttttfnLb', python2: false },
  // 3.0–3.7 (kwonlyargcount)
  { ints: 5, fields: 'btttttfnLb', python2: false },
  // 2.7
  { ints: 4, fields: 'btttttfnLb', python2: true },
];

const FLAG_REF = 0x80;
/** r, z, Z, a, A and ) appeared with marshal version 3 (Python 3.4). */
const PYTHON3_ONLY = new Set([0x72, 0x7a, 0x5a, 0x61, 0x41, 0x29]);
const MAX_DEPTH = 100;
/**
 * Room for about as many back-reference slots as data of this size holds, so that tables by slot
 * seldom grow and copy: cProfile writes one for every 60 to 70 bytes.
 */
export const slotsFor = (bytes: number) => Math.ceil(bytes / 48) + 1024;

/** What `skipDict` reads next in a dict it is inside. */
const DICT_KEY = -1;
const DICT_VALUE = -2;
const utf8 = new TextDecoder('utf-8');
/** An array of each length below 128, filled with a short string's bytes to make it. */
const charCodes = Array.from({ length: 128 }, (_, n) => new Array<number>(n).fill(0));

const typeNames: Record<string, string> = {
  '0': 'end of dict',
  N: 'None',
  F: 'False',
  T: 'True',
  S: 'StopIteration',
  '.': 'Ellipsis',
  i: 'int',
  I: 'int64',
  l: 'long',
  f: 'float',
  g: 'float',
  x: 'complex',
  y: 'complex',
  s: 'bytes',
  t: 'interned str',
  R: 'string ref',
  u: 'str',
  a: 'str',
  A: 'str',
  z: 'str',
  Z: 'str',
  '(': 'tuple',
  ')': 'tuple',
  '[': 'list',
  '{': 'dict',
  '<': 'set',
  '>': 'frozenset',
  c: 'code',
  r: 'ref',
  ':': 'slice',
};

function marshalTypeName(code: number): string {
  return typeNames[String.fromCharCode(code & ~FLAG_REF)] ?? `unknown type 0x${code.toString(16)}`;
}

/** The parts of a `(file, line, name)` key read by `MarshalReader.keyInto`, with the back-reference slots they came from. */
export interface KeyParts {
  /**
   * The file, or null when it is ASCII held in the data: the bytes from `fileStart`, `fileLength`
   * long; or, with `fileStart` -1, when it came by back-reference: see `stringInto`.
   */
  file: string | null;
  fileStart: number;
  fileLength: number;
  /** The slot the file string was stored in or read from, or -1. */
  fileSlot: number;
  line: number;
  /** Like `file`. */
  name: string | null;
  nameStart: number;
  nameLength: number;
  nameSlot: number;
  /** The slot the tuple itself was stored in, or -1. */
  tupleSlot: number;
}

/** Places in the data, each with the back-reference slot and interned string that come next from it. */
export class ReaderMarks {
  readonly pos: GrowableArray<Int32Array>;
  readonly slot: GrowableArray<Int32Array>;
  readonly interned: GrowableArray<Int32Array>;

  constructor(capacity: number) {
    this.pos = new GrowableArray(ints, capacity);
    this.slot = new GrowableArray(ints, capacity);
    this.interned = new GrowableArray(ints, capacity);
  }

  get length(): number {
    return this.pos.length;
  }
}

/**
 * What a back-reference slot holds for a key tuple `keyInto` read: its reader keeps what it made of
 * the tuple by slot, so no array is made and kept for each of a profile's functions.
 */
const KEY_TUPLE = new MarshalOther('tuple');

export class MarshalReader {
  pos = 0;
  private readonly view: DataView;
  /**
   * Objects written with FLAG_REF (marshal ≥ 3), for `r` back-references, by slot. A slot
   * `skipDict` passed over holds nothing until a reference needs it: its object is then read
   * where it starts.
   */
  private readonly refs: (MarshalValue | undefined)[] = [];
  /** Where the object of each slot starts. */
  private refAt: Int32Array;
  /** Slots known: one for each object with FLAG_REF up to the furthest point read or skipped. */
  private slots = 0;
  /** The slot of the next object with FLAG_REF from `pos` on. */
  private nextSlot = 0;
  /** Interned strings of marshal ≤ 2 (Python 2), for `R` references; like `refs`, read when needed. */
  private readonly interned: (string | undefined)[] = [];
  private internedAt = new Int32Array(1024);
  private internedCount = 0;
  /** The index of the next interned string from `pos` on, or -1 while reading a slot's object out of order. */
  private nextInterned = 0;
  private depth = 0;
  /** Whether the last error was the data ending before what it began. */
  private ranOut = false;
  /** How code objects in this data are laid out, once one has been read. */
  private codeLayout: CodeLayout | null = null;
  /** Values left in each container `skipDict` is inside: a count, or DICT_KEY / DICT_VALUE. */
  private skipLeft = new Int32Array(MAX_DEPTH + 1);
  /** 1 for each back-reference slot that holds a string. */
  private stringSlots: Uint8Array;
  /** The string `stringItem` read last: its text, or null when it is ASCII from `itemStart`, `itemLength` long. */
  private itemText: string | null = null;
  private itemStart = 0;
  private itemLength = 0;
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
    this.refAt = new Int32Array(slotsFor(bytes.length));
    this.stringSlots = new Uint8Array(slotsFor(bytes.length));
  }

  get atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** The slot of an object with FLAG_REF that starts at `at`, noting where it starts the first time it is met. */
  private newSlot(at: number): number {
    const slot = this.nextSlot++;
    if (slot === this.slots) {
      if (slot === this.refAt.length) this.refAt = grown(this.refAt);
      this.refAt[slot] = at;
      this.slots++;
      // Kept dense: an array written far past its end becomes a slow dictionary.
      if (slot === this.refs.length) this.refs.push(undefined);
    }
    return slot;
  }

  /** The object of a slot before `nextSlot`, read where it starts if it was skipped. */
  private refValue(slot: number): MarshalValue {
    const v = this.refs[slot];
    if (v !== undefined) return v;
    // Most are names (short ASCII strings) and small ints: read here without moving the reader.
    const b = this.bytes,
      at = this.refAt[slot],
      type = b[at] & ~FLAG_REF;
    if ((type === 0x7a || type === 0x5a) && at + 2 + b[at + 1] <= b.length) {
      return (this.refs[slot] = this.textAt(at + 2, b[at + 1], true));
    }
    if (type === 0x69 && at + 5 <= b.length) return (this.refs[slot] = this.view.getInt32(at + 1, true));
    if (type === 0x67 && at + 9 <= b.length) return (this.refs[slot] = this.view.getFloat64(at + 1, true));
    return this.readSkipped(slot);
  }

  private readSkipped(slot: number): MarshalValue {
    const { pos, nextSlot, nextInterned, lastRef } = this;
    this.pos = this.refAt[slot];
    this.nextSlot = slot;
    this.nextInterned = -1;
    try {
      return this.read();
    } finally {
      this.pos = pos;
      this.nextSlot = nextSlot;
      this.nextInterned = nextInterned;
      this.lastRef = lastRef;
    }
  }

  /** Notes an interned string (`t`) that starts at `at`, with its text when it was read. */
  private noteInterned(at: number, text?: string): void {
    if (this.nextInterned < 0) return;
    const i = this.nextInterned++;
    if (i === this.internedCount) {
      if (i === this.internedAt.length) this.internedAt = grown(this.internedAt);
      this.internedAt[i] = at;
      this.internedCount++;
    }
    if (text !== undefined) this.interned[i] = text;
  }

  private internedText(i: number): string {
    const known = this.interned[i];
    if (known !== undefined) return known;
    const pos = this.pos,
      at = this.internedAt[i];
    this.pos = at + 1;
    try {
      return (this.interned[i] = this.text(this.length(1, at), false));
    } finally {
      this.pos = pos;
    }
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
      slot = this.newSlot(start);
      this.refs[slot] = null;
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
   * to a number (one before them, read where it is if it was skipped, or one of these `n` stored
   * with FLAG_REF); otherwise -1.
   */
  private numbersEnd(at: number, n: number): number {
    const b = this.bytes;
    let slots = this.nextSlot;
    for (let i = 0; i < n && at < b.length; i++) {
      const code = b[at];
      if ((code & ~FLAG_REF) === 0x69 || (code & ~FLAG_REF) === 0x67) {
        if (code & FLAG_REF) slots++;
        at += code === 0x69 || code === 0xe9 ? 5 : 9;
      } else if (code === 0x72 && at + 5 <= b.length) {
        const ref = this.view.getInt32(at + 1, true);
        if (ref < 0 || ref >= slots || (ref < this.nextSlot && typeof this.refValue(ref) !== 'number')) return -1;
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
        out[i] = this.refValue(this.view.getInt32(at + 1, true)) as number;
        this.sawPython3Codes = true;
        at += 5;
        continue;
      }
      if (code & FLAG_REF) this.sawPython3Codes = true;
      const slot = code & FLAG_REF ? this.newSlot(at) : -1;
      if ((code & ~FLAG_REF) === 0x69) {
        out[i] = this.view.getInt32(at + 1, true);
        at += 5;
      } else {
        out[i] = this.view.getFloat64(at + 1, true);
        at += 9;
      }
      if (slot >= 0) this.refs[slot] = out[i];
    }
  }

  /**
   * When the next value is a 3-tuple of a string, an int and a string (each maybe a
   * back-reference), reads it into `out` without making the tuple and returns true; otherwise
   * returns false with the reader where it was (what it read of the tuple's items stays known by
   * slot, as reading them again would make them). This is the shape of every function key the
   * `profile` modules write.
   */
  keyInto(out: KeyParts): boolean {
    const b = this.bytes;
    const start = this.pos,
      { slots, nextSlot, internedCount, nextInterned } = this;
    const code = b[start];
    let at: number;
    if ((code & ~FLAG_REF) === 0x29 && b[start + 1] === 3) at = start + 2;
    else if ((code & ~FLAG_REF) === 0x28 && start + 5 <= b.length && this.view.getInt32(start + 1, true) === 3)
      at = start + 5;
    else return false;
    out.tupleSlot = -1;
    if (code & FLAG_REF) {
      out.tupleSlot = this.newSlot(start);
      this.refs[out.tupleSlot] = KEY_TUPLE;
    }
    this.pos = at;
    if (this.stringItem()) {
      out.file = this.itemText;
      out.fileStart = this.itemStart;
      out.fileLength = this.itemLength;
      out.fileSlot = this.lastRef;
      if (this.numberItem(out)) {
        if (this.stringItem()) {
          out.name = this.itemText;
          out.nameStart = this.itemStart;
          out.nameLength = this.itemLength;
          out.nameSlot = this.lastRef;
          this.lastRef = out.tupleSlot;
          if (code & FLAG_REF || code === 0x29) this.sawPython3Codes = true;
          return true;
        }
      }
    }
    this.pos = start;
    // The tuple is not a key: its slot holds the tuple itself once something reads it.
    if (out.tupleSlot >= 0) this.refs[out.tupleSlot] = undefined;
    this.slots = slots;
    this.nextSlot = nextSlot;
    this.internedCount = internedCount;
    this.nextInterned = nextInterned;
    return false;
  }

  /**
   * When the next value is a back-reference to a tuple that was skipped, reads that tuple where it
   * is as `keyInto` does and passes over the reference; otherwise reads nothing and returns false.
   */
  keyAtRefInto(out: KeyParts): boolean {
    const slot = this.peekRef();
    if (slot < 0 || slot >= this.nextSlot || this.refs[slot] !== undefined) return false;
    const { pos, nextSlot, nextInterned } = this;
    this.pos = this.refAt[slot];
    this.nextSlot = slot;
    this.nextInterned = -1;
    const read = this.keyInto(out);
    this.pos = pos;
    this.nextSlot = nextSlot;
    this.nextInterned = nextInterned;
    if (read) this.skipRef();
    return read;
  }

  /**
   * Reads a string or a back-reference to one, its slot in `lastRef`: an ASCII one (z, Z, a, A)
   * as the range of its bytes, with no string made; a back-reference as -1 for its start; any
   * other as `itemText`. False (position unknown) for anything else.
   */
  private stringItem(): boolean {
    const b = this.bytes;
    const at = this.pos;
    if (at >= b.length) return false;
    const code = b[at];
    if (code === 0x72) {
      if (at + 5 > b.length) return false;
      const slot = this.view.getInt32(at + 1, true);
      if (slot < 0 || slot >= this.nextSlot || slot >= this.stringSlots.length || this.stringSlots[slot] === 0)
        return false;
      this.pos = at + 5;
      this.lastRef = slot;
      this.sawPython3Codes = true;
      this.itemText = null;
      this.itemStart = -1;
      return true;
    }
    if (code === 0x52) {
      if (at + 5 > b.length) return false;
      const i = this.view.getInt32(at + 1, true);
      if (i < 0 || i >= this.internedCount) return false;
      this.pos = at + 5;
      this.lastRef = -1;
      this.itemText = this.internedText(i);
      return true;
    }
    if (this.asciiRange(at)) {
      this.lastRef = -1;
      if (code & FLAG_REF) {
        this.lastRef = this.newSlot(at);
        this.markString(this.lastRef);
      }
      this.sawPython3Codes = true;
      this.pos = this.itemStart + this.itemLength;
      this.itemText = null;
      return true;
    }
    const type = code & ~FLAG_REF;
    if (type !== 0x75 && type !== 0x73 && type !== 0x74) return false;
    const v = this.read();
    if (typeof v !== 'string') return false;
    this.itemText = v;
    return true;
  }

  /** The string in a back-reference slot that `keyInto` reported, into `out` as `KeyParts` has it. */
  stringInto(slot: number, out: NameText): void {
    const known = this.refs[slot];
    if (typeof known !== 'string' && this.asciiRange(this.refAt[slot])) {
      out.name = null;
      out.nameStart = this.itemStart;
      out.nameLength = this.itemLength;
    } else {
      out.name = typeof known === 'string' ? known : (this.refValue(slot) as string);
    }
  }

  /** Whether the object at `at` is an ASCII string (z, Z, a, A) whole in the data: its bytes' range in `itemStart`, `itemLength`. */
  private asciiRange(at: number): boolean {
    const b = this.bytes,
      type = b[at] & ~FLAG_REF;
    let start: number, n: number;
    if (type === 0x7a || type === 0x5a) {
      start = at + 2;
      n = start <= b.length ? b[at + 1] : -1;
    } else if (type === 0x61 || type === 0x41) {
      start = at + 5;
      n = start <= b.length ? this.view.getInt32(at + 1, true) : -1;
    } else {
      return false;
    }
    if (n < 0 || start + n > b.length) return false;
    this.itemStart = start;
    this.itemLength = n;
    return true;
  }

  /** The `n` bytes at `start`, which a string of type z, Z, a or A holds, as text. */
  asciiText(start: number, n: number): string {
    return this.textAt(start, n, true);
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
        this.refs[this.newSlot(at)] = out.line;
        this.sawPython3Codes = true;
      }
      return true;
    }
    if (code === 0x72 && at + 5 <= b.length) {
      const slot = this.view.getInt32(at + 1, true);
      const v = slot >= 0 && slot < this.nextSlot ? this.refValue(slot) : undefined;
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
      this.refs[this.newSlot(start)] = null;
    }
  }

  /** Reads a tuple's opening, checking its length, so that its items can be read one by one. */
  openTuple(length: number, what: string): void {
    const start = this.pos;
    this.need(1);
    const code = this.bytes[this.pos++];
    const type = code & ~FLAG_REF;
    let n: number;
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
      this.refs[this.newSlot(start)] = null;
    }
  }

  /** True (and consumes the end marker) when the dict being walked has no more entries. */
  atDictEnd(): boolean {
    if (this.peekType() !== 0x30) return false;
    this.pos++;
    return true;
  }

  /** Notes where the reader is: a place to come back to with `seek`, to read what was skipped. */
  markIn(marks: ReaderMarks): void {
    marks.pos.push(this.pos);
    marks.slot.push(this.nextSlot);
    marks.interned.push(this.nextInterned);
  }

  seek(marks: ReaderMarks, i: number): void {
    this.pos = marks.pos.get(i);
    this.nextSlot = marks.slot.get(i);
    this.nextInterned = marks.interned.get(i);
  }

  /**
   * Passes over the next value, a dict, without making it: checked only for being whole marshal
   * data, each object in it with FLAG_REF (and each interned string) noted where it starts, so
   * that later references to them read them then.
   */
  skipDict(what: string): void {
    const start = this.pos;
    this.need(1);
    if ((this.bytes[start] & ~FLAG_REF) !== 0x7b) {
      throw new ProfileError(`${what} should be a dict but is a ${marshalTypeName(this.bytes[start])}`, start);
    }
    const left = this.skipLeft,
      b = this.bytes,
      view = this.view,
      end = b.length;
    let depth = 0,
      pos = start,
      python3 = false;
    left[0] = 1;
    for (;;) {
      let done = depth;
      const code = pos < end ? b[pos] : -1;
      // The values callers dicts are made of, passed over here; anything else by skipHeader.
      if (code === 0x30 && left[depth] === DICT_KEY) {
        pos++;
        done = depth - 1;
      } else if (code === 0x69 && pos + 5 <= end) {
        pos += 5;
      } else if (code === 0x67 && pos + 9 <= end) {
        pos += 9;
      } else if (code === 0x72 && pos + 5 <= end && view.getInt32(pos + 1, true) >>> 0 < this.nextSlot) {
        pos += 5;
        python3 = true;
      } else if ((code === 0x5a || code === 0xda) && pos + 2 <= end && pos + 2 + b[pos + 1] <= end) {
        if (code === 0xda) this.markString(this.newSlot(pos));
        pos += 2 + b[pos + 1];
        python3 = true;
      } else if ((code === 0x29 || code === 0xa9) && pos + 2 <= end && b[pos + 1] > 0 && depth < MAX_DEPTH) {
        if (code === 0xa9) this.newSlot(pos);
        left[++depth] = b[pos + 1];
        pos += 2;
        python3 = true;
        continue;
      } else {
        this.pos = pos;
        const items = this.skipHeader();
        pos = this.pos;
        if (items !== 0) {
          if (depth === MAX_DEPTH) throw new ProfileError(`marshal data nested deeper than ${MAX_DEPTH} levels`, start);
          left[++depth] = items;
          continue;
        }
      }
      // A value at level `done` is over: count it, closing the containers it completes.
      for (;;) {
        const l = left[done];
        if (l === DICT_KEY || l === DICT_VALUE) {
          left[done] = l === DICT_KEY ? DICT_VALUE : DICT_KEY;
          break;
        }
        if (l > 1) {
          left[done] = l - 1;
          break;
        }
        if (done === 0) {
          this.pos = pos;
          if (python3) this.sawPython3Codes = true;
          return;
        }
        done--;
      }
      depth = done;
    }
  }

  /**
   * Passes over one value when it has no items, or over the opening of a container: returns 0,
   * the container's number of items, or DICT_KEY for a dict.
   */
  private skipHeader(): number {
    const start = this.pos;
    this.need(1);
    const code = this.bytes[this.pos++];
    const type = code & ~FLAG_REF;
    if (code & FLAG_REF || PYTHON3_ONLY.has(type)) this.sawPython3Codes = true;
    const slot = code & FLAG_REF ? this.newSlot(start) : -1;
    let items = 0;
    switch (type) {
      case 0x4e:
      case 0x46:
      case 0x54:
      case 0x53:
      case 0x2e:
        break;
      case 0x69 /* i */:
        this.advance(4);
        break;
      case 0x49 /* I */:
      case 0x67 /* g */:
        this.advance(8);
        break;
      case 0x79 /* y */:
        this.advance(16);
        break;
      case 0x6c /* l */: {
        const n = Math.abs(this.int32());
        if (n * 2 > this.bytes.length - this.pos)
          throw new ProfileError(`invalid long of ${n} digits: only ${this.bytes.length - this.pos} bytes left`, start);
        this.pos += n * 2;
        break;
      }
      case 0x66 /* f */:
        this.skipShort();
        break;
      case 0x78 /* x */:
        this.skipShort();
        this.skipShort();
        break;
      case 0x73:
      case 0x75:
      case 0x61:
      case 0x41:
      case 0x74:
        this.advance(this.length(1, start));
        if (type === 0x74) this.noteInterned(start);
        if (slot >= 0) this.markString(slot);
        break;
      case 0x7a:
      case 0x5a:
        this.skipShort();
        if (slot >= 0) this.markString(slot);
        break;
      case 0x52 /* R */: {
        const i = this.int32();
        if (i < 0 || i >= this.internedCount)
          throw new ProfileError(`string reference ${i} to an undefined string`, start);
        break;
      }
      case 0x72 /* r */: {
        const i = this.int32();
        if (i < 0 || i >= this.nextSlot) throw new ProfileError(`back-reference ${i} to an undefined object`, start);
        break;
      }
      case 0x28:
      case 0x5b:
      case 0x3c:
      case 0x3e:
        items = this.length(1, start);
        break;
      case 0x29:
        this.need(1);
        items = this.bytes[this.pos++];
        break;
      case 0x7b:
        items = DICT_KEY;
        break;
      case 0x63 /* c */: {
        // Read, not passed over: its layout is known only by reading its fields.
        const code = this.code();
        if (slot >= 0) this.refs[slot] = code;
        break;
      }
      case 0x30:
        throw new ProfileError('unexpected end-of-dict marker', start);
      default:
        throw new ProfileError(`${marshalTypeName(type)} is not part of a pstats file`, start);
    }
    return items;
  }

  private advance(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** Passes over a length byte and that many bytes. */
  private skipShort(): void {
    this.need(1);
    this.advance(this.bytes[this.pos++]);
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) {
      this.ranOut = true;
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
      this.ranOut = n >= 0;
      throw new ProfileError(`invalid length ${n}: only ${this.bytes.length - this.pos} bytes left`, at);
    }
    return n;
  }

  private text(n: number, ascii: boolean): string {
    this.need(n);
    const start = this.pos;
    this.pos += n;
    return this.textAt(start, n, ascii);
  }

  /** The `n` bytes at `start` as text: UTF-8, or known to be ASCII. */
  private textAt(start: number, n: number, ascii: boolean): string {
    const b = this.bytes;
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
      case 0x4e /* N */:
        return null;
      case 0x46 /* F */:
        return false;
      case 0x54 /* T */:
        return true;
      case 0x53 /* S */:
        return new MarshalOther('StopIteration');
      case 0x2e /* . */:
        return new MarshalOther('Ellipsis');
      case 0x69 /* i */:
        return this.int32();
      case 0x49 /* I */: {
        this.need(8);
        const v = this.view.getBigInt64(this.pos, true);
        this.pos += 8;
        return narrow(v);
      }
      case 0x6c /* l */:
        return this.long(start);
      case 0x67 /* g */: {
        this.need(8);
        const v = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return v;
      }
      case 0x66 /* f */:
        return this.textFloat(start);
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
        this.noteInterned(start, s);
        return s;
      }
      case 0x7a /* z */:
      case 0x5a /* Z */: {
        this.need(1);
        return this.text(this.bytes[this.pos++], true);
      }
      case 0x52 /* R */: {
        const i = this.int32();
        if (i < 0 || i >= this.internedCount) {
          throw new ProfileError(`string reference ${i} to an undefined string`, start);
        }
        return this.internedText(i);
      }
      case 0x72 /* r */: {
        const i = this.int32();
        if (i < 0 || i >= this.nextSlot) {
          throw new ProfileError(`back-reference ${i} to an undefined object`, start);
        }
        return this.refValue(i);
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
      case 0x63 /* c */:
        return this.code();
      case 0x3a /* : */:
        // Python 3.14+ writes a slice constant of a code object as its start, stop and step.
        this.items(3);
        return new MarshalOther('slice');
      case 0x30 /* 0 */:
        throw new ProfileError('unexpected end-of-dict marker', start);
      default:
        throw new ProfileError(`${marshalTypeName(type)} is not part of a pstats file`, start);
    }
  }

  /** A code object from after its type code, in the layout of the data's other code objects. */
  private code(): MarshalCode {
    if (this.codeLayout) return this.codeIn(this.codeLayout);
    // The first code object is met in file order (what is referred back to was read or passed
    // over before), so the slots and interned strings a failed layout took are all new ones.
    const { pos, slots, nextSlot, internedCount, nextInterned, depth, sawPython3Codes } = this;
    let furthest: ProfileError | undefined,
      furthestAt = -1;
    for (const layout of CODE_LAYOUTS) {
      this.codeLayout = layout;
      this.ranOut = false;
      try {
        return this.codeIn(layout);
      } catch (e) {
        if (!(e instanceof ProfileError)) throw e;
        // The layout that read furthest is the likeliest, and its error the one worth telling;
        // one that ran out of data before all others: in a truncated file the right one does.
        const reach = this.pos + (this.ranOut ? this.bytes.length : 0);
        if (reach > furthestAt) {
          furthestAt = reach;
          furthest = e;
        }
      }
      for (let slot = slots; slot < this.slots; slot++) {
        this.refs[slot] = undefined;
        if (slot < this.stringSlots.length) this.stringSlots[slot] = 0;
      }
      this.interned.length = Math.min(this.interned.length, internedCount);
      this.pos = pos;
      this.slots = slots;
      this.nextSlot = nextSlot;
      this.internedCount = internedCount;
      this.nextInterned = nextInterned;
      this.depth = depth;
      this.sawPython3Codes = sawPython3Codes;
    }
    this.codeLayout = null;
    throw furthest!;
  }

  private codeIn(layout: CodeLayout): MarshalCode {
    for (let i = 0; i < layout.ints; i++) this.int32();
    let file = '',
      name = '',
      line = 0;
    for (const kind of layout.fields) {
      const at = this.pos;
      if (kind === 'L') {
        line = this.int32();
        continue;
      }
      const v = this.read();
      if (kind === 't' ? !Array.isArray(v) : typeof v !== 'string') {
        throw new ProfileError(
          `a code object field should be a ${kind === 't' ? 'tuple' : 'string'} but is a ${marshalTypeName(this.bytes[at])}`,
          at,
        );
      }
      if (kind === 'f') file = v as string;
      else if (kind === 'n') name = v as string;
    }
    if (layout.python2) {
      name = name.slice(0, 100);
      file = file.slice(0, 300);
    }
    // As `repr` writes it, where a first line of 0 is shown as -1.
    return new MarshalCode(`<code object ${name}, file "${file}", line ${line === 0 ? -1 : line}>`);
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
