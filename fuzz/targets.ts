import { ProfileError, type Profile } from '~/core/model/profile';
import { openProfile } from '~/core/formats/open-profile';
import { parseCallgrindStream } from '~/core/formats/callgrind/read-callgrind';
import { parsePprof } from '~/core/formats/pprof/read-pprof';
import { parseMojo } from '~/core/formats/austin-mojo/read-mojo';
import { parsePstats } from '~/core/formats/pstats/read-pstats';
import { parseGecko } from '~/core/formats/gecko/read-gecko';
import { parseTachyonBinary } from '~/core/formats/tachyon-binary/read-binary';
import { parseFlamegraphHtml } from '~/core/formats/tachyon-html/read-flamegraph-html';
import { parseTachyonJsonl } from '~/core/formats/tachyon-jsonl/read-jsonl';
import { parseStackStream, parseStackText } from '~/core/formats/stacks/read-stacks';
import { parseSpeedscope } from '~/core/formats/speedscope/read-speedscope';
import { parseChromeTrace } from '~/core/formats/chrome-trace/read-chrome-trace';
import { parsePyinstrument } from '~/core/formats/pyinstrument/read-pyinstrument';
import { PstatsMemberReader } from '~/core/formats/pstats/member-reader';
import { ProfileMerger } from '~/core/analysis/merge';
import { toPstatsJson } from '~/core/export/pstats-json';
import { profileViolations } from './invariants';

/** The entry points that read untrusted bytes. */
export const TARGETS = [
  'parsePstats',
  'readSetMember',
  'parseStackText',
  'parseStackStream',
  'parseGecko',
  'parseTachyonBinary',
  'parseSpeedscope',
  'parseChromeTrace',
  'parsePyinstrument',
  'parseCallgrindStream',
  'parsePprof',
  'parseFlamegraphHtml',
  'parseTachyonJsonl',
  'parseMojo',
  'openProfile',
] as const;
export type Target = (typeof TARGETS)[number];

/** One input: the bytes, and where a stream cuts them into chunks (offsets, any order). */
export interface FuzzInput {
  bytes: Uint8Array;
  cuts: number[];
  /** For gzip'd bytes, the length of what they hold: the work a parse has to do. */
  inflated?: number;
}

/** Time a parse may take: generous for a loaded machine, far below what a super-linear loop needs. */
const timeBoundMs = (bytes: number) => 2000 + bytes / 500;
/** Buffers a parse may leave allocated: the profile's own arrays are a small multiple of its input. */
const allocationBound = (bytes: number) => 256 * 1024 * 1024 + 64 * bytes;

function chunks(input: FuzzInput): ReadableStream<Uint8Array> {
  const { bytes } = input;
  const at = [...new Set(input.cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    if (to > from) pieces.push(bytes.slice(from, to));
    from = Math.max(from, to);
  }
  return new ReadableStream<Uint8Array>({
    pull: (controller) => (pieces.length > 0 ? controller.enqueue(pieces.shift()!) : controller.close()),
  });
}

const decoder = new TextDecoder('utf-8');

function run(target: Target, input: FuzzInput): Profile | Promise<Profile> {
  const name = 'fuzz.input';
  switch (target) {
    case 'parsePstats':
      return parsePstats(input.bytes, name);
    case 'readSetMember':
      return setMemberMerged(input.bytes, name);
    case 'parseStackText':
      return parseStackText(decoder.decode(input.bytes), name);
    case 'parseStackStream':
      return parseStackStream(chunks(input), name);
    case 'parseGecko':
      return parseGecko(input.bytes, name);
    case 'parseTachyonBinary':
      return parseTachyonBinary(input.bytes, name);
    case 'parseSpeedscope':
      return parseSpeedscope(input.bytes, name);
    case 'parseChromeTrace':
      return parseChromeTrace(input.bytes, name);
    case 'parsePyinstrument':
      return parsePyinstrument(input.bytes, name);
    case 'parseCallgrindStream':
      return parseCallgrindStream(chunks(input), name);
    case 'parsePprof':
      return parsePprof(input.bytes, name);
    case 'parseFlamegraphHtml':
      return parseFlamegraphHtml(input.bytes, name);
    case 'parseTachyonJsonl':
      return parseTachyonJsonl(input.bytes, name);
    case 'parseMojo':
      return parseMojo(input.bytes, name);
    case 'openProfile':
      return openProfile(new Blob([input.bytes.slice()]), name);
  }
}

/**
 * A pstats file read for a set and merged alone, checked against the full reader: a file the set's
 * reader takes must give the merge `parsePstats` gives; one it leaves is rejected here.
 */
function setMemberMerged(bytes: Uint8Array, name: string): Profile {
  const member = new PstatsMemberReader().read(bytes, name);
  if (!member) throw new ProfileError('left to the full reader');
  const merger = new ProfileMerger();
  merger.addMember(member);
  const merged = merger.result(name);
  const full = new ProfileMerger();
  try {
    full.add(parsePstats(bytes, name));
  } catch (e) {
    throw new Error(`the set's reader took a file the full reader refuses: ${String(e)}`, { cause: e });
  }
  const [a, b] = [merged, full.result(name)].map((p) => JSON.stringify(toPstatsJson(p)));
  if (a !== b)
    throw new Error(`the set's reader and the full reader merge differently: ${a.slice(0, 200)} / ${b.slice(0, 200)}`);
  return merged;
}

export type Outcome = { kind: 'profile'; ms: number } | { kind: 'rejected'; ms: number; message: string };

/**
 * Feeds one input to a parser and returns how it ended, or throws an Error saying which promise
 * it broke: an exception other than ProfileError, a ProfileError without a message, an unsound
 * profile, a parse slower than its bound, or more buffers left allocated than the input explains.
 */
export async function feed(target: Target, input: FuzzInput): Promise<Outcome> {
  const first = await attempt(target, input);
  if (!first.excess) return first.outcome;
  // A busy machine or a collector pause makes one run slow; a parse that is slow is slow again.
  const again = await attempt(target, input);
  if (!again.excess) return again.outcome;
  throw new Error(`${target} ${first.excess}, and again ${again.excess}`);
}

/** One run, and what it took beyond its bounds, if anything. */
async function attempt(target: Target, input: FuzzInput): Promise<{ outcome: Outcome; excess?: string }> {
  const buffersBefore = process.memoryUsage().arrayBuffers;
  const started = performance.now();
  let profile: Profile | undefined;
  let message = '';
  try {
    profile = await run(target, input);
  } catch (e) {
    if (!(e instanceof ProfileError)) throw new Error(`${target} threw ${describe(e)}`, { cause: e });
    if (!e.message) throw new Error(`${target} threw a ProfileError without a message`, { cause: e });
    message = e.message;
  }
  const ms = performance.now() - started;
  const broken = profile ? profileViolations(profile) : [];
  if (broken.length) throw new Error(`${target} returned an unsound profile: ${broken.join('; ')}`);
  const outcome: Outcome = profile ? { kind: 'profile', ms } : { kind: 'rejected', ms, message };
  const n = Math.max(input.bytes.length, input.inflated ?? 0);
  const grown = process.memoryUsage().arrayBuffers - buffersBefore;
  if (ms > timeBoundMs(n)) return { outcome, excess: `took ${ms.toFixed(0)} ms for ${n} bytes` };
  if (grown > allocationBound(n)) return { outcome, excess: `left ${grown} bytes of buffers for ${n} bytes of input` };
  return { outcome };
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `a non-error value ${String(e)}`;
}
