/**
 * Tachyon's binary recording (`python -m profiling.sampling … --binary`, magic "TACH"), as
 * CPython's InternalDocs/profiling_binary_format.md lays it out: a 64-byte header, the sample
 * records (one zstd frame when compressed), a string table, a frame table, an optional
 * statistics block and a 32-byte footer. Each record names its thread and gives its stack whole,
 * as a repeat of the thread's last one, or as that one with frames kept, popped and pushed;
 * timestamps are deltas per thread. Threads become root frames `tid:N`, frames are spelled as
 * Tachyon's collapsed stacks spell them, and each sample keeps its time and status bits.
 */
import { grown } from '~/core/model/builders';
import { FrameKind, ProfileError, type Profile } from '~/core/model/profile';
import { WHOLE_FILE_LIMITS } from '~/core/io/gunzip';
import { unzstd } from '~/core/io/unzstd';
import { MAX_STACK_FRAMES, StackCollector } from '../stacks/stack-collector';
import type { FrameParts } from '../stacks/frame-parts';
import { orderByTime } from './time-order';

export const HEADER_BYTES = 64;
const FOOTER_BYTES = 32;
const MAGIC = 0x54414348;
const MAGIC_SWAPPED = 0x48434154;
/** The smallest frame-table entry: six one-byte varints and the opcode byte. */
const MIN_FRAME_BYTES = 7;
/** The smallest record: thread, interpreter, encoding and a one-byte count or delta. */
const MIN_RECORD_BYTES = 14;

const REPEAT = 0,
  FULL = 1,
  SUFFIX = 2,
  POP_PUSH = 3;

/** Tachyon's own runner, which every Tachyon exporter leaves out of the stacks. */
const RUNNER_FILE = /(^|[/\\])profiling[/\\]sampling[/\\]_sync_coordinator\.py$/;

export { SampleStatus } from '~/core/model/profile';

export function looksLikeTachyonBinary(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const m = (head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24)) >>> 0;
  return m === MAGIC || m === MAGIC_SWAPPED;
}

/** Reads varints and fixed-width fields from `bytes`, refusing to read past `end`. */
class Cursor {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
    private readonly little: boolean,
    /** Offset of `bytes[0]` in the file, for messages; -1 when they are decompressed. */
    private readonly base: number,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  get left(): number {
    return this.end - this.pos;
  }

  fail(message: string): never {
    if (this.base < 0) throw new ProfileError(`${message} (at byte ${this.pos} of the decompressed ${this.what})`);
    throw new ProfileError(message, this.base + this.pos);
  }

  private need(n: number): void {
    if (this.pos + n > this.end) this.fail(`the ${this.what} ends inside a value`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, this.little);
    this.pos += 4;
    return v;
  }

  u64Text(): string {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, this.little);
    this.pos += 8;
    return v.toString();
  }

  varint(): number {
    let v = 0,
      scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
    return this.fail('a varint is longer than 8 bytes');
  }

  svarint(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}

interface Header {
  little: boolean;
  startUs: number;
  intervalUs: number;
  sampleCount: number;
  stringsAt: number;
  framesAt: number;
  compression: number;
}

function header(bytes: Uint8Array): Header {
  if (bytes.length < HEADER_BYTES + FOOTER_BYTES)
    throw new ProfileError('the file is too short for a Tachyon recording');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = view.getUint32(0, true) === MAGIC;
  if (!little && view.getUint32(0, false) !== MAGIC) throw new ProfileError('this is not a Tachyon recording');
  const version = view.getUint32(4, little);
  if (version !== 1) throw new ProfileError(`Tachyon binary version ${version} is not one Kiln reads (it reads 1)`, 4);
  const u64 = (at: number) => Number(view.getBigUint64(at, little));
  const h: Header = {
    little,
    startUs: u64(12),
    intervalUs: u64(20),
    sampleCount: u64(28),
    stringsAt: u64(40),
    framesAt: u64(48),
    compression: view.getUint32(56, little),
  };
  const footerAt = bytes.length - FOOTER_BYTES;
  if (!(h.stringsAt >= HEADER_BYTES && h.stringsAt <= h.framesAt && h.framesAt <= footerAt)) {
    throw new ProfileError('the string and frame tables are not where the header says', 40);
  }
  if (h.compression > 1) throw new ProfileError(`compression ${h.compression} is not one Tachyon writes`, 56);
  const fileSize = u64(footerAt + 8);
  if (fileSize !== bytes.length) {
    throw new ProfileError(
      `the file holds ${bytes.length} bytes, but its footer says ${fileSize}: it is cut or damaged`,
    );
  }
  return h;
}

/** The string table and the frame table, each frame as the collector's parts and label. */
function tables(bytes: Uint8Array, h: Header): { label: string[]; parts: (FrameParts | null)[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const footerAt = bytes.length - FOOTER_BYTES;
  const stringCount = view.getUint32(footerAt, h.little);
  const frameCount = view.getUint32(footerAt + 4, h.little);
  if (stringCount > h.framesAt - h.stringsAt)
    throw new ProfileError(`the footer counts ${stringCount} strings, more than their table can hold`, footerAt);
  if (frameCount * MIN_FRAME_BYTES > footerAt - h.framesAt)
    throw new ProfileError(`the footer counts ${frameCount} frames, more than their table can hold`, footerAt + 4);

  const utf8 = new TextDecoder();
  const s = new Cursor(bytes, h.stringsAt, h.framesAt, h.little, 0, 'string table');
  const strings: string[] = [];
  for (let i = 0; i < stringCount; i++) {
    const n = s.varint();
    if (n > s.left) s.fail(`string ${i} is longer than what is left of its table`);
    strings.push(utf8.decode(bytes.subarray(s.pos, s.pos + n)));
    s.pos += n;
  }
  const f = new Cursor(bytes, h.framesAt, footerAt, h.little, 0, 'frame table');
  const str = (what: string) => {
    const i = f.varint();
    if (i >= strings.length) f.fail(`${what} names string ${i}, but there are ${strings.length}`);
    return strings[i];
  };
  const label: string[] = [];
  const parts: (FrameParts | null)[] = [];
  for (let i = 0; i < frameCount; i++) {
    const file = str(`frame ${i}'s file`);
    const name = str(`frame ${i}'s function`);
    const line = f.svarint();
    f.svarint();
    f.svarint();
    f.svarint();
    f.u8();
    if (RUNNER_FILE.test(file)) {
      label.push('');
      parts.push(null);
    } else if (file === '~') {
      label.push(name);
      parts.push({ file, name, line: 0, kind: FrameKind.synthetic });
    } else {
      // Tachyon's exporters write an unknown line (-1) as 0.
      label.push(
        `${file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1)}:${name}:${Math.max(line, 0)}`,
      );
      parts.push({ file, name, line });
    }
  }
  return { label, parts };
}

interface ThreadState {
  /** Its place among the recording's threads, in order of first record. */
  ordinal: number;
  root: number;
  /** The last stack, innermost frame first, as frame-table indexes. */
  stack: Int32Array;
  depth: number;
  lastUs: number;
}

/** Each sample's time, leaf, status bits and thread, in file order, in arrays grown as needed. */
class Samples {
  count = 0;
  time: Float64Array;
  leaf: Int32Array;
  status: Uint8Array;
  thread: Int32Array;
  constructor(expected: number) {
    this.time = new Float64Array(expected);
    this.leaf = new Int32Array(expected);
    this.status = new Uint8Array(expected);
    this.thread = new Int32Array(expected);
  }
  /** Room for `n` more. */
  reserve(n: number): void {
    if (this.count + n <= this.time.length) return;
    const size = Math.max(this.count + n, this.time.length * 2, 1024);
    this.time = grown(this.time, size);
    this.leaf = grown(this.leaf, size);
    this.status = grown(this.status, size);
    this.thread = grown(this.thread, size);
  }
}

/** Reads a Tachyon binary recording. */
export async function parseTachyonBinary(bytes: Uint8Array, fileName: string): Promise<Profile> {
  const h = header(bytes);
  const { label, parts } = tables(bytes, h);
  const raw = bytes.subarray(HEADER_BYTES, h.stringsAt);
  const data = h.compression === 1 ? await unzstd(raw, WHOLE_FILE_LIMITS) : raw;
  const c = new StackCollector();
  const frameIds = new Int32Array(label.length).fill(-1);
  const idOf = (k: number): number => {
    if (frameIds[k] < 0) {
      const p = parts[k]!;
      frameIds[k] = c.frameId(label[k], () => p);
    }
    return frameIds[k];
  };

  const r = new Cursor(data, 0, data.length, h.little, h.compression === 1 ? -1 : HEADER_BYTES, 'sample data');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  /** Threads by id: tids that are safe integers as numbers, others as their decimal text. */
  const threads = new Map<number | string, ThreadState>();
  // A repeat record of n samples takes at least 2n bytes: the header's count is believed only that far.
  const s = new Samples(Math.min(h.sampleCount, data.length >> 1));
  const frameIndex = (): number => {
    const k = r.varint();
    if (k >= label.length) r.fail(`a stack names frame ${k}, but there are ${label.length}`);
    return k;
  };
  /** A sample's stack, root first, as collector frame ids. */
  const path = new Int32Array(MAX_STACK_FRAMES + 1);
  /** Adds the thread's stack with `weight` samples; returns its leaf. */
  const commitStack = (t: ThreadState, weight: number): number => {
    let n = 0;
    path[n++] = t.root;
    for (let i = t.depth - 1; i >= 0; i--) if (parts[t.stack[i]]) path[n++] = idOf(t.stack[i]);
    c.begin();
    for (let i = 0; i < n; i++) c.pushId(path[i]);
    return c.commit(weight);
  };
  const threadOf = (): ThreadState => {
    if (r.left < MIN_RECORD_BYTES) r.fail('the sample data ends inside a record');
    const lo = view.getUint32(r.pos, h.little),
      hi = view.getUint32(r.pos + 4, h.little);
    const wide = (h.little ? hi : lo) >= 0x200000;
    const key = wide ? r.u64Text() : h.little ? hi * 2 ** 32 + lo : lo * 2 ** 32 + hi;
    if (!wide) r.pos += 8;
    let t = threads.get(key);
    if (!t) {
      t = {
        ordinal: threads.size,
        root: c.frameId(`tid:${key}`, (l) => ({ file: '', name: l, line: -1, kind: FrameKind.thread })),
        stack: new Int32Array(64),
        depth: 0,
        lastUs: h.startUs,
      };
      threads.set(key, t);
    }
    return t;
  };

  while (!r.atEnd) {
    const t = threadOf();
    r.u32();
    const encoding = r.u8();
    if (encoding === REPEAT) {
      const count = r.varint();
      if (count * 2 > r.left) r.fail(`a repeat of ${count} samples is longer than the data left`);
      // A run of the same stack is added once, weighing its count: a recording is mostly such runs.
      const at = count > 0 ? commitStack(t, count) : -1;
      s.reserve(count);
      const { time, leaf, status, thread } = s;
      let k = s.count;
      for (let i = 0; i < count; i++, k++) {
        t.lastUs += r.varint();
        time[k] = t.lastUs;
        leaf[k] = at;
        status[k] = r.u8();
        thread[k] = t.ordinal;
      }
      s.count = k;
      continue;
    }
    if (encoding > POP_PUSH) r.fail(`a record's encoding is ${encoding}, not one Tachyon writes`);
    const delta = r.varint();
    const bits = r.u8();
    let keep: number, push: number;
    if (encoding === FULL) {
      keep = 0;
      push = r.varint();
    } else if (encoding === SUFFIX) {
      keep = r.varint();
      push = r.varint();
      if (keep > t.depth) r.fail(`a record shares ${keep} frames of a stack of ${t.depth}`);
    } else {
      const pop = r.varint();
      if (pop > t.depth) r.fail(`a record pops ${pop} frames of a stack of ${t.depth}`);
      keep = t.depth - pop;
      push = r.varint();
    }
    if (keep + push > MAX_STACK_FRAMES) r.fail(`a stack holds more than ${MAX_STACK_FRAMES} frames`);
    if (push > r.left) r.fail(`a record pushes ${push} frames, more than the data left`);
    // Frames are innermost first: the kept ones are the outermost, at the end of the last stack.
    if (keep + push > t.stack.length) t.stack = grown(t.stack, keep + push);
    t.stack.copyWithin(push, t.depth - keep, t.depth);
    for (let i = 0; i < push; i++) t.stack[i] = frameIndex();
    t.depth = keep + push;
    t.lastUs += delta;
    s.reserve(1);
    s.time[s.count] = t.lastUs;
    s.leaf[s.count] = commitStack(t, 1);
    s.status[s.count] = bits;
    s.thread[s.count++] = t.ordinal;
  }

  if (c.stackLines === 0) throw new ProfileError('the recording holds no samples');
  const { profile, order } = c.build({ format: 'tachyon-binary', unit: 'samples', fileName });
  const n = s.count;
  const byTime = orderByTime(s.time, s.thread, threads.size, n);
  const first = s.time[byTime[0]];
  const time = new Float64Array(n),
    node = new Int32Array(n),
    status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = byTime[i];
    time[i] = s.time[k] - first;
    node[i] = order[s.leaf[k]];
    status[i] = s.status[k];
  }
  profile.timeline = { time, node, status, firstUs: first };
  if (h.sampleCount !== n) {
    profile.warnings.push(`the header counts ${h.sampleCount} samples, but the records hold ${n}`);
  }
  return profile;
}
