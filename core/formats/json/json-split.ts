/**
 * Reads a JSON document as a stream of bytes, handing the elements of the arrays a reader asks for
 * to it as they arrive, and keeping the rest of the document (those arrays written `[]`) to parse
 * whole at the end: a profile's large arrays never become one text or one object graph, and its
 * bytes are let go chunk by chunk. Only the structure is scanned here (strings, nesting, keys);
 * what is not JSON is found by JSON.parse, of the elements or of the rest, and said with the byte
 * offset in the file where it is. Nesting is counted on a stack, never recursed into.
 */
import { ProfileError } from '~/core/model/profile';
import { decodeText } from './json-value';

/** Keys and indices from the document's root to a value. */
export type JsonPath = readonly (string | number)[];

/** What `ArrayReader.bytes` returns when it reads no element: read it as a JSON value instead. */
export const AS_VALUE = -1;
/** What `ArrayReader.bytes` returns when the bytes end before the element does. */
export const NEED_MORE = -2;

export interface ArrayReader {
  /**
   * Reads element `index`, whose first byte is `b[i]`, from its bytes when it is laid out as the
   * reader expects: returns the index past it, or AS_VALUE, or NEED_MORE (`b` ends at `end`). It
   * must not act on an element it does not read whole.
   */
  bytes?(b: Uint8Array, i: number, end: number, index: number): number;
  /**
   * Reads as many elements as it can from `b[i]` on (an element's first byte), as `bytes` reads
   * one, with the spaces and commas between them: a reader that reads many at a time. None read,
   * the element at `i` is read by `bytes` or as a value.
   */
  run?(b: Uint8Array, i: number, end: number): ElementRun;
  /** Elements parsed as JSON, in order; `first` is the index of `values[0]`. */
  values(values: unknown[], first: number): void;
}

/** What `ArrayReader.run` read: how many elements, and the index past the last. */
export interface ElementRun {
  count: number;
  next: number;
}

/** The reader of the array at `path`, or undefined to keep that array in the rest. */
export type ChooseArray = (path: JsonPath) => ArrayReader | undefined;

export interface SplitJson {
  /** The document with every array read by a reader written as `[]` (as far as it was). */
  rest: string;
  /** The arrays read by a reader that the document left open (it ends inside them), outermost first. */
  open: JsonPath[];
  /** The byte offset in the file of character `at` of `rest`. */
  fileOffset(at: number): number;
}

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c,
  OPEN_BRACE = 0x7b,
  CLOSE_BRACE = 0x7d,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d;

export const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Only arrays this near the root are offered to `choose`: the large arrays of a format are, and a path is not made at every depth of a deeply nested document. */
const CHOSEN_DEPTH = 5;

/** The least of a chunk copied after held bytes to end the value they start: most values are shorter. */
const MIN_TAKE = 1 << 10;

/** Elements parsed together at most this many bytes at a time. */
const BATCH_BYTES = 1 << 20;

/** The index past the closing quote of the string opened at `b[i]`, or -1 when `b` ends first. */
export function stringEnd(b: Uint8Array, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = b[j];
    if (c === QUOTE) return j + 1;
    if (c === BACKSLASH) j++;
  }
  return -1;
}

/** The index past the JSON value starting at `b[i]` (not space), or -1 when `b` ends first; nesting counted, not recursed. */
export function valueEnd(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i, end);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < end; j++) {
      const d = b[j];
      if (d === QUOTE) {
        j = stringEnd(b, j, end) - 1;
        if (j < 0) return -1;
      } else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if ((d === CLOSE_BRACE || d === CLOSE_BRACKET) && --depth === 0) return j + 1;
    }
    return -1;
  }
  // A number or a literal; one byte at least, so that a stray `}` is a value JSON.parse refuses.
  for (let j = i + 1; j < end; j++) {
    const d = b[j];
    if (d === COMMA || d === CLOSE_BRACKET || d === CLOSE_BRACE || isSpace(d)) return j;
  }
  return -1;
}

const utf8 = new TextDecoder('utf-8');

/**
 * JSON.parse of `text`, or a ProfileError naming `what` and the byte of the file where it stops
 * being JSON: where the engine says, else (for `element`) where the value starts.
 */
export function parseAt(text: string, what: string, fileOffset: (at: number) => number, element = false): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : 'not JSON';
    const at = /position (\d+)/.exec(message);
    const detail = message.replace(/^JSON\.parse: /, '').replace(/,? (in JSON )?at position \d+.*$/s, '');
    const where = at ? ` at byte ${fileOffset(Number(at[1]))}` : element ? ` at byte ${fileOffset(0)}` : '';
    throw new ProfileError(`this looks like ${what}, but it is not valid JSON${where}: ${detail}`);
  }
}

interface Level {
  array: boolean;
  /** An object's key of the value being read, an array's index of it. */
  key: string | number;
  /** An object: whether the next string is a key. */
  expectKey: boolean;
  reader?: ArrayReader;
}

/** Grows as bytes are appended; remembers where in the file each appended run came from. */
class RestBytes {
  bytes = new Uint8Array(1 << 12);
  length = 0;
  /** Pairs (offset here, offset in the file) where a run starts. */
  readonly runs: number[] = [];

  append(b: Uint8Array, from: number, to: number, fileAt: number): void {
    if (to <= from) return;
    const n = to - from;
    if (this.length + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.length + n));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(b.subarray(from, to), this.length);
    this.runs.push(this.length, fileAt);
    this.length += n;
  }

  fileOffset(byte: number): number {
    let k = 0;
    while (k + 2 < this.runs.length && this.runs[k + 2] <= byte) k += 2;
    return this.runs.length === 0 ? byte : this.runs[k + 1] + (byte - this.runs[k]);
  }
}

/** The key the string `b[from, to)` (quotes included) stands for. */
function keyOf(b: Uint8Array, from: number, to: number): string {
  let escaped = false;
  for (let j = from + 1; j < to - 1; j++) if (b[j] === BACKSLASH) escaped = true;
  if (!escaped) return utf8.decode(b.subarray(from + 1, to - 1));
  try {
    return JSON.parse(utf8.decode(b.subarray(from, to))) as string;
  } catch {
    // Not a string JSON reads: the rest's parse says where.
    return '';
  }
}

class Splitter {
  private readonly levels: Level[] = [];
  private readonly rest = new RestBytes();
  /** Elements of the innermost read array waiting to be parsed together: `b[batchFrom, batchTo)`, the first's index. */
  private batchFrom = -1;
  private batchTo = -1;
  private batchFirst = 0;
  private batchCount = 0;

  constructor(
    private readonly choose: ChooseArray,
    private readonly what: string,
  ) {}

  private path(): (string | number)[] {
    return this.levels.map((l) => l.key);
  }

  /**
   * Reads `b[0, end)`, whose first byte is byte `base` of the file, as far as whole values go;
   * returns where it stopped (the bytes from there are read again with the next chunk).
   */
  scan(b: Uint8Array, end: number, base: number): number {
    const levels = this.levels;
    /** Where the bytes not yet kept in the rest start; -1 inside an array read by a reader. */
    let copyFrom = levels.length > 0 && levels[levels.length - 1].reader ? -1 : 0;
    let i = 0;
    while (i < end) {
      const top = levels.length > 0 ? levels[levels.length - 1] : undefined;
      if (top?.reader) {
        const c = b[i];
        if (isSpace(c) || c === COMMA) {
          i++;
          continue;
        }
        if (c === CLOSE_BRACKET) {
          this.flush(b, base);
          levels.pop();
          copyFrom = i;
          i++;
          continue;
        }
        const index = top.key as number;
        if (top.reader.run) {
          if (this.batchCount > 0) this.flush(b, base);
          const run = top.reader.run(b, i, end);
          if (run.count > 0) {
            top.key = index + run.count;
            i = run.next;
            continue;
          }
        }
        let next = AS_VALUE;
        if (top.reader.bytes) {
          if (this.batchCount > 0) this.flush(b, base);
          next = top.reader.bytes(b, i, end, index);
        }
        if (next === AS_VALUE) {
          next = valueEnd(b, i, end);
          if (next < 0) next = NEED_MORE;
          else {
            if (this.batchCount === 0) {
              this.batchFrom = i;
              this.batchFirst = index;
            }
            this.batchTo = next;
            this.batchCount++;
            if (this.batchTo - this.batchFrom >= BATCH_BYTES) this.flush(b, base);
          }
        }
        if (next === NEED_MORE) {
          this.flush(b, base);
          return i;
        }
        top.key = index + 1;
        i = next;
        continue;
      }
      const c = b[i];
      if (c === QUOTE) {
        const to = stringEnd(b, i, end);
        if (to < 0) {
          this.rest.append(b, copyFrom, i, base + copyFrom);
          return i;
        }
        if (top && !top.array && top.expectKey) {
          top.key = keyOf(b, i, to);
          top.expectKey = false;
        }
        i = to;
        continue;
      }
      if (c === OPEN_BRACE) levels.push({ array: false, key: '', expectKey: true });
      else if (c === OPEN_BRACKET) {
        const reader = levels.length < CHOSEN_DEPTH ? this.choose(this.path()) : undefined;
        levels.push({ array: true, key: 0, expectKey: false, reader });
        if (reader) {
          this.rest.append(b, copyFrom, i + 1, base + copyFrom);
          copyFrom = -1;
          i++;
          continue;
        }
      } else if (c === COMMA) {
        if (top?.array) top.key = (top.key as number) + 1;
        else if (top) top.expectKey = true;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        levels.pop();
      }
      i++;
    }
    if (copyFrom >= 0) this.rest.append(b, copyFrom, end, base + copyFrom);
    this.flush(b, base);
    return end;
  }

  inArrayRead(): boolean {
    return this.levels.length > 0 && this.levels[this.levels.length - 1].reader !== undefined;
  }

  /** Bytes past the last whole value, at the end of the document: kept for the rest's parse to say where it stops. */
  keep(b: Uint8Array, from: number, to: number, fileAt: number): void {
    this.rest.append(b, from, to, fileAt);
  }

  private flush(b: Uint8Array, base: number): void {
    if (this.batchCount === 0) return;
    const reader = this.levels[this.levels.length - 1].reader!;
    const [from, to] = [this.batchFrom, this.batchTo];
    this.batchCount = 0;
    let values: unknown;
    try {
      values = JSON.parse(`[${utf8.decode(b.subarray(from, to))}]`);
    } catch {
      this.refuse(b, from, to, base);
    }
    reader.values(values as unknown[], this.batchFirst);
  }

  /** Parses the elements of a batch that is not JSON one by one, to say where the first that is not starts. */
  private refuse(b: Uint8Array, from: number, to: number, base: number): never {
    for (let i = from; i < to;) {
      while (i < to && (isSpace(b[i]) || b[i] === COMMA)) i++;
      const end = Math.max(valueEnd(b, i, to), i + 1);
      const text = utf8.decode(b.subarray(i, end));
      const start = i;
      parseAt(text, this.what, (at) => base + start + byteLength(text.slice(0, at)), true);
      i = end;
    }
    throw new ProfileError(`this looks like ${this.what}, but it is not valid JSON at byte ${base + from}`);
  }

  finish(utf16: boolean): SplitJson {
    const path = this.path();
    const open = this.levels.flatMap((l, k) => (l.reader ? [path.slice(0, k)] : []));
    const rest = this.rest;
    const bytes = rest.bytes.subarray(0, rest.length);
    const text = utf16 ? decodeText(bytes) : utf8.decode(bytes);
    return { rest: text, open, fileOffset: (at) => rest.fileOffset(byteLength(text.slice(0, at))) };
  }
}

const isUtf16 = (b: Uint8Array) => (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);

const byteLength = (s: string) => new TextEncoder().encode(s).length;

/** Takes a document's bytes chunk by chunk; a chunk that ends inside an element is kept until the element is whole. */
export class JsonSplit {
  private readonly splitter: Splitter;
  private held = new Uint8Array(0);
  private heldLength = 0;
  /** The file offset of `held[0]`. */
  private base = 0;
  /** After a stop inside an element, bytes are gathered until there are this many before scanning again. */
  private waitFor = 0;
  /** UTF-16 (marked so) is not scanned: it is all kept in the rest and decoded as what it is. */
  private utf16 = false;

  constructor(
    choose: ChooseArray,
    private readonly what: string,
  ) {
    this.splitter = new Splitter(choose, what);
  }

  push(chunk: Uint8Array): void {
    if (this.base === 0 && this.heldLength === 0 && !this.utf16) this.utf16 = isUtf16(chunk);
    if (this.utf16) {
      this.splitter.keep(chunk, 0, chunk.length, this.base);
      this.base += chunk.length;
      return;
    }
    let from = 0;
    // Bytes held from before: only as much of the chunk is copied after them as it takes to end
    // the value they start, and the chunk itself is scanned from there.
    while (this.heldLength > 0) {
      if (from === chunk.length) return;
      const held = this.heldLength;
      const take = Math.min(chunk.length - from, Math.max(this.waitFor - held, MIN_TAKE));
      this.hold(chunk.subarray(from, from + take));
      from += take;
      if (this.heldLength < this.waitFor) continue;
      const stop = this.splitter.scan(this.held, this.heldLength, this.base);
      this.base += stop;
      if (stop >= held) {
        from -= this.heldLength - stop;
        this.heldLength = 0;
        this.waitFor = 0;
        break;
      }
      this.held.copyWithin(0, stop, this.heldLength);
      this.heldLength -= stop;
      this.waitFor = 2 * this.heldLength;
    }
    const rest = from > 0 ? chunk.subarray(from) : chunk;
    if (rest.length < this.waitFor) {
      this.hold(rest);
      return;
    }
    const stop = this.splitter.scan(rest, rest.length, this.base);
    this.base += stop;
    this.hold(rest.subarray(stop));
    this.waitFor = 2 * this.heldLength;
  }

  private hold(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.heldLength + bytes.length > this.held.length) {
      const grown = new Uint8Array(Math.max(this.heldLength + bytes.length, 2 * this.held.length));
      grown.set(this.held.subarray(0, this.heldLength));
      this.held = grown;
    }
    this.held.set(bytes, this.heldLength);
    this.heldLength += bytes.length;
  }

  /** The rest, once the document has ended; a value it ends inside is kept in the rest for its parse to say so. */
  end(): SplitJson {
    if (this.heldLength > 0) {
      const stop = this.splitter.scan(this.held, this.heldLength, this.base);
      if (stop < this.heldLength && this.splitter.inArrayRead())
        throw new ProfileError(
          `this looks like ${this.what}, but it is not valid JSON at byte ${this.base + stop}: the file ends inside the value that starts there`,
        );
      this.splitter.keep(this.held, stop, this.heldLength, this.base + stop);
    }
    this.held = new Uint8Array(0);
    return this.splitter.finish(this.utf16);
  }
}

/** The document of `bytes` split as `JsonSplit` does. */
export function splitJsonBytes(bytes: Uint8Array, choose: ChooseArray, what: string): SplitJson {
  const split = new JsonSplit(choose, what);
  split.push(bytes);
  return split.end();
}

/** The document of `data` split as `JsonSplit` does, chunk by chunk as it arrives. */
export async function splitJson(
  data: ReadableStream<Uint8Array>,
  choose: ChooseArray,
  what: string,
): Promise<SplitJson> {
  const split = new JsonSplit(choose, what);
  const reader = data.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) split.push(r.value);
  return split.end();
}
