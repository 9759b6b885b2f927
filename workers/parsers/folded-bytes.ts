/**
 * The fast path for plain folded stacks (`frame;…;frame COUNT`): lines are cut from the bytes and
 * frames are looked up by their bytes, so a frame seen before costs no decoded string and no Map
 * lookup. Only a line of plain ASCII `stack COUNT` with an integer count is read here; any other
 * line is decoded and handed to the text reader, so that every line means exactly what it means
 * there (UTF-8 decoding restarts cleanly at each line feed, which is ASCII).
 */
import { grown } from '../builders';
import { MAX_FRAME_CHARS, MAX_STACK_FRAMES, type StackCollector } from './folded';
import { splitColonFrame } from './frames';
import { LineSplitter, MAX_LINE_CHARS, deliverLine } from './line-splitter';

/** Where the lines this path does not read go: the text reader, with their 1-based numbers. */
export interface TextLines {
  /** A whole non-blank line without its line ending. */
  line(text: string, lineNo: number): void;
  /** A line too long to be read. */
  overlong(lineNo: number): void;
}

const LF = 10, CR = 13, TAB = 9, SPACE = 32, DOT = 46, SEMICOLON = 59, OPEN_PAREN = 40, ZERO = 48, NINE = 57;
/** Longer counts could pass 2^53; they are read as text. */
const MAX_FAST_DIGITS = 15;
/** A line that grows longer is decoded as it arrives, as text, rather than held as bytes. */
const LONG_LINE_BYTES = 1 << 20;
const FNV_OFFSET = 0x811c9dc5, FNV_PRIME = 0x01000193;

/** Decodes lines and labels; a byte-order mark inside the file is text, not a mark. */
const utf8 = () => new TextDecoder('utf-8', { ignoreBOM: true });
const decoder = utf8();

const isDigit = (c: number) => c >= ZERO && c <= NINE;
const isSpace = (c: number) => c === SPACE || (c >= TAB && c <= CR);

/**
 * A hash of the label `bytes[start, end)` (also seen through `view`) from its length and a few of
 * its 4-byte groups, so that a frame's bytes are read only to find its end and to compare it with
 * the one its hash finds. Frames share long prefixes (their paths), so the groups are taken
 * mostly from the end.
 */
function frameHash(bytes: Uint8Array, view: DataView, start: number, end: number): number {
  const n = end - start;
  let h = Math.imul(FNV_OFFSET ^ n, FNV_PRIME);
  if (n < 4) {
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], FNV_PRIME);
  } else {
    h = Math.imul(h ^ view.getInt32(end - 4, true), FNV_PRIME);
    h = Math.imul(h ^ view.getInt32(start + ((n - 4) >> 1), true), FNV_PRIME);
    if (n >= 8) h = Math.imul(h ^ view.getInt32(end - 8, true), FNV_PRIME);
    if (n >= 12) h = Math.imul(h ^ view.getInt32(end - 12, true), FNV_PRIME);
  }
  return h ^ (h >>> 16);
}

/**
 * Where the first `;` at or after `i` and before `end` in `bytes` (also seen through `view`) is,
 * or `end`. Eight bytes at a time: a byte of `w ^ 0x3b3b3b3b` is zero exactly where `w` holds a
 * `;`, and `(x - 0x01010101) & ~x & 0x80808080` is non-zero exactly when `x` has a zero byte.
 * Frames are short: this costs less than a call of the platform's search for each.
 */
function semicolonAt(bytes: Uint8Array, view: DataView, i: number, end: number): number {
  for (; i + 8 <= end; i += 8) {
    const ws = view.getInt32(i, true) ^ 0x3b3b3b3b, vs = view.getInt32(i + 4, true) ^ 0x3b3b3b3b;
    if ((((ws - 0x01010101) & ~ws) | ((vs - 0x01010101) & ~vs)) & 0x80808080) break;
  }
  for (; i < end; i++) if (bytes[i] === SEMICOLON) return i;
  return end;
}

/** Whether `bytes[start, end)` are all ASCII. */
function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  let high = 0;
  for (let i = start; i < end; i++) high |= bytes[i];
  return high < 0x80;
}

/** Frame ids by the bytes of their label, hashed and compared where they lie in the line. */
class FrameBytes {
  private arena = new Uint8Array(1 << 16);
  private arenaView = new DataView(this.arena.buffer);
  private used = 0;
  private offsets = new Int32Array(256);
  private lengths = new Int32Array(256);
  private hashes = new Int32Array(256);
  private ids = new Int32Array(256);
  private count = 0;
  /** Entries by hash, -1 where empty; kept at most half full. */
  private slots = new Int32Array(1024).fill(-1);

  /** The id of the label `bytes[start, end)` (also seen through `view`), whose `frameHash` is `hash`, or -1. */
  find(bytes: Uint8Array, view: DataView, start: number, end: number, hash: number): number {
    const slots = this.slots, mask = slots.length - 1, n = end - start;
    for (let at = hash & mask, e = slots[at]; e >= 0; at = (at + 1) & mask, e = slots[at]) {
      if (this.hashes[e] === hash && this.lengths[e] === n && this.same(this.offsets[e], bytes, view, start, n)) return this.ids[e];
    }
    return -1;
  }

  /** Whether the `n` bytes kept at `offset` are `bytes[start, start + n)`, compared four at a time. */
  private same(offset: number, bytes: Uint8Array, view: DataView, start: number, n: number): boolean {
    const kept = this.arenaView, arena = this.arena;
    let i = 0;
    for (; i + 4 <= n; i += 4) if (kept.getInt32(offset + i, true) !== view.getInt32(start + i, true)) return false;
    for (; i < n; i++) if (arena[offset + i] !== bytes[start + i]) return false;
    return true;
  }

  add(bytes: Uint8Array, start: number, end: number, hash: number, id: number): void {
    const n = end - start;
    if (this.used + n > this.arena.length) {
      this.arena = grown(this.arena, this.used + n);
      this.arenaView = new DataView(this.arena.buffer);
    }
    this.arena.set(bytes.subarray(start, end), this.used);
    const e = this.count++;
    if (e === this.ids.length) {
      this.offsets = grown(this.offsets, e + 1);
      this.lengths = grown(this.lengths, e + 1);
      this.hashes = grown(this.hashes, e + 1);
      this.ids = grown(this.ids, e + 1);
    }
    this.offsets[e] = this.used;
    this.lengths[e] = n;
    this.hashes[e] = hash;
    this.ids[e] = id;
    this.used += n;
    if (2 * this.count <= this.slots.length) return this.place(e);
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let i = 0; i < this.count; i++) this.place(i);
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let at = this.hashes[e] & mask;
    while (this.slots[at] >= 0) at = (at + 1) & mask;
    this.slots[at] = e;
  }
}

/** Reads the lines of a plain folded stack file from its bytes, after the `lineNo` lines already read as text. */
export class FoldedByteLines {
  /** The start of a line whose end has not arrived yet. */
  private carry = new Uint8Array(1 << 16);
  private carryView = new DataView(this.carry.buffer);
  private carried = 0;
  /** The line being decoded as it arrives, once it has grown past LONG_LINE_BYTES. */
  private long: { splitter: LineSplitter; decoder: TextDecoder } | null = null;
  private readonly frames = new FrameBytes();

  constructor(
    private readonly collector: StackCollector,
    private readonly text: TextLines,
    private lineNo: number,
  ) {}

  push(chunk: Uint8Array): void {
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, start)) {
      if (this.long || this.carried > 0) {
        this.keep(chunk.subarray(start, lf));
        this.completeHeld();
      } else if (lf - start > LONG_LINE_BYTES) {
        this.lineNo++;
        const splitter = this.textSplitter(this.lineNo - 1);
        splitter.push(decoder.decode(chunk.subarray(start, lf)));
        splitter.end();
      } else {
        this.lineNo++;
        this.line(chunk, view, start, lf);
      }
      start = lf + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** Reads the last line when the file does not end with a line feed. */
  end(): void {
    if (this.long || this.carried > 0) this.completeHeld();
  }

  /** A splitter that reads one line as text, counting on from `linesBefore`. */
  private textSplitter(linesBefore: number): LineSplitter {
    return new LineSplitter((text, n) => this.text.line(text, n), (n) => this.text.overlong(n), MAX_LINE_CHARS, linesBefore);
  }

  /** Holds the start of a line until its end arrives; past LONG_LINE_BYTES it is decoded as it comes instead. */
  private keep(bytes: Uint8Array): void {
    if (!this.long && this.carried + bytes.length > LONG_LINE_BYTES) {
      this.long = { splitter: this.textSplitter(this.lineNo), decoder: utf8() };
      this.decodeLong(this.carry.subarray(0, this.carried));
      this.carried = 0;
    }
    if (this.long) return this.decodeLong(bytes);
    if (this.carried + bytes.length > this.carry.length) {
      this.carry = grown(this.carry, this.carried + bytes.length);
      this.carryView = new DataView(this.carry.buffer);
    }
    this.carry.set(bytes, this.carried);
    this.carried += bytes.length;
  }

  private decodeLong(bytes: Uint8Array): void {
    const long = this.long!;
    long.splitter.push(long.decoder.decode(bytes, { stream: true }));
  }

  /** Reads the line whose start was kept, now that it has ended. */
  private completeHeld(): void {
    this.lineNo++;
    if (this.long) {
      const { splitter, decoder } = this.long;
      splitter.push(decoder.decode());
      splitter.end();
      this.long = null;
    } else {
      this.line(this.carry, this.carryView, 0, this.carried);
      this.carried = 0;
    }
  }

  /** Line `this.lineNo` as text: the way every line this path does not read is read. */
  private asText(b: Uint8Array, s: number, e: number): void {
    deliverLine(decoder.decode(b.subarray(s, e)), this.lineNo, (text, n) => this.text.line(text, n));
  }

  /** Line `this.lineNo`, `b[s, lineEnd)` without its line feed; `view` sees the same bytes as `b`. */
  private line(b: Uint8Array, view: DataView, s: number, lineEnd: number): void {
    const e = lineEnd > s && b[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (e === s) return;
    if (b[s] <= SPACE || b[s] === OPEN_PAREN) return this.asText(b, s, lineEnd);
    let i = e;
    while (i > s && isDigit(b[i - 1])) i--;
    const countStart = i;
    if (countStart === e || e - countStart > MAX_FAST_DIGITS || countStart === s || b[countStart - 1] === DOT) {
      return this.asText(b, s, lineEnd);
    }
    while (i > s && isSpace(b[i - 1])) i--;
    if (i === countStart || i === s) return this.asText(b, s, lineEnd);
    const stackEnd = i;
    let weight = 0;
    for (let k = countStart; k < e; k++) weight = weight * 10 + (b[k] - ZERO);

    const c = this.collector;
    if (stackEnd - s >= MAX_STACK_FRAMES) {
      let frames = 1;
      for (let k = b.indexOf(SEMICOLON, s); k >= 0 && k < stackEnd; k = b.indexOf(SEMICOLON, k + 1)) frames++;
      if (frames > MAX_STACK_FRAMES) return c.oversize(this.lineNo, 'deep');
    }
    c.begin();
    for (let from = s; ; ) {
      const to = semicolonAt(b, view, from, stackEnd);
      // The limit is on characters: bytes count them only when they are ASCII.
      if (to - from > MAX_FRAME_CHARS) return isAscii(b, from, to) ? c.oversize(this.lineNo, 'frame') : this.asText(b, s, lineEnd);
      const hash = frameHash(b, view, from, to);
      let id = this.frames.find(b, view, from, to, hash);
      if (id < 0) {
        // Only ASCII labels are kept, so a label found is ASCII.
        if (!isAscii(b, from, to)) return this.asText(b, s, lineEnd);
        id = c.frameId(decoder.decode(b.subarray(from, to)), splitColonFrame);
        this.frames.add(b, from, to, hash, id);
      }
      c.pushId(id);
      if (to === stackEnd) break;
      from = to + 1;
    }
    c.commit(weight);
  }
}
