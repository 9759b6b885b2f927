/**
 * Writes the bench's inputs of the formats other than stack text: one recording of the program
 * bench/folded-gen.ts makes (its deep, line-level stacks), written as each profiler's own writer
 * writes it (layout, key order, separators, units), so that every reader gets a user's file.
 *
 * The recording is a run of samples in time order: each distinct stack of the walk is on one
 * thread for its count of samples in a row, the threads taking turns. Deterministic: the same
 * format, seed and size give the same bytes.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { create, toBinary } from '@bufbuild/protobuf';
import { ProfileSchema } from '~/core/formats/pprof/profile-schema';
import {
  basename,
  program,
  random,
  stackCount,
  stackKey,
  TIDS,
  walkStack,
  type Fn,
  type StackShape,
  type Walk,
} from './folded-gen';

/** The shape of every recording here: a program of 32,000 functions, the executing line in each frame. */
const LINES: StackShape = { functions: 32_000, lineLevel: true, syntax: 'folded' };
const THREAD_NAMES = ['MainThread', 'worker-0', 'worker-1', 'worker-2', 'worker-3'];

export type FormatKind =
  'speedscope' | 'chrome-trace' | 'pyinstrument' | 'gecko' | 'tachyon-bin' | 'callgrind' | 'pprof' | 'austin-mojo';

/** What was written: the samples (for callgrind, microseconds of cost), to check a reader against. */
export interface Written {
  samples: number;
}

/** One run of the recording: `count` samples in a row of one stack on one thread. */
interface Run {
  thread: number;
  walk: Walk;
  count: number;
}

/** The program and its recording's runs, until `enough()` says so. Each stack is distinct; `walk` is reused between runs. */
function recording(shape: StackShape, seed: number): { fns: Fn[]; runs(enough: () => boolean): Generator<Run> } {
  const rand = random(seed);
  const fns = program(rand, shape.functions);
  function* runs(enough: () => boolean): Generator<Run> {
    const seen = new Set<number>();
    const walk: Walk = { fns: [], lines: [] };
    let n = 0;
    while (!enough()) {
      if (!walkStack(rand, fns, shape, walk)) continue;
      const key = stackKey(walk.fns.map((f, d) => `${f}:${walk.lines[d]}`).join(';'));
      if (seen.has(key)) continue;
      seen.add(key);
      yield { thread: n++ % TIDS.length, walk, count: stackCount(rand) };
    }
  }
  return { fns, runs };
}

/**
 * The distinct stacks of the recording that its collapsed text (`file:name:line;…`, as Tachyon's
 * and the folded files spell frames) of `target` bytes holds, sorted so that neighbours share the
 * longest prefixes.
 */
function stackPool(shape: StackShape, seed: number, target: number): { fns: Fn[]; stacks: Walk[] } {
  const rec = recording(shape, seed);
  const fns = rec.fns;
  const stacks: Walk[] = [];
  let bytes = 0;
  for (const run of rec.runs(() => bytes >= target)) {
    stacks.push({ fns: [...run.walk.fns], lines: [...run.walk.lines] });
    for (let d = 0; d < run.walk.fns.length; d++)
      bytes += basename(fns[run.walk.fns[d]].file).length + fns[run.walk.fns[d]].name.length + 6;
  }
  const order = (a: Walk, b: Walk) => {
    for (let d = 0; d < a.fns.length && d < b.fns.length; d++) {
      if (a.fns[d] !== b.fns[d]) return a.fns[d] - b.fns[d];
      if (a.lines[d] !== b.lines[d]) return a.lines[d] - b.lines[d];
    }
    return a.fns.length - b.fns.length;
  };
  return { fns, stacks: stacks.sort(order) };
}

/**
 * A long recording of the pool's stacks, as a sampler sees a program that keeps doing the same
 * work: each thread has its own share of the stacks (a run of neighbours in the pool) and moves on
 * through them, mostly to a near neighbour, now and then jumping elsewhere in its share; each run
 * holds its stack for `stackCount` samples, the threads taking turns, until `enough()` says so.
 */
function* revisits(stacks: Walk[], seed: number, enough: () => boolean): Generator<Run> {
  const rand = random(seed);
  const from = TIDS.map((_, t) => Math.floor((t * stacks.length) / TIDS.length));
  const size = TIDS.map((_, t) => Math.floor(((t + 1) * stacks.length) / TIDS.length) - from[t]);
  const at = TIDS.map(() => 0);
  for (let n = 0; !enough(); n++) {
    const thread = n % TIDS.length;
    const step = rand() < 0.05 ? Math.floor(rand() * (size[thread] - 1)) : Math.floor(-Math.log(1 - rand()) * 2);
    at[thread] = (at[thread] + 1 + step) % size[thread];
    yield { thread, walk: stacks[from[thread] + at[thread]], count: stackCount(rand) };
  }
}

/** Text written to a file in large pieces, counting its bytes. */
class Out {
  private readonly fd: number;
  private pieces: string[] = [];
  private pending = 0;
  bytes = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(s: string): void {
    this.pieces.push(s);
    this.pending += s.length;
    this.bytes += Buffer.byteLength(s);
    if (this.pending > 1 << 20) this.flush();
  }
  private flush(): void {
    writeSync(this.fd, this.pieces.join(''));
    this.pieces = [];
    this.pending = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Frames numbered in the order first seen, by function and line. */
class FrameIds {
  readonly fn: number[] = [];
  readonly line: number[] = [];
  private readonly ids = new Map<number, number>();
  id(f: number, line: number): number {
    const key = f * 65_536 + line;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.fn.length;
      this.ids.set(key, id);
      this.fn.push(f);
      this.line.push(line);
    }
    return id;
  }
  get size(): number {
    return this.fn.length;
  }
}

const json = (s: string) => JSON.stringify(s);

/**
 * py-spy 0.4's `--format speedscope`: one "sampled" profile per thread, `Thread TID "NAME"`, in
 * seconds, every sample its own entry of weight 1/rate (0.01), root first; frames `{name, file,
 * line, col: null}` with the bare function name and full path; serde's key order, no spaces.
 */
function writeSpeedscope(path: string, target: number, seed: number): Written {
  const rec = recording(LINES, seed);
  const fns = rec.fns;
  const frames = new FrameIds();
  const perThread: string[][] = TIDS.map(() => []);
  const counts = TIDS.map(() => 0);
  let bytes = 0,
    samples = 0;
  // The shared frames come last, about 90 bytes each.
  for (const run of rec.runs(() => bytes + 90 * frames.size >= target)) {
    const sample = `[${run.walk.fns.map((f, d) => frames.id(f, run.walk.lines[d])).join(',')}]`;
    for (let i = 0; i < run.count; i++) perThread[run.thread].push(sample);
    counts[run.thread] += run.count;
    samples += run.count;
    bytes += (sample.length + 6) * run.count;
  }
  const out = new Out(path);
  out.write('{"$schema":"https://www.speedscope.app/file-format-schema.json","profiles":[');
  TIDS.forEach((tid, t) => {
    const end = Math.round(counts[t]) / 100;
    out.write(
      `${t ? ',' : ''}{"type":"sampled","name":${json(`Thread ${tid} "${THREAD_NAMES[t]}"`)},"unit":"seconds","startValue":0.0,"endValue":${end},"samples":[`,
    );
    for (let i = 0; i < perThread[t].length; i += 10_000) {
      out.write(`${i ? ',' : ''}${perThread[t].slice(i, i + 10_000).join(',')}`);
    }
    out.write('],"weights":[');
    for (let i = 0; i < counts[t]; i += 10_000) {
      out.write(`${i ? ',' : ''}${new Array(Math.min(10_000, counts[t] - i)).fill('0.01').join(',')}`);
    }
    out.write(']}');
  });
  out.write('],"shared":{"frames":[');
  for (let i = 0; i < frames.size; i++) {
    const fn = fns[frames.fn[i]];
    out.write(`${i ? ',' : ''}{"name":${json(fn.name)},"file":${json(fn.file)},"line":${frames.line[i]},"col":null}`);
  }
  out.write(']},"activeProfileIndex":null,"exporter":"py-spy@0.4.2","name":"py-spy profile"}');
  out.close();
  return { samples };
}

/**
 * py-spy 0.4's `--format chrometrace`: a JSON array of `B`/`E` events, keys in order, `ts` in
 * microseconds from the start (100 samples a second); a frame opens when a sample first has it
 * and closes when one no longer does (one thread runs at a time, the others idle, their frames
 * closed); all are closed at the end.
 */
function writeChromeTrace(path: string, target: number, seed: number): Written {
  const rec = recording(LINES, seed);
  const fns = rec.fns;
  const out = new Out(path);
  const open: { fn: number[]; line: number[] }[] = TIDS.map(() => ({ fn: [], line: [] }));
  const pthread = TIDS.map((_, t) => 140_691_672_741_568 + t * 8_392_704);
  let ts = 75_092,
    samples = 0,
    first = true;
  const event = (f: number, line: number, ph: 'B' | 'E', t: number) => {
    out.write(
      `${first ? '[' : ','}{"args":{"filename":${json(fns[f].file)},"line":${line}},"cat":"py-spy","name":${json(fns[f].name)},"ph":"${ph}","pid":25313,"tid":${pthread[t]},"ts":${ts}}`,
    );
    first = false;
  };
  const moveTo = (t: number, walk: Walk) => {
    const o = open[t];
    let same = 0;
    while (
      same < o.fn.length &&
      same < walk.fns.length &&
      o.fn[same] === walk.fns[same] &&
      o.line[same] === walk.lines[same]
    )
      same++;
    for (let d = o.fn.length - 1; d >= same; d--) event(o.fn[d], o.line[d], 'E', t);
    o.fn.length = same;
    o.line.length = same;
    for (let d = same; d < walk.fns.length; d++) {
      event(walk.fns[d], walk.lines[d], 'B', t);
      o.fn.push(walk.fns[d]);
      o.line.push(walk.lines[d]);
    }
  };
  const idle: Walk = { fns: [], lines: [] };
  let running = -1;
  for (const run of rec.runs(() => out.bytes >= target)) {
    // The thread sampled before is idle now: py-spy sees none of its frames, so closes them.
    if (running >= 0 && running !== run.thread) moveTo(running, idle);
    running = run.thread;
    moveTo(run.thread, run.walk);
    ts += 10_000 * run.count;
    samples += run.count;
  }
  TIDS.forEach((_, t) => moveTo(t, idle));
  out.write(']');
  out.close();
  return { samples };
}

/**
 * pyinstrument 5's `-r pyisession`: `json.dumps` of the session (its separators), each frame
 * record the stack root first, the thread's frame `MainThread\0<thread>\0IDENT` first, a frame
 * `function\0file\0defline` with the executing line as its `\1l` attribute, and the seconds it
 * lasted (one record while the stack stays: pyinstrument records a stack once per change).
 */
function writePyinstrument(path: string, target: number, seed: number): Written {
  const rec = recording(LINES, seed);
  const fns = rec.fns;
  const out = new Out(path);
  const thread = json('MainThread\u0000<thread>\u0000139953401872896');
  const labels = new Map<number, string>();
  const label = (f: number, line: number) => {
    const key = f * 65_536 + line;
    let s = labels.get(key);
    if (s === undefined) {
      s = json(`${fns[f].name}\u0000${fns[f].file}\u0000${fns[f].def}\u0001l${line}`);
      labels.set(key, s);
    }
    return s;
  };
  const records: string[] = [];
  let samples = 0,
    bytes = 0;
  for (const run of rec.runs(() => bytes >= target)) {
    const seconds = run.count * 0.001 + (run.walk.lines[0] % 7) * 1e-6;
    const record = `[[${thread}, ${run.walk.fns.map((f, d) => label(f, run.walk.lines[d])).join(', ')}], ${seconds}]`;
    records.push(record);
    bytes += record.length + 2;
    samples += seconds;
  }
  out.write(
    `{"start_time": 1796656710.7760751, "duration": ${samples}, "min_interval": 0.001, "max_interval": 0.001, "sample_count": ${records.length}, ` +
      `"start_call_stack": [${thread}], "target_description": "Program: manage.py runserver", "cpu_time": ${samples * 0.9}, ` +
      `"sys_path": ["", "/usr/lib/python311.zip", "/usr/lib/python3.11"], "sys_prefixes": ["/usr", "/usr"], "frame_records": [`,
  );
  for (let i = 0; i < records.length; i++) out.write(`${i ? ', ' : ''}${records[i]}`);
  out.write(']}');
  out.close();
  return { samples };
}

/**
 * Python 3.15 Tachyon's `--gecko`: the Firefox Profiler's processed format (meta version 32,
 * preprocessed 57), one thread per tid with its own stack (prefix links), frame, func (one per
 * file and name, the file a base name) and resource tables, strings shared; sample times in ms
 * from the first, weight null. `json.dump` with compact separators.
 */
function writeGecko(path: string, target: number, seed: number): Written {
  const rec = recording(LINES, seed);
  const fns = rec.fns;
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const str = (s: string) => {
    let i = stringIds.get(s);
    if (i === undefined) stringIds.set(s, (i = strings.push(s) - 1));
    return i;
  };
  interface Thread {
    funcIds: Map<number, number>;
    funcName: number[];
    funcFile: number[];
    funcResource: number[];
    funcLine: number[];
    resources: Map<string, number>;
    resourceName: number[];
    frameIds: Map<number, number>;
    frameFunc: number[];
    frameLine: number[];
    stackIds: Map<number, number>;
    stackFrame: number[];
    stackPrefix: (number | null)[];
    sampleStack: number[];
    sampleTime: number[];
  }
  const threads: Thread[] = TIDS.map(() => ({
    funcIds: new Map(),
    funcName: [],
    funcFile: [],
    funcResource: [],
    funcLine: [],
    resources: new Map(),
    resourceName: [],
    frameIds: new Map(),
    frameFunc: [],
    frameLine: [],
    stackIds: new Map(),
    stackFrame: [],
    stackPrefix: [],
    sampleStack: [],
    sampleTime: [],
  }));
  str('(root)');
  let bytes = 0,
    samples = 0,
    ms = 0;
  const frameOf = (t: Thread, f: number, line: number) => {
    let func = t.funcIds.get(f);
    if (func === undefined) {
      const file = basename(fns[f].file);
      let resource = t.resources.get(file);
      if (resource === undefined) {
        t.resources.set(file, (resource = t.resourceName.push(str(file)) - 1));
        bytes += 20;
      }
      t.funcIds.set(f, (func = t.funcName.push(str(fns[f].name)) - 1));
      t.funcFile.push(str(file));
      t.funcResource.push(resource);
      t.funcLine.push(fns[f].def);
      bytes += 40 + fns[f].name.length;
    }
    const key = func * 65_536 + line;
    let frame = t.frameIds.get(key);
    if (frame === undefined) {
      t.frameIds.set(key, (frame = t.frameFunc.push(func) - 1));
      t.frameLine.push(line);
      bytes += 60;
    }
    return frame;
  };
  for (const run of rec.runs(() => bytes >= target)) {
    const t = threads[run.thread];
    let stack: number | null = null;
    for (let d = 0; d < run.walk.fns.length; d++) {
      const frame = frameOf(t, run.walk.fns[d], run.walk.lines[d]);
      const key: number = (stack ?? -1) * 4_194_304 + frame;
      let id = t.stackIds.get(key);
      if (id === undefined) {
        t.stackIds.set(key, (id = t.stackFrame.push(frame) - 1));
        t.stackPrefix.push(stack);
        bytes += 22;
      }
      stack = id;
    }
    for (let i = 0; i < run.count; i++) {
      t.sampleStack.push(stack!);
      t.sampleTime.push(Math.round(ms * 1000) / 1000);
      ms += 0.1 + (i % 3) * 0.001;
    }
    samples += run.count;
    bytes += 16 * run.count;
  }
  const column = (n: number, v: unknown) => `[${new Array(n).fill(JSON.stringify(v)).join(',')}]`;
  const out = new Out(path);
  out.write(
    '{"meta":{"interval":0.1,"startTime":4300450.306339,"abi":"x86_64","misc":"Python profiler","oscpu":"x86_64",' +
      '"platform":"Linux","processType":0,"categories":[{"name":"Other","color":"grey","subcategories":["Other"]},' +
      '{"name":"Python","color":"yellow","subcategories":["Other"]},{"name":"Native","color":"blue","subcategories":["Other"]},' +
      '{"name":"GC","color":"orange","subcategories":["Other"]},{"name":"GIL","color":"green","subcategories":["Other"]}],' +
      '"stackwalk":0,"toolkit":"","version":32,"preprocessedProfileVersion":57,"appBuildID":"","physicalCPUs":2,' +
      '"logicalCPUs":2,"CPUName":"","product":"Python","symbolicated":true,"markerSchema":[],' +
      '"importedFrom":"Tachyon Sampling Profiler","extensions":{"id":[],"name":[],"baseURL":[],"length":0}},' +
      '"libs":[],"threads":[',
  );
  threads.forEach((t, i) => {
    const n = t.sampleStack.length,
      s = t.stackFrame.length,
      f = t.frameFunc.length,
      u = t.funcName.length,
      r = t.resourceName.length;
    out.write(
      `${i ? ',' : ''}{"name":"Thread-${TIDS[i]}","isMainThread":${i === 0},"processStartupTime":0,"processShutdownTime":null,` +
        `"registerTime":0,"unregisterTime":null,"pausedRanges":[],"pid":"2400","tid":${TIDS[i]},"processType":"default",` +
        `"processName":"Python Process","samples":{"stack":[${t.sampleStack.join(',')}],"time":[${t.sampleTime.join(',')}],` +
        `"eventDelay":${column(n, null)},"weight":null,"weightType":"samples","length":${n}},` +
        `"stackTable":{"frame":[${t.stackFrame.join(',')}],"category":${column(s, 1)},"subcategory":${column(s, 0)},` +
        `"prefix":[${t.stackPrefix.map((p) => p ?? 'null').join(',')}],"length":${s}},` +
        `"frameTable":{"address":${column(f, -1)},"category":${column(f, 1)},"subcategory":${column(f, 0)},` +
        `"func":[${t.frameFunc.join(',')}],"innerWindowID":${column(f, null)},"implementation":${column(f, null)},` +
        `"optimizations":${column(f, null)},"line":[${t.frameLine.join(',')}],"column":${column(f, 4)},` +
        `"inlineDepth":${column(f, 0)},"nativeSymbol":${column(f, null)},"length":${f}},` +
        `"funcTable":{"name":[${t.funcName.join(',')}],"isJS":${column(u, true)},"relevantForJS":${column(u, true)},` +
        `"resource":[${t.funcResource.join(',')}],"fileName":[${t.funcFile.join(',')}],"lineNumber":[${t.funcLine.join(',')}],` +
        `"columnNumber":${column(u, null)},"length":${u}},` +
        `"resourceTable":{"lib":${column(r, null)},"name":[${t.resourceName.join(',')}],"host":${column(r, null)},` +
        `"type":${column(r, 1)},"length":${r}},` +
        '"nativeSymbols":{"libIndex":[],"address":[],"name":[],"functionSize":[],"length":0},' +
        '"markers":{"data":[],"name":[],"startTime":[],"endTime":[],"phase":[],"category":[],"length":0}}',
    );
  });
  out.write(`],"pages":[],"shared":{"stringArray":[${strings.map(json).join(',')}]}}`);
  out.close();
  return { samples };
}

/** Bytes of a growing little-endian buffer, with the varints of Tachyon's binary format. */
class Bytes {
  buf = Buffer.alloc(1 << 24);
  at = 0;
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.at++] = v;
  }
  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32LE(v, this.at);
    this.at += 4;
  }
  u64(v: number): void {
    this.room(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.at);
    this.at += 8;
  }
  f64(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.at);
    this.at += 8;
  }
  varint(v: number): void {
    this.room(10);
    while (v >= 0x80) {
      this.buf[this.at++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.at++] = v;
  }
  svarint(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  text(s: string): void {
    const b = Buffer.from(s);
    this.varint(b.length);
    this.room(b.length);
    b.copy(this.buf, this.at);
    this.at += b.length;
  }
}

const REPEAT = 0,
  FULL = 1,
  SUFFIX = 2,
  POP_PUSH = 3;

/**
 * Python 3.15 Tachyon's `--binary` with `--compression none` (its default, zstd, has no encoder in
 * Node 20): the 64-byte header, then per sample a record of its thread's stack, innermost first,
 * as a repeat of that thread's last one, whole, the last one with frames pushed on top, or with
 * frames popped and pushed; the string and frame tables, the statistics block and the footer.
 * 100 µs between samples, all threads sampled (`-a`); samples hold the GIL and run on the CPU
 * but for one in eight. This format is compact, so its file holds a far longer run than the text
 * formats of its size: the run revisits the stacks that the collapsed text of the same size holds,
 * as a real recording does, so that its call tree is the size of theirs.
 */
function writeTachyonBinary(path: string, target: number, seed: number): Written {
  const { fns, stacks } = stackPool(LINES, seed, target);
  const b = new Bytes();
  b.at = 64;
  const frames = new FrameIds();
  const last: number[][] = TIDS.map(() => []);
  const lastUs = TIDS.map(() => 0);
  let us = 0,
    samples = 0;
  const status = (i: number) => (i % 8 === 7 ? 0 : 3);
  for (const run of revisits(stacks, seed, () => b.at >= target)) {
    const t = run.thread;
    const stack: number[] = [];
    for (let d = run.walk.fns.length - 1; d >= 0; d--) stack.push(frames.id(run.walk.fns[d], run.walk.lines[d]));
    const prev = last[t];
    let shared = 0;
    while (
      shared < prev.length &&
      shared < stack.length &&
      prev[prev.length - 1 - shared] === stack[stack.length - 1 - shared]
    )
      shared++;
    const push = stack.length - shared;
    b.u64(TIDS[t]);
    b.u32(0);
    b.u8(shared === 0 ? FULL : shared === prev.length ? SUFFIX : POP_PUSH);
    b.varint(us - lastUs[t]);
    b.u8(status(0));
    if (shared === 0) b.varint(push);
    else if (shared === prev.length) {
      b.varint(shared);
      b.varint(push);
    } else {
      b.varint(prev.length - shared);
      b.varint(push);
    }
    for (let i = 0; i < push; i++) b.varint(stack[i]);
    lastUs[t] = us;
    if (run.count > 1) {
      b.u64(TIDS[t]);
      b.u32(0);
      b.u8(REPEAT);
      b.varint(run.count - 1);
      for (let i = 1; i < run.count; i++) {
        b.varint(100);
        b.u8(status(i));
      }
    }
    us += 100 * run.count;
    lastUs[t] = us - 100;
    last[t] = stack;
    samples += run.count;
  }
  const stringsAt = b.at;
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const str = (s: string) => {
    let i = stringIds.get(s);
    if (i === undefined) stringIds.set(s, (i = strings.push(s) - 1));
    return i;
  };
  const frameStrings = frames.fn.map((f) => [str(fns[f].file), str(fns[f].name)]);
  for (const s of strings) b.text(s);
  const framesAt = b.at;
  frameStrings.forEach(([file, name], i) => {
    b.varint(file);
    b.varint(name);
    b.svarint(frames.line[i]);
    b.svarint(0);
    b.svarint(4);
    b.svarint(20);
    b.u8(255);
  });
  for (const v of [us / 1e6, 10_000, 0.05, samples / 20]) b.f64(v);
  b.u64(3);
  for (const c of 'TACHSTAT') b.u8(c.charCodeAt(0));
  b.u32(1);
  b.u32(56);
  b.u32(strings.length);
  b.u32(frames.size);
  b.u64(b.at + 8 + 16);
  for (let i = 0; i < 4; i++) b.u32(0);
  const end = b.at;
  b.at = 0;
  b.u32(0x54414348);
  b.u32(1);
  [3, 15, 2, 0].forEach((v) => b.u8(v));
  b.u64(1_796_656_710_776_075);
  b.u64(100);
  b.u32(samples);
  b.u32(0);
  b.u32(TIDS.length);
  b.u64(stringsAt);
  b.u64(framesAt);
  b.u32(0);
  b.u32(1 | 8 | 16);
  const fd = openSync(path, 'w');
  writeSync(fd, b.buf.subarray(0, end));
  closeSync(fd);
  return { samples };
}

/**
 * yappi 1.7's `save(type='callgrind')` of a deterministic run of the program (function level,
 * as a tracer records it; the program as large as the size asks, about 300 bytes a function):
 * `fl=(N) file` and `fn=(N) name file:line` for every function first, then each function's block,
 * its own cost in integer microseconds on its def line, and per callee `cfl=`, `cfn=`,
 * `calls=COUNT 0` and `0 COST` (the callee's inclusive cost along that edge).
 */
function writeCallgrind(path: string, target: number, seed: number): Written {
  const rand = random(seed);
  const functions = Math.max(200, Math.round(target / 300));
  const fns = program(rand, functions);
  const self = new Float64Array(functions);
  const reached = new Uint8Array(functions);
  const edges = fns.map(() => new Map<number, { calls: number; cost: number }>());
  const shape: StackShape = { functions, lineLevel: false, syntax: 'folded' };
  const walk: Walk = { fns: [], lines: [] };
  let total = 0;
  for (let s = 0; s < functions * 4;) {
    if (!walkStack(rand, fns, shape, walk)) continue;
    s++;
    const us = stackCount(rand) * (200 + Math.floor(rand() * 800));
    self[walk.fns[walk.fns.length - 1]] += us;
    total += us;
    reached[walk.fns[0]] = 1;
    for (let d = 1; d < walk.fns.length; d++) {
      reached[walk.fns[d]] = 1;
      const edge = edges[walk.fns[d - 1]].get(walk.fns[d]);
      if (edge) {
        edge.calls++;
        edge.cost += us;
      } else edges[walk.fns[d - 1]].set(walk.fns[d], { calls: 1, cost: us });
    }
  }
  const out = new Out(path);
  out.write('version: 1\ncreator: yappi\npid: 25149\ncmd:  manage.py runserver\npart: 1\n\nevents: Ticks\n\n');
  const name = (f: number) => `${fns[f].name} ${fns[f].file}:${fns[f].def}`;
  for (let f = 0; f < functions; f++) if (reached[f]) out.write(`fl=(${f + 1}) ${fns[f].file}\n`);
  out.write('\n');
  for (let f = 0; f < functions; f++) if (reached[f]) out.write(`fn=(${f + 1}) ${name(f)}\n`);
  for (let f = 0; f < functions; f++) {
    if (!reached[f]) continue;
    out.write(`\nfl=(${f + 1})\nfn=(${f + 1})\n${fns[f].def} ${self[f]}\n`);
    for (const [callee, e] of edges[f])
      out.write(`cfl=(${callee + 1})\ncfn=(${callee + 1})\ncalls=${e.calls} 0\n0 ${e.cost}\n`);
  }
  out.close();
  return { samples: total };
}

/**
 * pprof as a Python continuous profiler writes it (Pyroscope, Datadog): `samples/count` and
 * `cpu/nanoseconds` values, a 10 ms period, each distinct stack once, a location per function and
 * executing line, a function per name and file with its def line, gzip'd. Made with the protobuf
 * runtime and schema Kiln reads it with; the samples in pieces of one message each, the tables in
 * the last (protobuf appends repeated fields of concatenated messages). `target` counts the
 * bytes before gzip.
 */
function writePprof(path: string, target: number, seed: number): Written {
  const rec = recording(LINES, seed);
  const fns = rec.fns;
  const strings = [''];
  const stringIds = new Map<string, number>();
  const str = (s: string): bigint => {
    let i = stringIds.get(s);
    if (i === undefined) stringIds.set(s, (i = strings.push(s) - 1));
    return BigInt(i);
  };
  const locations = new FrameIds();
  const functionIds = new Map<number, bigint>();
  const pieces: Uint8Array[] = [];
  let bytes = 0,
    samples = 0;
  let batch: { locationId: bigint[]; value: bigint[] }[] = [];
  const flush = () => {
    const piece = toBinary(ProfileSchema, create(ProfileSchema, { sample: batch } as never));
    pieces.push(piece);
    bytes += piece.length;
    batch = [];
  };
  // The location and function tables come last, about 24 bytes a location.
  for (const run of rec.runs(() => bytes + 24 * locations.size >= target)) {
    const ids: bigint[] = [];
    for (let d = run.walk.fns.length - 1; d >= 0; d--)
      ids.push(BigInt(locations.id(run.walk.fns[d], run.walk.lines[d]) + 1));
    batch.push({ locationId: ids, value: [BigInt(run.count), BigInt(run.count) * 10_000_000n] });
    samples += run.count;
    if (batch.length === 1_000) flush();
  }
  if (batch.length > 0) flush();
  const functions: { id: bigint; name: bigint; systemName: bigint; filename: bigint; startLine: bigint }[] = [];
  const location = locations.fn.map((f, i) => {
    let id = functionIds.get(f);
    if (id === undefined) {
      id = BigInt(functions.length + 1);
      functionIds.set(f, id);
      const name = str(fns[f].name);
      functions.push({ id, name, systemName: name, filename: str(fns[f].file), startLine: BigInt(fns[f].def) });
    }
    return {
      id: BigInt(i + 1),
      mappingId: 1n,
      address: 0n,
      line: [{ functionId: id, line: BigInt(locations.line[i]) }],
    };
  });
  const cpu = { type: str('cpu'), unit: str('nanoseconds') };
  const tables = create(ProfileSchema, {
    sampleType: [{ type: str('samples'), unit: str('count') }, cpu],
    mapping: [{ id: 1n, filename: str('/usr/bin/python3.11'), hasFunctions: true }],
    location,
    function: functions,
    stringTable: strings,
    timeNanos: 1_796_656_710_776_075_000n,
    durationNanos: BigInt(samples) * 10_000_000n,
    periodType: cpu,
    period: 10_000_000n,
  } as never);
  pieces.push(toBinary(ProfileSchema, tables));
  const fd = openSync(path, 'w');
  writeSync(fd, gzipSync(Buffer.concat(pieces)));
  closeSync(fd);
  return { samples };
}

/** Bytes of a MOJO file: austin's integers (6 bits, a sign and a continuation bit, then 7 bits a byte) and strings. */
class MojoBytes extends Bytes {
  int(v: number): void {
    let n = Math.abs(v);
    let b = (n % 64) | (v < 0 ? 0x40 : 0);
    n = Math.floor(n / 64);
    while (n > 0) {
      this.u8(b | 0x80);
      b = n % 128;
      n = Math.floor(n / 128);
    }
    this.u8(b);
  }
  cstring(s: string): void {
    const b = Buffer.from(s);
    for (const c of b) this.u8(c);
    this.u8(0);
  }
}

const MOJO_METADATA = 1,
  MOJO_STACK = 2,
  MOJO_FRAME = 3,
  MOJO_FRAME_REF = 5,
  MOJO_METRIC_TIME = 9,
  MOJO_STRING = 11;

/**
 * austin 3.7's `--binary` (MOJO version 3), wall time, as its `src/mojo.h` writes it: `MOJ` and
 * the version, `austin`, `interval` and `mode` metadata, then per sample a stack event (pid,
 * interpreter 0, the thread's native id in hex), a string event for each file and function name
 * and a frame event (key, file, name, line, end line, columns) for each frame the process meets
 * the first time, a reference to each frame, root first, and the sample's time in µs; the run's
 * `duration` last. Keys are addresses, as austin's are. Every sample is written whole: no repeat
 * events before MOJO version 4.
 */
function writeMojo(path: string, target: number, seed: number): Written {
  const rec = recording(LINES, seed);
  const fns = rec.fns;
  const b = new MojoBytes();
  const rand = random(seed + 1);
  for (const c of 'MOJ') b.u8(c.charCodeAt(0));
  b.int(3);
  for (const [key, value] of [
    ['austin', '3.7.0'],
    ['interval', '100'],
    ['mode', 'wall'],
  ]) {
    b.u8(MOJO_METADATA);
    b.cstring(key);
    b.cstring(value);
  }
  const stringKeys = new Map<string, number>();
  const frameKeys = new Map<number, number>();
  const stringKey = (s: string) => {
    let key = stringKeys.get(s);
    if (key === undefined) {
      key = 0x1_9000_0000 + 16 * stringKeys.size;
      stringKeys.set(s, key);
      b.u8(MOJO_STRING);
      b.int(key);
      b.cstring(s);
    }
    return key;
  };
  const frameKey = (f: number, line: number) => {
    let key = frameKeys.get(f * 65_536 + line);
    if (key === undefined) {
      key = 0x28_0000_0000 + 24 * frameKeys.size;
      frameKeys.set(f * 65_536 + line, key);
      const file = stringKey(fns[f].file),
        name = stringKey(fns[f].name);
      b.u8(MOJO_FRAME);
      b.int(key);
      b.int(file);
      b.int(name);
      b.int(line);
      b.int(line);
      b.int(4 + (line % 9));
      b.int(20 + (line % 31));
    }
    return key;
  };
  let us = 0;
  for (const run of rec.runs(() => b.at >= target)) {
    for (let i = 0; i < run.count; i++) {
      b.u8(MOJO_STACK);
      b.int(25_149);
      b.int(0);
      b.cstring(TIDS[run.thread].toString(16));
      const keys = run.walk.fns.map((f, d) => frameKey(f, run.walk.lines[d]));
      for (const key of keys) {
        b.u8(MOJO_FRAME_REF);
        b.int(key);
      }
      const time = 90 + Math.floor(rand() * 40);
      b.u8(MOJO_METRIC_TIME);
      b.int(time);
      us += time;
    }
  }
  b.u8(MOJO_METADATA);
  b.cstring('duration');
  b.cstring(String(us + 1_000));
  const fd = openSync(path, 'w');
  writeSync(fd, b.buf.subarray(0, b.at));
  closeSync(fd);
  return { samples: us };
}

const WRITERS: Record<FormatKind, (path: string, target: number, seed: number) => Written> = {
  speedscope: writeSpeedscope,
  'chrome-trace': writeChromeTrace,
  pyinstrument: writePyinstrument,
  gecko: writeGecko,
  'tachyon-bin': writeTachyonBinary,
  callgrind: writeCallgrind,
  pprof: writePprof,
  'austin-mojo': writeMojo,
};

/** Each kind's file name ending, as its profiler names its output. */
export const FORMAT_EXTENSIONS: Record<FormatKind, string> = {
  speedscope: 'speedscope.json',
  'chrome-trace': 'chrometrace.json',
  pyinstrument: 'pyisession',
  gecko: 'gecko.json',
  'tachyon-bin': 'bin',
  callgrind: 'callgrind',
  pprof: 'pb.gz',
  'austin-mojo': 'mojo',
};

/** Writes about `targetBytes` of a recording in format `kind` to `path`. */
export function writeFormat(kind: FormatKind, path: string, targetBytes: number, seed = 11): Written {
  return WRITERS[kind](path, targetBytes, seed);
}
