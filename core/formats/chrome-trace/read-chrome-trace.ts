/**
 * Chrome's trace event format, as py-spy `--format chrometrace` and viztracer write it: a JSON array
 * of events (or `{traceEvents: [...]}`), each on a `pid`/`tid`, at `ts` microseconds. Duration
 * events `B`…`E` and complete events `X` (`ts` + `dur`) nest per thread; the time between two
 * moments weighs on the innermost open frame. Every thread is a lane of the timeline; the tree
 * merges them, each thread (and, when there are several, each process) a root frame unless its
 * events already start with one (py-spy `--threads`). Metadata events (`M`) name threads and
 * processes; other phases are not stacks and are passed over.
 */
import { FrameKind, ProfileError, type Profile } from '~/core/model/profile';
import { StackProfileBuilder } from '../stack-profile';
import { kindOfName } from '../thread-frames';
import { splitParenFrame } from '../stacks/frame-parts';
import { own, ownArray, ownNumber, ownString } from '../json/json-value';
import {
  parseAt,
  splitJson,
  splitJsonBytes,
  type ArrayReader,
  type JsonPath,
  type SplitJson,
} from '../json/json-split';

/** One B, E or X event of a thread, in the order it comes. */
interface Item {
  ts: number;
  /** 0: E, 1: B, 2: X: at one moment closes go first, then opens. */
  phase: 0 | 1 | 2;
  dur: number;
  frame: number;
  index: number;
}

interface Thread {
  pid: number;
  tid: number;
  items: Item[];
}

const keyOf = (pid: number, tid: number) => `${pid}\u0000${tid}`;

/** The frame of a B or X event: py-spy puts the file and line in `args`, viztracer in the name. */
function frameOf(ev: unknown, name: string, b: StackProfileBuilder): number {
  const args = own(ev, 'args');
  const file = ownString(args, 'filename');
  if (file !== undefined) {
    const line = ownNumber(args, 'line');
    const kind = file === '' ? kindOfName(name) : FrameKind.code;
    return b.frame(name, file, line !== undefined && Number.isInteger(line) && line >= 0 ? line : -1, kind);
  }
  const parts = splitParenFrame(name);
  return b.frame(parts.name, parts.file, parts.line, parts.file ? FrameKind.code : kindOfName(name));
}

/** The events of a trace, read one by one as they arrive. */
class TraceEvents implements ArrayReader {
  readonly b = new StackProfileBuilder();
  private readonly threads = new Map<string, Thread>();
  private readonly threadNames = new Map<string, string>();
  private readonly processNames = new Map<number, string>();
  private skipped = 0;
  /** Whether a list of events was read as it arrived. */
  arrived = false;

  readonly choose = (path: JsonPath): ArrayReader | undefined => {
    if (path.length !== 0 && !(path.length === 1 && path[0] === 'traceEvents')) return undefined;
    if (this.arrived) throw new ProfileError('this Chrome trace has two lists of events');
    this.arrived = true;
    return this;
  };

  values(events: unknown[], first: number): void {
    const b = this.b;
    for (let k = 0; k < events.length; k++) {
      const ev = events[k];
      const i = first + k;
      const ph = ownString(ev, 'ph');
      const pid = ownNumber(ev, 'pid') ?? 0;
      const tid = ownNumber(ev, 'tid') ?? 0;
      if (ph === 'M') {
        const name = ownString(own(ev, 'args'), 'name');
        if (name === undefined) continue;
        if (ownString(ev, 'name') === 'thread_name') this.threadNames.set(keyOf(pid, tid), name);
        else if (ownString(ev, 'name') === 'process_name') this.processNames.set(pid, name);
        continue;
      }
      if (ph !== 'B' && ph !== 'E' && ph !== 'X') continue;
      const ts = ownNumber(ev, 'ts');
      const dur = ph === 'X' ? ownNumber(ev, 'dur') : 0;
      const name = ownString(ev, 'name') ?? '';
      if (ts === undefined || dur === undefined || dur < 0) {
        this.skipped++;
        b.invalid(i + 1);
        continue;
      }
      const key = keyOf(pid, tid);
      let thread = this.threads.get(key);
      if (!thread) this.threads.set(key, (thread = { pid, tid, items: [] }));
      const frame = ph === 'E' ? -1 : frameOf(ev, name, b);
      thread.items.push({ ts, phase: ph === 'E' ? 0 : ph === 'B' ? 1 : 2, dur, frame, index: i });
    }
  }

  profile(fileName: string): Profile {
    const { b, threads, processNames, threadNames } = this;
    if (threads.size === 0) throw new ProfileError('this Chrome trace holds no duration events (B, E or X)');
    const pids = new Set([...threads.values()].map((t) => t.pid));
    let first = Infinity;
    for (const t of threads.values()) for (const it of t.items) first = Math.min(first, it.ts);
    let unmatched = 0;
    for (const [key, thread] of threads) {
      const roots: number[] = [];
      if (pids.size > 1) {
        const name = processNames.get(thread.pid);
        const label = name === undefined ? `process ${thread.pid}` : `process ${thread.pid}:"${name}"`;
        roots.push(b.frame(label, '', -1, FrameKind.process));
      }
      unmatched += readThread(thread, roots, threadNames.get(key), threads.size > 1, first, b);
    }
    if (unmatched > 0) b.warnings.push(`${unmatched} end events (E) had no begin event open on their thread.`);
    if (this.skipped > 0)
      b.warnings.push(`${this.skipped} events had no time (ts) or a bad duration and were skipped.`);
    return b.build('chrome-trace', 'microseconds', fileName, first);
  }
}

const WHAT = 'a Chrome trace';

/** The profile of a split trace: Chrome's array form may end without its `]` (a trace cut short by the tracer). */
function readSplit(split: SplitJson, events: TraceEvents, fileName: string): Profile {
  const cutShort = split.open.some((path) => path.length === 0);
  const value = parseAt(cutShort ? `${split.rest}]` : split.rest, WHAT, split.fileOffset);
  const list = Array.isArray(value) ? value : ownArray(value, 'traceEvents');
  if (!list) throw new ProfileError('this Chrome trace has no traceEvents list');
  // Events not read as they arrived (a trace in UTF-16) are read from the parsed list.
  if (!events.arrived) events.values(list, 0);
  return events.profile(fileName);
}

export function parseChromeTrace(bytes: Uint8Array, fileName: string): Profile {
  const events = new TraceEvents();
  return readSplit(splitJsonBytes(bytes, events.choose, WHAT), events, fileName);
}

/** Reads a Chrome trace as its bytes arrive. */
export async function parseChromeTraceStream(data: ReadableStream<Uint8Array>, fileName: string): Promise<Profile> {
  const events = new TraceEvents();
  return readSplit(await splitJson(data, events.choose, WHAT), events, fileName);
}

/** One thread's events into the tree and its lane of the timeline; returns how many E events closed nothing. */
function readThread(
  thread: Thread,
  processRoot: number[],
  name: string | undefined,
  several: boolean,
  first: number,
  b: StackProfileBuilder,
): number {
  const items = thread.items.sort((x, y) => x.ts - y.ts || x.phase - y.phase || y.dur - x.dur || x.index - y.index);
  const startsWithThread = items.length > 0 && items[0].frame >= 0 && b.kindOf(items[0].frame) === FrameKind.thread;
  const roots = [...processRoot];
  if (several && !startsWithThread) {
    const label = name === undefined ? `thread (${thread.tid})` : `thread (${thread.tid}): ${name}`;
    roots.push(b.frame(label, '', -1, FrameKind.thread));
  }
  let base = -1;
  for (const r of roots) base = b.tree.step(base, r);
  const lane = b.lane();
  /** Open frames: their tree node and when they end (Infinity for B until its E). */
  const nodes: number[] = [base];
  const ends: number[] = [Infinity];
  let now = items.length > 0 ? items[0].ts : 0;
  const weigh = (until: number) => {
    const top = nodes[nodes.length - 1];
    if (until > now && nodes.length > 1) {
      b.addAt(top, until - now);
      b.interval(lane, now - first, until - first, top);
    }
    now = Math.max(now, until);
  };
  const advance = (t: number) => {
    while (nodes.length > 1 && ends[ends.length - 1] <= t) {
      weigh(ends[ends.length - 1]);
      nodes.pop();
      ends.pop();
    }
    weigh(t);
  };
  let unmatched = 0;
  for (const it of items) {
    advance(it.ts);
    if (it.phase === 0) {
      const open = ends.lastIndexOf(Infinity);
      if (open <= 0) unmatched++;
      else {
        nodes.length = open;
        ends.length = open;
      }
      continue;
    }
    nodes.push(b.tree.step(nodes[nodes.length - 1], it.frame));
    ends.push(it.phase === 2 ? it.ts + it.dur : Infinity);
  }
  let last = now;
  for (const e of ends) if (e !== Infinity) last = Math.max(last, e);
  advance(last);
  return unmatched;
}
