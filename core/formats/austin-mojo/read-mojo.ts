/**
 * austin's binary output (`austin --binary`, MOJO), as austin's `src/mojo.h` writes it: `MOJ`,
 * the version as an integer, then events, each an id byte and its fields. Integers are varints
 * whose first byte holds 6 bits, a sign bit and a continuation bit, each next byte 7 bits and a
 * continuation bit; strings end in a NUL byte. A stack event (pid, interpreter from version 3,
 * thread id in hex) opens a sample; strings and frames are defined by key per process where they
 * are first met, and referred to by key after; a time or memory metric closes the sample's
 * numbers. Version 2 gave frames their line and column ranges; version 4 (austin 4) adds a repeat
 * event that takes the thread's last stack as the base of this one.
 *
 * Samples are read as austin writes them in text (`austin.ts`): the process `P<pid>` and thread
 * `T<iid>:<tid>` (tid in decimal) as root frames, frames `file:scope:line`, kernel frames
 * `kernel:scope:0`, and `:INVALID:` and `:GC:` where the text has them; a file and its text give
 * one tree.
 */
import { grown } from '~/core/model/builders';
import { FrameKind, ProfileError, type Profile } from '~/core/model/profile';
import { MAX_FRAME_CHARS, MAX_STACK_FRAMES, MAX_WEIGHT, StackCollector } from '../stacks/stack-collector';
import type { FrameParts } from '../stacks/frame-parts';

const M = 0x4d,
  O = 0x4f,
  J = 0x4a;
/** The newest version read: austin 4's. */
const LATEST_VERSION = 4;

const METADATA = 1,
  STACK = 2,
  FRAME = 3,
  FRAME_INVALID = 4,
  FRAME_REF = 5,
  FRAME_KERNEL = 6,
  GC = 7,
  IDLE = 8,
  METRIC_TIME = 9,
  METRIC_MEMORY = 10,
  STRING = 11,
  STRING_REF = 12,
  STACK_REPEAT = 13;

/** austin writes 64-bit integers: 6 bits, then 7 a byte. */
const MAX_VARINT_BYTES = 10;
/** austin's writer names string 1 `<unknown>` without defining it. */
const UNKNOWN_STRING = 1;
const BYTES_PER_KIB = 1024;
/** Frames that repeat events may copy, beyond a share per byte of the file: far above what austin's repeats save. */
const REPEAT_FRAMES_PER_BYTE = 64;
const REPEAT_FRAMES_FREE = 1_000_000;

/** Whether the data starts as a MOJO file: `MOJ` and a one-byte version. */
export function looksLikeMojo(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === M && head[1] === O && head[2] === J && head[3] > 0 && head[3] < 0x40;
}

/** Thrown when the data ends inside an event: the file was cut while austin wrote it. */
class Cut extends Error {}

/** Reads MOJO integers and strings from `bytes`, failing with the offset of the event they are in. */
class Cursor {
  pos = 0;
  /** Where the event being read starts. */
  event = 0;
  private readonly text = new TextDecoder();

  constructor(readonly bytes: Uint8Array) {}

  fail(message: string): never {
    throw new ProfileError(message, this.event);
  }

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Cut();
    return this.bytes[this.pos++];
  }

  /** A signed integer; beyond 2^53 it is not exact (see `key`). */
  int(): number {
    const first = this.byte();
    let n = first & 0x3f;
    let scale = 64;
    let b = first;
    for (let count = 1; b & 0x80; count++) {
      if (count === MAX_VARINT_BYTES) this.fail(`an integer is longer than ${MAX_VARINT_BYTES} bytes`);
      b = this.byte();
      n += (b & 0x7f) * scale;
      scale *= 128;
    }
    return first & 0x40 ? -n : n;
  }

  /** A key of a string or frame: exact, as a string when it is too large for a number. */
  key(): number | string {
    const start = this.pos;
    const n = this.int();
    if (Number.isSafeInteger(n)) return n;
    let big = BigInt(this.bytes[start] & 0x3f);
    for (let i = start + 1, shift = 6n; i < this.pos; i++, shift += 7n) big |= BigInt(this.bytes[i] & 0x7f) << shift;
    return (this.bytes[start] & 0x40 ? -big : big).toString();
  }

  string(): string {
    const end = this.bytes.indexOf(0, this.pos);
    if (end < 0) {
      if (this.bytes.length - this.pos > MAX_FRAME_CHARS) this.fail('a string is longer than 64 KiB');
      throw new Cut();
    }
    if (end - this.pos > MAX_FRAME_CHARS) this.fail('a string is longer than 64 KiB');
    const s = this.text.decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }
}

/** What one process has defined: its strings and frames by key. */
interface Process {
  root: number;
  strings: Map<number | string, string>;
  frames: Map<number | string, number>;
}

type Mode = 'time' | 'memory' | 'full';

const MADE_UP = (label: string): FrameParts => ({ file: '', name: label, line: -1, kind: FrameKind.synthetic });
const PROCESS_ROOT = (label: string): FrameParts => ({ file: '', name: label, line: -1, kind: FrameKind.process });
const THREAD_ROOT = (label: string): FrameParts => ({ file: '', name: label, line: -1, kind: FrameKind.thread });

/** austin's text writes thread ids in decimal, its MOJO in hex. */
function decimalTid(tid: string): string {
  if (!/^[0-9a-f]+$/i.test(tid)) return tid;
  return tid.length <= 13 ? String(parseInt(tid, 16)) : BigInt(`0x${tid}`).toString();
}

/** A frame austin 4 drops from the top of the last stack when it repeats it: not Python code. */
const isNative = (file: string) => !file.endsWith('.py') && !(file.startsWith('<') && file.endsWith('>'));

class MojoReader {
  private readonly c = new StackCollector();
  private readonly r: Cursor;
  private version = 0;
  private mode: Mode | undefined;
  private readonly processes = new Map<number, Process>();
  private process: Process | undefined;
  private processRoot = 0;
  private readonly nativeFrames = new Set<number>();
  /** Marks and kernel frames: austin 4's repeats take the last stack's Python and native frames only. */
  private readonly notRepeated = new Set<number>();
  /** The frames of the open sample, root first, without its process and thread. */
  private stack = new Int32Array(256);
  private depth = 0;
  private open = false;
  private thread = 0;
  private threadKey = '';
  private time: number | undefined;
  private memory: number | undefined;
  private idle = false;
  private sampleNo = 0;
  /** Each thread's last stack, for austin 4's repeats. */
  private readonly lastStacks = new Map<string, Int32Array>();
  private repeatBudget: number;
  private released = { samples: 0, kib: 0 };

  constructor(
    bytes: Uint8Array,
    private readonly fileName: string,
  ) {
    this.r = new Cursor(bytes);
    this.repeatBudget = REPEAT_FRAMES_FREE + REPEAT_FRAMES_PER_BYTE * bytes.length;
  }

  read(): Profile {
    const r: Cursor = this.r;
    try {
      this.header();
      while (r.pos < r.bytes.length) {
        r.event = r.pos;
        this.event(r.byte());
      }
      this.close();
    } catch (e) {
      if (!(e instanceof Cut)) throw e;
      if (this.version === 0) throw new ProfileError('the file ends inside the MOJO header', r.pos);
      // Cut inside the next sample's stack event, the open sample is whole.
      if (r.bytes[r.event] === STACK) this.close();
      this.c.warnings.push(
        `The recording ends inside an event at byte ${r.event}, as when austin is stopped while writing: the sample it was in is left out.`,
      );
    }
    return this.build();
  }

  private header(): void {
    const r: Cursor = this.r;
    if (r.byte() !== M || r.byte() !== O || r.byte() !== J)
      r.fail('this is not a MOJO file: it does not start with MOJ');
    r.event = r.pos;
    this.version = r.int();
    if (this.version < 1 || this.version > LATEST_VERSION)
      r.fail(`MOJO version ${this.version} is not one Kiln reads (1 to ${LATEST_VERSION})`);
  }

  private event(id: number): void {
    const r: Cursor = this.r;
    switch (id) {
      case METADATA:
        return this.metadata(r.string(), r.string());
      case STACK: {
        const pid = r.int();
        const iid = this.version >= 3 ? r.int() : undefined;
        return this.begin(pid, iid, r.string());
      }
      case FRAME:
        return this.frame();
      case FRAME_REF: {
        const key = r.key();
        const id = this.inProcess('a frame reference').frames.get(key);
        if (id === undefined) r.fail(`a frame reference names frame ${key}, which its process has not defined`);
        return this.push(id);
      }
      case FRAME_INVALID:
        return this.push(this.mark(this.c.frameId(':INVALID:', MADE_UP, FrameKind.synthetic)));
      case GC:
        return this.push(this.mark(this.c.frameId(':GC:', MADE_UP, FrameKind.synthetic)));
      case FRAME_KERNEL: {
        const scope = r.string();
        return this.push(this.mark(this.frameOf('kernel', scope, 0)));
      }
      case IDLE:
        this.inSample('an idle mark');
        this.idle = true;
        return;
      case METRIC_TIME:
        this.inSample('a time');
        this.time = r.int();
        return;
      case METRIC_MEMORY:
        this.inSample('a memory delta');
        this.memory = r.int();
        return;
      case STRING: {
        const key = r.key();
        const value = r.string();
        this.inProcess('a string').strings.set(key, value);
        return;
      }
      case STRING_REF:
        // It names a string already defined; no sample is made of it.
        r.key();
        return;
      case STACK_REPEAT:
        if (this.version >= 4) return this.repeat();
    }
    r.fail(`event ${id} is not one austin writes in MOJO version ${this.version}`);
  }

  private metadata(key: string, value: string): void {
    if (key !== 'mode') return;
    this.mode = value === 'memory' ? 'memory' : value === 'full' ? 'full' : 'time';
  }

  private inProcess(what: string): Process {
    if (!this.process) this.r.fail(`${what} comes before any stack`);
    return this.process;
  }

  private inSample(what: string): void {
    if (!this.open) this.r.fail(`${what} comes before any stack`);
  }

  private begin(pid: number, iid: number | undefined, tid: string): void {
    this.close();
    let p = this.processes.get(pid);
    if (!p) {
      p = { root: this.c.frameId(`P${pid}`, PROCESS_ROOT, FrameKind.process), strings: new Map(), frames: new Map() };
      this.processes.set(pid, p);
    }
    this.process = p;
    this.processRoot = p.root;
    const thread = iid === undefined ? `T${decimalTid(tid)}` : `T${iid}:${decimalTid(tid)}`;
    this.thread = this.c.frameId(thread, THREAD_ROOT, FrameKind.thread);
    this.threadKey = `${pid};${thread}`;
    this.open = true;
    this.depth = 0;
    this.time = undefined;
    this.memory = undefined;
    this.idle = false;
  }

  private frame(): void {
    const r: Cursor = this.r;
    const key = r.key();
    const file = this.stringOf(r.key());
    const scope = this.stringOf(r.key());
    const line = r.int();
    if (this.version >= 2) {
      r.int();
      r.int();
      r.int();
    }
    this.inProcess('a frame').frames.set(key, this.frameOf(file, scope, line));
  }

  private stringOf(key: number | string): string {
    if (key === UNKNOWN_STRING) return '<unknown>';
    const s = this.inProcess('a frame').strings.get(key);
    if (s === undefined) this.r.fail(`a frame names string ${key}, which its process has not defined`);
    return s;
  }

  private frameOf(file: string, name: string, line: number): number {
    const parts: FrameParts = { file, name, line };
    const id = this.c.frameId(`${file}:${name}:${line}`, () => parts);
    if (isNative(file)) this.nativeFrames.add(id);
    return id;
  }

  private mark(id: number): number {
    this.notRepeated.add(id);
    return id;
  }

  private push(id: number): void {
    this.inSample('a frame');
    if (this.depth >= MAX_STACK_FRAMES) this.r.fail(`a stack holds more than ${MAX_STACK_FRAMES} frames`);
    if (this.depth === this.stack.length) this.stack = grown(this.stack);
    this.stack[this.depth++] = id;
  }

  /** austin 4: the thread's last stack, less the native frames at its top, goes below the frames read so far. */
  private repeat(): void {
    this.inSample('a stack repeat');
    const last = this.lastStacks.get(this.threadKey) ?? new Int32Array(0);
    let keep = last.length;
    while (keep > 0 && this.nativeFrames.has(last[keep - 1])) keep--;
    if (keep + this.depth > MAX_STACK_FRAMES) this.r.fail(`a stack holds more than ${MAX_STACK_FRAMES} frames`);
    this.repeatBudget -= keep;
    if (this.repeatBudget < 0) this.r.fail('stack repeats copy more frames than a recording of this size can hold');
    const next = new Int32Array(Math.max(256, keep + this.depth));
    next.set(last.subarray(0, keep));
    next.set(this.stack.subarray(0, this.depth), keep);
    this.stack = next;
    this.depth += keep;
  }

  /** Adds the open sample, weighed as austin's text weighs it. */
  private close(): void {
    if (!this.open) return;
    this.open = false;
    this.sampleNo++;
    if (this.version >= 4)
      this.lastStacks.set(
        this.threadKey,
        this.stack.subarray(0, this.depth).filter((id) => !this.notRepeated.has(id)),
      );
    const c = this.c;
    // austin names its mode in the metadata first; a file without it is weighed by what its first sample holds.
    const mode = (this.mode ??= this.time === undefined && this.memory !== undefined ? 'memory' : 'time');
    const value = mode === 'memory' ? this.memory : this.time;
    if (value === undefined || Math.abs(value) > MAX_WEIGHT) return c.invalid(this.sampleNo);
    if (this.idle && mode !== 'memory') return value >= 0 ? c.addIdle(value) : c.invalid(this.sampleNo);
    if (value < 0) {
      if (mode !== 'memory') return c.invalid(this.sampleNo);
      this.released.samples++;
      this.released.kib -= value / BYTES_PER_KIB;
      c.stackLines++;
      return;
    }
    c.begin();
    c.pushId(this.processRoot);
    c.pushId(this.thread);
    for (let i = 0; i < this.depth; i++) c.pushId(this.stack[i]);
    c.commit(mode === 'memory' ? value / BYTES_PER_KIB : value);
  }

  private build(): Profile {
    const c = this.c;
    if (c.stackLines === 0 && c.invalidLines === 0) throw new ProfileError('the MOJO recording holds no samples');
    if (this.released.samples > 0) {
      c.warnings.push(
        `${this.released.samples} samples that released memory (${this.released.kib} KiB in all) are left out: the tree shows allocations.`,
      );
    }
    const unit = this.mode === 'memory' ? 'kilobytes' : 'microseconds';
    return c.build({ format: 'austin-mojo', unit, fileName: this.fileName }).profile;
  }
}

/** Reads austin's MOJO output into a profile. */
export function parseMojo(bytes: Uint8Array, fileName: string): Profile {
  return new MojoReader(bytes, fileName).read();
}
