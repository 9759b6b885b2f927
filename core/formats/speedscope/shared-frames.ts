/**
 * speedscope's `shared.frames`, read element by element as the file arrives. A frame written as
 * samplers write it, `{"name": …, "file": …, "line": N, "col": …}` in any order with plain strings
 * and integers, is read from its bytes, its name and file found by their bytes; any other frame is
 * parsed as JSON and read from its value, to the same result.
 */
import { FrameKind, ProfileError } from '~/core/model/profile';
import { frameLabel, type StackProfileBuilder } from '../stack-profile';
import { isMadeUpFrame, kindOfName } from '../thread-frames';
import { ownNumber, ownString } from '../json/json-value';
import { ByteStrings, HASH_START, hashStep } from '../json/byte-strings';
import { AS_VALUE, NEED_MORE, isSpace, type ArrayReader } from '../json/json-split';

export interface Frames {
  /** Kiln's frame id of each shared frame. */
  ids: Int32Array;
  /** Whether each shared frame is a thread (py-spy `--threads` starts each thread's stacks with one). */
  thread: Uint8Array;
  /** Whether each is pyinstrument's `[self]`, its parent's own time: read as the parent's. */
  ownTime: Uint8Array;
}

const OWN_TIME = '[self]';

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COLON = 0x3a,
  COMMA = 0x2c,
  OPEN_BRACE = 0x7b,
  CLOSE_BRACE = 0x7d;

const NAME = 1,
  FILE = 2,
  LINE = 4,
  COL = 8;

/** Which of the four keys `b[from, to)` is, or 0. */
function keyAt(b: Uint8Array, from: number, to: number): number {
  const n = to - from;
  if (n === 4 && b[from] === 0x6e && b[from + 1] === 0x61 && b[from + 2] === 0x6d && b[from + 3] === 0x65) return NAME;
  if (n === 4 && b[from] === 0x66 && b[from + 1] === 0x69 && b[from + 2] === 0x6c && b[from + 3] === 0x65) return FILE;
  if (n === 4 && b[from] === 0x6c && b[from + 1] === 0x69 && b[from + 2] === 0x6e && b[from + 3] === 0x65) return LINE;
  if (n === 3 && b[from] === 0x63 && b[from + 1] === 0x6f && b[from + 2] === 0x6c) return COL;
  return 0;
}

/** The index of the closing quote of a plain string (no escapes, no control characters) opened at `b[i]`; AS_VALUE or NEED_MORE. */
function plainStringEnd(b: Uint8Array, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = b[j];
    if (c === QUOTE) return j;
    if (c === BACKSLASH || c < 0x20) return AS_VALUE;
  }
  return NEED_MORE;
}

const isNull = (b: Uint8Array, i: number) =>
  b[i] === 0x6e && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c;

export class SharedFrameReader implements ArrayReader {
  private readonly ids: number[] = [];
  private readonly thread: number[] = [];
  private readonly ownTime: number[] = [];
  private readonly byBytes: ByteStrings;
  private readonly emptyString: number;
  /** The parts of the frame `bytes` read. */
  private name = 0;
  private file = 0;
  private line = -1;
  /** Where in its bytes the frame `bytes` read has its name, file and line, as `LabelBytes.add` takes them. */
  private readonly parts = new Int32Array(6);
  /** The hash of the string `stringValueEnd` last found the end of, and the OR of its bytes. */
  private stringHash = 0;
  private stringBits = 0;

  constructor(private readonly b: StackProfileBuilder) {
    this.byBytes = new ByteStrings((text) => b.strings.intern(text));
    this.emptyString = b.strings.intern('');
  }

  /** `plainStringEnd`, hashing the string's bytes on the way into `stringHash` (a value's one pass over them). */
  private stringValueEnd(b: Uint8Array, i: number, end: number): number {
    let h = HASH_START,
      bits = 0;
    for (let j = i + 1; j < end; j++) {
      const c = b[j];
      if (c === QUOTE) {
        this.stringHash = h;
        this.stringBits = bits;
        return j;
      }
      if (c === BACKSLASH || c < 0x20) return AS_VALUE;
      h = hashStep(h, c);
      bits |= c;
    }
    return NEED_MORE;
  }

  bytes(b: Uint8Array, at: number, end: number): number {
    if (b[at] !== OPEN_BRACE) return AS_VALUE;
    let seen = 0;
    let nameFrom = 0,
      nameTo = 0,
      fileFrom = -1,
      fileTo = -1,
      line = -1,
      lineFrom = 0,
      lineTo = 0,
      nameHash = 0,
      fileHash = 0,
      bits = 0;
    let i = at + 1;
    for (;;) {
      while (i < end && isSpace(b[i])) i++;
      if (i >= end) return NEED_MORE;
      if (b[i] !== QUOTE) return AS_VALUE;
      const keyEnd = plainStringEnd(b, i, end);
      if (keyEnd < 0) return keyEnd;
      const key = keyAt(b, i + 1, keyEnd);
      if (key === 0 || seen & key) return AS_VALUE;
      seen |= key;
      i = keyEnd + 1;
      while (i < end && isSpace(b[i])) i++;
      if (i >= end) return NEED_MORE;
      if (b[i] !== COLON) return AS_VALUE;
      i++;
      while (i < end && isSpace(b[i])) i++;
      if (i + 4 > end) return NEED_MORE;
      if (key === NAME || key === FILE) {
        if (key === FILE && isNull(b, i)) i += 4;
        else {
          if (b[i] !== QUOTE) return AS_VALUE;
          const to = this.stringValueEnd(b, i, end);
          if (to < 0) return to;
          bits |= this.stringBits;
          if (key === NAME) {
            nameFrom = i + 1;
            nameTo = to;
            nameHash = this.stringHash;
          } else {
            fileFrom = i + 1;
            fileTo = to;
            fileHash = this.stringHash;
          }
          i = to + 1;
        }
      } else if (isNull(b, i)) i += 4;
      else {
        const first = i;
        let v = 0;
        while (i < end && b[i] >= 0x30 && b[i] <= 0x39) v = v * 10 + b[i++] - 0x30;
        const digits = i - first;
        if (i >= end) return NEED_MORE;
        if (digits === 0 || digits > 15 || (digits > 1 && b[first] === 0x30)) return AS_VALUE;
        if (key === LINE) {
          line = v;
          lineFrom = first;
          lineTo = i;
        }
      }
      while (i < end && isSpace(b[i])) i++;
      if (i >= end) return NEED_MORE;
      if (b[i] === COMMA) {
        i++;
        continue;
      }
      if (b[i] !== CLOSE_BRACE || !(seen & NAME)) return AS_VALUE;
      break;
    }
    this.name = this.byBytes.id(b, nameFrom, nameTo, nameHash);
    this.file = fileFrom < 0 ? this.emptyString : this.byBytes.id(b, fileFrom, fileTo, fileHash);
    this.line = line;
    const parts = this.parts;
    parts[0] = nameFrom;
    parts[1] = nameTo;
    parts[2] = fileFrom;
    parts[3] = fileTo;
    parts[4] = lineFrom;
    parts[5] = lineTo;
    this.add(bits < 0x80 ? b : null);
    return i + 1;
  }

  values(values: unknown[], first: number): void {
    for (let k = 0; k < values.length; k++) {
      const f = values[k];
      const name = ownString(f, 'name');
      if (name === undefined) throw new ProfileError(`speedscope frame ${first + k} has no name`);
      const line = ownNumber(f, 'line');
      this.name = this.b.strings.intern(name);
      this.file = this.b.strings.intern(ownString(f, 'file') ?? '');
      this.line = line !== undefined && Number.isInteger(line) && line >= 0 ? line : -1;
      this.add(null);
    }
  }

  /** Adds the frame read; a new one's label written from `from`'s bytes at `parts` when given (ASCII), else made as a string. */
  private add(from: Uint8Array | null): void {
    const b = this.b,
      text = b.strings.strings;
    const name = text[this.name],
      path = text[this.file];
    const kind = isMadeUpFrame(path, name) ? FrameKind.synthetic : path ? FrameKind.code : kindOfName(name);
    let id = b.findFrame(this.name, this.file, this.line, kind);
    if (id < 0) {
      const p = this.parts;
      const label = from
        ? b.labelBytes.add(from, p[0], p[1], p[2], p[3], p[4], p[5])
        : b.strings.append(frameLabel(name, path, this.line));
      id = b.addFrame(label, this.name, this.file, this.line, kind);
    }
    this.ids.push(id);
    this.thread.push(kind === FrameKind.thread ? 1 : 0);
    this.ownTime.push(name === OWN_TIME && !path ? 1 : 0);
  }

  frames(): Frames {
    return {
      ids: Int32Array.from(this.ids),
      thread: Uint8Array.from(this.thread),
      ownTime: Uint8Array.from(this.ownTime),
    };
  }
}
