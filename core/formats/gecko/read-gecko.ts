/**
 * The Firefox Profiler's processed format (`meta.preprocessedProfileVersion`), as Tachyon writes
 * it (`--gecko`): one thread per tid, each with its own sample, stack (prefix links), frame, func
 * and resource tables and its markers; strings in `shared.stringArray`. Threads become root
 * frames `tid:N`, frames are spelled as Tachyon's collapsed stacks spell them, samples keep their
 * times for the time order and markers with a duration become intervals along it.
 */
import { GrowableArray, floats, ints } from '~/core/model/builders';
import { FAILED_NODE, ProfileError, type Intervals, type Profile, type Timeline } from '~/core/model/profile';
import { StackCollector, MAX_STACK_FRAMES } from '../stacks/stack-collector';
import { splitTachyonFrame } from '../stacks/tachyon';
import {
  parseAt,
  splitJson,
  splitJsonBytes,
  type ArrayReader,
  type JsonPath,
  type SplitJson,
} from '../json/json-split';
import { NumberColumnReader, columnOf, elementAt, type NumberColumn } from './number-column';

type Json = unknown;
type Record_ = { [key: string]: Json };

const isRecord = (v: Json): v is Record_ => typeof v === 'object' && v !== null && !Array.isArray(v);

function field(o: Record_, key: string, where: string): Json {
  if (!Object.hasOwn(o, key)) throw new ProfileError(`${where} has no "${key}"`);
  return o[key];
}

function record(o: Record_, key: string, where: string): Record_ {
  const v = field(o, key, where);
  if (!isRecord(v)) throw new ProfileError(`${where}.${key} should be an object`);
  return v;
}

function list(o: Record_, key: string, where: string, length?: number): Json[] {
  const v = field(o, key, where);
  if (!Array.isArray(v)) throw new ProfileError(`${where}.${key} should be an array`);
  if (length !== undefined && v.length !== length) {
    throw new ProfileError(`${where}.${key} holds ${v.length} items, but its table ${length}`);
  }
  return v;
}

/** The table's rows, from its `length` or the length of its first column. */
function tableLength(t: Record_, where: string, columnLength: () => number): number {
  const n = Object.hasOwn(t, 'length') ? t.length : columnLength();
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ProfileError(`${where}.length is not a count`);
  return n;
}

function index(v: Json, n: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) {
    throw new ProfileError(`${what} should be an index below ${n} but is ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  return v;
}

const finite = (v: Json, what: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ProfileError(`${what} should be a number`);
  return v;
};

/** Whether the data's start is a processed Firefox Profiler profile: `{"meta": {…` with its version. */
export function looksLikeGecko(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head.subarray(0, 4096));
  return /^\s*\{\s*"meta"\s*:\s*\{/.test(text) && /"(preprocessedProfileVersion|startTime|interval)"\s*:/.test(text);
}

/** A function's label (file and name, or the name of a function without a file) and its frames by line. */
interface FuncFrames {
  label: string;
  lineless: boolean;
  byLine: Map<number, number>;
}

interface ThreadSamples {
  time: Float64Array;
  leaf: Int32Array;
}

const WHAT = 'a Firefox Profiler profile';

/** The tables whose columns are read from the bytes, and of each the columns the reader uses. */
const STREAMED: Record<string, readonly string[]> = {
  samples: ['stack', 'time', 'weight'],
  stackTable: ['frame', 'prefix'],
  frameTable: ['func', 'line'],
};

/** The columns of each thread's tables read as the bytes arrived. */
class Arrivals {
  private readonly readers = new Map<string, NumberColumnReader>();

  readonly choose = (path: JsonPath): ArrayReader | undefined => {
    const [threads, thread, table, key] = path;
    if (path.length !== 4 || threads !== 'threads' || typeof thread !== 'number') return undefined;
    const used = Object.hasOwn(STREAMED, table) ? STREAMED[table as string] : undefined;
    if (!used) return undefined;
    // The columns not used are read too, so that they are not kept in the rest as JSON arrays.
    const reader = new NumberColumnReader(used.includes(key as string));
    this.readers.set(`${thread}.${table}.${key}`, reader);
    return reader;
  };

  /** The column `key` of `table` in thread `thread`'s record `t`: as read from the bytes, or from its JSON array. */
  column(t: Record_, thread: number, table: string, key: string, where: string): NumberColumn {
    const reader = this.readers.get(`${thread}.${table}.${key}`);
    const tableRecord = record(t, table, where);
    return reader ? reader.column() : columnOf(list(tableRecord, key, `${where}.${table}`));
  }
}

/** Reads a processed Firefox Profiler profile as its bytes arrive. */
export async function parseGeckoStream(data: ReadableStream<Uint8Array>, fileName: string): Promise<Profile> {
  const arrivals = new Arrivals();
  return readGecko(await splitJson(data, arrivals.choose, WHAT), arrivals, fileName);
}

export function parseGecko(bytes: Uint8Array, fileName: string): Profile {
  const arrivals = new Arrivals();
  return readGecko(splitJsonBytes(bytes, arrivals.choose, WHAT), arrivals, fileName);
}

function sized(c: NumberColumn, length: number, what: string): NumberColumn {
  if (c.values.length !== length)
    throw new ProfileError(`${what} holds ${c.values.length} items, but its table ${length}`);
  return c;
}

const isNull = (c: NumberColumn, i: number) => Number.isNaN(c.values[i]) && !c.odd.has(i);

function indexAt(c: NumberColumn, i: number, n: number, what: string): number {
  const v = c.values[i];
  return v >= 0 && v < n && Number.isInteger(v) ? v : index(elementAt(c, i), n, what);
}

function finiteAt(c: NumberColumn, i: number, what: string): number {
  const v = c.values[i];
  return Number.isFinite(v) ? v : finite(elementAt(c, i), what);
}

function readGecko(split: SplitJson, arrivals: Arrivals, fileName: string): Profile {
  const root = parseAt(split.rest, WHAT, split.fileOffset);
  if (!isRecord(root)) throw new ProfileError('a Firefox Profiler profile should be a JSON object');
  const meta = record(root, 'meta', 'the profile');
  if (!Object.hasOwn(meta, 'preprocessedProfileVersion')) {
    throw new ProfileError(
      'this is a Firefox Profiler profile as Gecko records it, not processed; Kiln reads the processed format',
    );
  }
  const shared = record(root, 'shared', 'the profile');
  const strings = list(shared, 'stringArray', 'shared');
  const text = (v: Json, what: string): string => {
    const s = strings[index(v, strings.length, what)];
    if (typeof s !== 'string') throw new ProfileError(`${what} names a string that is not one`);
    return s;
  };
  const threads = list(root, 'threads', 'the profile');
  if (threads.length === 0) throw new ProfileError('the profile holds no threads');

  const c = new StackCollector();
  const perThread: ThreadSamples[] = [];
  const intervalName = new GrowableArray(ints),
    intervalThread = new GrowableArray(ints);
  const intervalStart = new GrowableArray(floats),
    intervalEnd = new GrowableArray(floats);
  const path = new Int32Array(MAX_STACK_FRAMES + 1);
  /** Each function's frames by line, across threads: a frame's label is made once, not once per thread's frame. */
  const funcsByKey = new Map<string, FuncFrames>();

  threads.forEach((t, ti) => {
    const where = `thread ${ti}`;
    if (!isRecord(t)) throw new ProfileError(`${where} should be an object`);
    const tid = field(t, 'tid', where);
    const threadLabel = `tid:${typeof tid === 'number' || typeof tid === 'string' ? tid : ti}`;
    const threadFrame = c.frameId(threadLabel, splitTachyonFrame);
    /** A column of one of the tables read from the bytes, checked to hold `length` items when that is known. */
    const column = (table: string, key: string, length?: number) => {
      const col = arrivals.column(t, ti, table, key, where);
      return length === undefined ? col : sized(col, length, `${where}.${table}.${key}`);
    };
    const rows = (table: string, key: string) =>
      tableLength(record(t, table, where), `${where}.${table}`, () => column(table, key).values.length);

    const funcs = record(t, 'funcTable', where);
    const funcCount = tableLength(funcs, `${where}.funcTable`, () => list(funcs, 'name', `${where}.funcTable`).length);
    const funcName = list(funcs, 'name', `${where}.funcTable`, funcCount);
    const funcFile = list(funcs, 'fileName', `${where}.funcTable`, funcCount);
    const funcResource = Object.hasOwn(funcs, 'resource')
      ? list(funcs, 'resource', `${where}.funcTable`, funcCount)
      : [];
    const resources = Object.hasOwn(t, 'resourceTable') ? record(t, 'resourceTable', where) : {};
    const resourceName = Object.hasOwn(resources, 'name') ? list(resources, 'name', `${where}.resourceTable`) : [];

    const frameCount = rows('frameTable', 'func');
    const frameFunc = column('frameTable', 'func', frameCount);
    const frameLine = Object.hasOwn(record(t, 'frameTable', where), 'line')
      ? column('frameTable', 'line', frameCount)
      : null;
    const frameId = new Int32Array(frameCount);
    const framesOfFunc = new Array<FuncFrames | undefined>(funcCount);
    for (let f = 0; f < frameCount; f++) {
      const fn = indexAt(frameFunc, f, funcCount, `${where} frame ${f}'s func`);
      let func = framesOfFunc[fn];
      if (!func) {
        const name = text(funcName[fn], `${where} func ${fn}'s name`);
        let file = funcFile[fn] === null ? '' : text(funcFile[fn], `${where} func ${fn}'s fileName`);
        const resource = funcResource[fn];
        if (file === '' && typeof resource === 'number' && resource >= 0 && resource < resourceName.length) {
          file = text(resourceName[resource], `${where} resource ${resource}'s name`);
        }
        const lineless = file === '~' || file === '';
        const label = lineless ? name : `${file}:${name}`;
        const key = lineless ? `\0${label}` : label;
        func = funcsByKey.get(key);
        if (!func) funcsByKey.set(key, (func = { label, lineless, byLine: new Map() }));
        framesOfFunc[fn] = func;
      }
      const line = !frameLine || isNull(frameLine, f) ? 0 : finiteAt(frameLine, f, `${where} frame ${f}'s line`);
      const lineKey = func.lineless ? 0 : line;
      let id = func.byLine.get(lineKey);
      if (id === undefined) {
        id = c.frameId(func.lineless ? func.label : `${func.label}:${line}`, splitTachyonFrame);
        func.byLine.set(lineKey, id);
      }
      frameId[f] = id;
    }

    const stackCount = rows('stackTable', 'frame');
    const stackFrame = column('stackTable', 'frame', stackCount);
    const stackPrefix = column('stackTable', 'prefix', stackCount);
    const prefix = new Int32Array(stackCount);
    const depth = new Int32Array(stackCount);
    for (let s = 0; s < stackCount; s++) {
      indexAt(stackFrame, s, frameCount, `${where} stack ${s}'s frame`);
      // A prefix comes before its stack, so no chain of prefixes loops.
      prefix[s] = isNull(stackPrefix, s) ? -1 : indexAt(stackPrefix, s, s, `${where} stack ${s}'s prefix`);
      depth[s] = prefix[s] < 0 ? 1 : depth[prefix[s]] + 1;
      if (depth[s] > MAX_STACK_FRAMES)
        throw new ProfileError(`${where} stack ${s} holds more than ${MAX_STACK_FRAMES} frames`);
    }

    const samples = record(t, 'samples', where);
    const sampleCount = rows('samples', 'stack');
    const sampleStack = column('samples', 'stack', sampleCount);
    const sampleTime = column('samples', 'time', sampleCount);
    const weights =
      Object.hasOwn(samples, 'weight') && samples.weight !== null ? column('samples', 'weight', sampleCount) : null;
    const stackWeight = new Float64Array(stackCount);
    const time = new Float64Array(sampleCount);
    const stackOf = new Int32Array(sampleCount);
    for (let i = 0; i < sampleCount; i++) {
      time[i] = finiteAt(sampleTime, i, `${where} sample ${i}'s time`) * 1000;
      const w = weights ? finiteAt(weights, i, `${where} sample ${i}'s weight`) : 1;
      if (isNull(sampleStack, i)) {
        c.addFailed(w);
        stackOf[i] = -1;
        continue;
      }
      const s = indexAt(sampleStack, i, stackCount, `${where} sample ${i}'s stack`);
      stackWeight[s] += w;
      stackOf[i] = s;
    }
    const frameOfStack = stackFrame.values;
    const leafOfStack = new Int32Array(stackCount).fill(-1);
    for (let s = 0; s < stackCount; s++) {
      if (stackWeight[s] === 0) continue;
      let n = depth[s];
      path[0] = threadFrame;
      for (let k = s; k >= 0; k = prefix[k]) path[n--] = frameId[frameOfStack[k]];
      c.begin();
      for (let k = 0; k <= depth[s]; k++) c.pushId(path[k]);
      leafOfStack[s] = c.commit(stackWeight[s]);
    }
    const leaf = new Int32Array(sampleCount);
    for (let i = 0; i < sampleCount; i++) leaf[i] = stackOf[i] < 0 ? FAILED_NODE : leafOfStack[stackOf[i]];
    perThread.push({ time, leaf });

    if (Object.hasOwn(t, 'markers')) {
      const markers = record(t, 'markers', where);
      const n = tableLength(markers, `${where}.markers`, () => list(markers, 'name', `${where}.markers`).length);
      const names = list(markers, 'name', `${where}.markers`, n);
      const starts = list(markers, 'startTime', `${where}.markers`, n);
      const ends = list(markers, 'endTime', `${where}.markers`, n);
      for (let m = 0; m < n; m++) {
        // Instant markers (no end) are no interval.
        if (ends[m] === null || starts[m] === null) continue;
        intervalName.push(c.strings.intern(text(names[m], `${where} marker ${m}'s name`)));
        intervalThread.push(threadFrame);
        intervalStart.push(finite(starts[m], `${where} marker ${m}'s start`) * 1000);
        intervalEnd.push(finite(ends[m], `${where} marker ${m}'s end`) * 1000);
      }
    }
  });

  if (c.stackLines === 0) throw new ProfileError('the profile holds no samples');
  const { profile, order } = c.build({ format: 'gecko', unit: 'samples', fileName });
  const timeline = mergedTimeline(perThread, order);
  const startMs = typeof meta.startTime === 'number' && Number.isFinite(meta.startTime) ? meta.startTime : 0;
  const first = timeline.first;
  profile.timeline = { time: timeline.time, node: timeline.node, firstUs: startMs * 1000 + first };
  const start = intervalStart.view(),
    end = intervalEnd.view();
  for (let i = 0; i < start.length; i++) {
    start[i] -= first;
    end[i] -= first;
  }
  if (start.length > 0) {
    profile.intervals = {
      count: start.length,
      name: intervalName.view(),
      thread: intervalThread.view(),
      start,
      end,
    } satisfies Intervals;
  }
  return profile;
}

/** Every thread's samples in one time order, times from the earliest; leaves as tree nodes. */
function mergedTimeline(threads: ThreadSamples[], order: Int32Array): Timeline & { first: number } {
  let n = 0;
  for (const t of threads) n += t.time.length;
  const time = new Float64Array(n),
    node = new Int32Array(n),
    byTime = new Int32Array(n);
  let at = 0;
  for (const t of threads) {
    for (let i = 0; i < t.time.length; i++, at++) {
      time[at] = t.time[i];
      node[at] = t.leaf[i] >= 0 ? order[t.leaf[i]] : t.leaf[i];
      byTime[at] = at;
    }
  }
  byTime.sort((a, b) => time[a] - time[b] || a - b);
  const first = n > 0 ? time[byTime[0]] : 0;
  return {
    time: Float64Array.from(byTime, (k) => time[k] - first),
    node: Int32Array.from(byTime, (k) => node[k]),
    firstUs: 0,
    first,
  };
}
