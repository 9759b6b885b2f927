/**
 * speedscope's JSON file format (speedscope's `src/lib/file-format-spec.ts`): shared frames
 * `{name, file?, line?, col?}` and profiles, each "sampled" (stacks of frame indices with weights)
 * or "evented" (open and close events at times). Each profile of a file with several is a thread
 * (py-spy writes one per thread): its name becomes a root frame. Evented profiles are timed, so
 * they also make the timeline.
 */
import { FrameKind, ProfileError, type Profile, type WeightUnit } from '~/core/model/profile';
import { grown } from '~/core/model/builders';
import { StackProfileBuilder } from '../stack-profile';
import { kindOfName } from '../thread-frames';
import { isRecord, own, ownArray, ownNumber, ownString } from '../json/json-value';
import {
  parseAt,
  splitJson,
  splitJsonBytes,
  type ArrayReader,
  type JsonPath,
  type SplitJson,
} from '../json/json-split';
import { EMPTY, ODD, SampleTrie, oneScanner } from './sample-trie';
import { SharedFrameReader, type Frames } from './shared-frames';

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

/** Each speedscope unit as Kiln's unit and the factor that converts to it. */
const UNITS: Record<string, { unit: WeightUnit; scale: number; us: number }> = {
  none: { unit: 'samples', scale: 1, us: NaN },
  nanoseconds: { unit: 'microseconds', scale: 1e-3, us: 1e-3 },
  microseconds: { unit: 'microseconds', scale: 1, us: 1 },
  milliseconds: { unit: 'microseconds', scale: 1e3, us: 1e3 },
  seconds: { unit: 'seconds', scale: 1, us: 1e6 },
  bytes: { unit: 'kilobytes', scale: 1 / 1024, us: NaN },
};

/** The one unit of all profiles: times in different units are read as microseconds. */
function commonUnit(units: string[]): { unit: WeightUnit; scaleOf: (u: string) => number } {
  const kinds = new Set(units.map((u) => UNITS[u].unit));
  if (kinds.size === 1) {
    const unit = [...kinds][0];
    const first = UNITS[units[0]].scale;
    if (units.every((u) => UNITS[u].scale === first)) return { unit, scaleOf: (u) => UNITS[u].scale };
    if (unit === 'microseconds') return { unit, scaleOf: (u) => UNITS[u].scale };
  }
  if ([...kinds].every((k) => k === 'seconds' || k === 'microseconds'))
    return { unit: 'microseconds', scaleOf: (u) => UNITS[u].us };
  throw new ProfileError(`its profiles are in units that do not add up (${[...new Set(units)].join(', ')})`);
}

/** A profile's root frame (-1: none), and whether it is a thread rather than a process. */
interface Root {
  id: number;
  thread: boolean;
}

/**
 * The root frame a profile of this file gets, or -1: each of several profiles is a thread, and so
 * is a lone one named like one, or named apart from the file by Kiln's export (which names a
 * profile by its thread).
 */
function profileRoot(file: unknown, profile: unknown, several: boolean, b: StackProfileBuilder, i: number): Root {
  const name = ownString(profile, 'name') ?? `profile ${i + 1}`;
  const kind = kindOfName(name);
  const kilnThread = ownString(file, 'exporter') === 'kiln' && name !== ownString(file, 'name');
  if (kind === FrameKind.code && !several && !kilnThread) return { id: -1, thread: false };
  const rootKind = kind === FrameKind.code ? FrameKind.thread : kind;
  return { id: b.frame(name, '', -1, rootKind), thread: rootKind === FrameKind.thread };
}

/** The shared frame `x` names; a ProfileError when it is none. */
function sharedIndex(x: unknown, frames: Frames, where: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= frames.ids.length)
    throw new ProfileError(`${where} names frame ${String(x).slice(0, 40)}, which the file does not hold`);
  return x;
}

const sampleName = (s: number, i: number) => `sample ${s + 1} of profile ${i + 1}`;

/**
 * Sampled stacks, from the trie of frame indices they were merged into as they arrived: each
 * node becomes a node of the call tree the first time a sample ends at or below it, in the order
 * of the samples, so the tree is made in the order, and its weights summed in the order, that a
 * walk of every sample would make and sum them. A pyinstrument `[self]` frame is its parent's
 * node; a thread's root frame is left out above a stack that starts with a thread of its own.
 */
function readSampled(
  p: unknown,
  i: number,
  root: Root,
  scale: number,
  frames: Frames,
  b: StackProfileBuilder,
  trie: SampleTrie,
): void {
  const leaves = trie.sampleLeaves();
  const weights = ownArray(p, 'weights');
  if (!weights) throw new ProfileError(`profile ${i + 1} is sampled but lacks samples or weights`);
  if (leaves.length !== weights.length)
    throw new ProfileError(`profile ${i + 1} has ${leaves.length} samples but ${weights.length} weights`);
  const { ids, thread, ownTime } = frames;
  const { parent, index } = trie;
  /** Each trie node's tree node (-1: none, the stack is idle), UNSEEN until a sample needs it. */
  const UNSEEN = -2;
  const treeNode = new Int32Array(trie.nodes).fill(UNSEEN);
  let chain = new Int32Array(64);
  for (let s = 0; s < leaves.length; s++) {
    const w = weights[s],
      leaf = leaves[s];
    const odd = leaf === ODD ? trie.odd.get(s) : undefined;
    if ((leaf === ODD && !Array.isArray(odd)) || typeof w !== 'number' || !(w >= 0) || !Number.isFinite(w)) {
      b.invalid(s + 1);
      continue;
    }
    // An array kept as JSON holds something that is no frame index: the first such entry is told.
    if (Array.isArray(odd)) for (const f of odd) sharedIndex(f, frames, sampleName(s, i));
    if (leaf === EMPTY) {
      b.addAt(-1, w * scale);
      continue;
    }
    let n = 0;
    for (let x = leaf; x >= 0 && treeNode[x] === UNSEEN; x = parent[x]) {
      if (n === chain.length) chain = grown(chain);
      chain[n++] = x;
    }
    while (n > 0) {
      const x = chain[--n],
        k = index[x];
      if (k >= ids.length) sharedIndex(k, frames, sampleName(s, i));
      const up = parent[x];
      const above =
        up >= 0 ? treeNode[up] : root.id >= 0 && !(root.thread && thread[k]) ? b.tree.step(-1, root.id) : -1;
      treeNode[x] = ownTime[k] ? above : b.tree.step(above, ids[k]);
    }
    b.addAt(treeNode[leaf], w * scale);
  }
}

/** The samples of a profile not read as they arrived (a file in UTF-16), from its parsed value. */
function parsedSamples(p: unknown, i: number): SampleTrie {
  const samples = ownArray(p, 'samples');
  if (!samples) throw new ProfileError(`profile ${i + 1} is sampled but lacks samples or weights`);
  const trie = new SampleTrie();
  trie.values(samples, 0);
  return trie;
}

/**
 * Open (`O`) and close (`C`) events in time order: the time between two events weighs on the
 * stack open then. A close of a frame below the top closes those above it too.
 */
function readEvented(
  p: unknown,
  i: number,
  root: Root,
  scale: number,
  usPerUnit: number,
  frames: Frames,
  b: StackProfileBuilder,
): void {
  const events = ownArray(p, 'events');
  if (!events) throw new ProfileError(`profile ${i + 1} is evented but has no events`);
  const lane = Number.isFinite(usPerUnit) ? b.lane() : -1;
  const start = ownNumber(p, 'startValue') ?? 0;
  const nodes: number[] = [root.id >= 0 ? b.tree.step(-1, root.id) : -1];
  const openFrames: number[] = [-1];
  let last = start;
  let unbalanced = 0;
  const weigh = (until: number) => {
    const top = nodes[nodes.length - 1];
    if (until > last && nodes.length > 1) {
      b.addAt(top, (until - last) * scale);
      if (lane >= 0) b.interval(lane, last * usPerUnit, until * usPerUnit, top);
    }
    last = Math.max(last, until);
  };
  for (let e = 0; e < events.length; e++) {
    const ev = events[e];
    const type = ownString(ev, 'type');
    const at = ownNumber(ev, 'at');
    if ((type !== 'O' && type !== 'C') || at === undefined) {
      b.invalid(e + 1);
      continue;
    }
    if (at < last) throw new ProfileError(`event ${e + 1} of profile ${i + 1} is earlier than the one before it`);
    const shared = sharedIndex(own(ev, 'frame'), frames, `event ${e + 1} of profile ${i + 1}`);
    const frame = frames.ids[shared];
    weigh(at);
    if (type === 'O') {
      const top = nodes[nodes.length - 1];
      nodes.push(frames.ownTime[shared] && top >= 0 ? top : b.tree.step(top, frame));
      openFrames.push(frame);
      continue;
    }
    const depth = openFrames.lastIndexOf(frame);
    if (depth <= 0) {
      unbalanced++;
      continue;
    }
    if (depth !== openFrames.length - 1) unbalanced++;
    nodes.length = depth;
    openFrames.length = depth;
  }
  const end = ownNumber(p, 'endValue');
  if (nodes.length > 1 && end !== undefined && end > last) weigh(end);
  if (unbalanced > 0)
    b.warnings.push(`Profile ${i + 1}: ${unbalanced} close events did not match the frame open at the top.`);
}

/** What is read of a file as it arrives: its shared frames and its profiles' samples. */
class Arrivals {
  readonly samples = new Map<number, SampleTrie>();
  frames: SharedFrameReader | undefined;
  private readonly scanner = oneScanner();

  constructor(private readonly b: StackProfileBuilder) {}

  readonly choose = (path: JsonPath): ArrayReader | undefined => {
    if (path.length === 3 && path[0] === 'profiles' && typeof path[1] === 'number' && path[2] === 'samples') {
      const reader = new SampleTrie(this.scanner);
      this.samples.set(path[1], reader);
      return reader;
    }
    if (path.length === 2 && path[0] === 'shared' && path[1] === 'frames') {
      if (this.frames) throw new ProfileError('this speedscope file has two shared.frames lists');
      return (this.frames = new SharedFrameReader(this.b));
    }
    return undefined;
  };
}

const WHAT = 'a speedscope file';

/** Reads a speedscope file as its bytes arrive. */
export async function parseSpeedscopeStream(data: ReadableStream<Uint8Array>, fileName: string): Promise<Profile> {
  const b = new StackProfileBuilder();
  const arrivals = new Arrivals(b);
  return readSplit(await splitJson(data, arrivals.choose, WHAT), arrivals, b, fileName);
}

export function parseSpeedscope(bytes: Uint8Array, fileName: string): Profile {
  const b = new StackProfileBuilder();
  const arrivals = new Arrivals(b);
  return readSplit(splitJsonBytes(bytes, arrivals.choose, WHAT), arrivals, b, fileName);
}

function readSplit(split: SplitJson, arrivals: Arrivals, b: StackProfileBuilder, fileName: string): Profile {
  const file = parseAt(split.rest, WHAT, split.fileOffset);
  const profiles = ownArray(file, 'profiles');
  if (!isRecord(file) || !profiles) throw new ProfileError('this speedscope file has no profiles list');
  const list = ownArray(own(file, 'shared'), 'frames');
  if (!list) throw new ProfileError('this speedscope file has no shared.frames list');
  // Frames not read as they arrived (a file in UTF-16) are read from the parsed list.
  let reader = arrivals.frames;
  if (!reader) (reader = new SharedFrameReader(b)).values(list, 0);
  const frames = reader.frames();
  const units = profiles.map((p, i) => {
    const u = ownString(p, 'unit');
    if (u === undefined || !Object.hasOwn(UNITS, u))
      throw new ProfileError(`profile ${i + 1} has the unit ${JSON.stringify(u)}, which speedscope does not define`);
    return u;
  });
  if (profiles.length === 0) throw new ProfileError('this speedscope file holds no profiles');
  const { unit, scaleOf } = commonUnit(units);
  const several = profiles.length > 1;
  profiles.forEach((p, i) => {
    const root = profileRoot(file, p, several, b, i);
    const type = ownString(p, 'type');
    const scale = scaleOf(units[i]);
    if (type === 'sampled') {
      readSampled(p, i, root, scale, frames, b, arrivals.samples.get(i) ?? parsedSamples(p, i));
      // Its tree made, a profile's trie is let go before the next is read and the call tree is built.
      arrivals.samples.delete(i);
    } else if (type === 'evented') readEvented(p, i, root, scale, UNITS[units[i]].us, frames, b);
    else throw new ProfileError(`profile ${i + 1} is of type ${JSON.stringify(type)}, neither sampled nor evented`);
  });
  if (b.invalidLines > 0)
    b.warnings.push(
      `${b.invalidLines} samples or events were not readable (a weight, type or time missing) and were skipped.`,
    );
  return b.build('speedscope', unit, fileName);
}
