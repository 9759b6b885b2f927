/**
 * Tachyon's JSON Lines (`--jsonl`): one record a line — `meta` (the sampling interval), then
 * `string_table`, `frame_table` and `agg` records in chunks, then `end`. It holds per frame (a
 * file, function, line and columns) the samples with it on top and on the stack, and no stacks:
 * it is read into the numbers of Tachyon's sampled pstats (cc on top, nc on the stack, times the
 * interval), a table with no call tree.
 */
import { FrameTableBuilder, StringTable } from '~/core/model/builders';
import { ProfileError, emptyTree, noEdges, type Profile } from '~/core/model/profile';
import { packStrings } from '~/core/model/string-pack';
import { funcStdString } from '../pstats/pstats-text';
import { MAX_WEIGHT } from '../stacks/stack-collector';

/** Whether the data's first line is a Tachyon JSON Lines `meta` record. */
export function looksLikeTachyonJsonl(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head.subarray(0, 1024));
  const first = text.slice(0, text.indexOf('\n') >>> 0);
  return /^\{"type":\s*"meta"/.test(first) && /"run_id":/.test(first) && /"sample_interval_usec":/.test(first);
}

type Json = unknown;
type Record_ = { [key: string]: Json };

const isRecord = (v: Json): v is Record_ => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ids are small integers: a larger one is refused, not used to size anything. */
const MAX_ID = 0x7fffffff;

const integer = (v: Json, max: number, what: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new ProfileError(`${what} should be a whole number up to ${max} but is ${JSON.stringify(v)?.slice(0, 40)}`);
  }
  return v;
};

const items = (r: Record_, key: string, where: string): Json[] => {
  const v = Object.hasOwn(r, key) ? r[key] : undefined;
  if (!Array.isArray(v)) throw new ProfileError(`${where} should hold an array "${key}"`);
  return v;
};

const NO_GRAPH =
  "Tachyon's JSON Lines hold each line's samples (on top, and on the stack), not the stacks: there is a table, and no call tree to draw.";

export function parseTachyonJsonl(bytes: Uint8Array, fileName: string): Profile {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ProfileError('these JSON Lines are not UTF-8 text');
  }
  const strings = new Map<number, string>();
  const frames = new Map<number, { file: number; func: number; line: number }>();
  /** Each frame's [self, cumulative], by frame id, in the order the `agg` records give them. */
  const agg = new Map<number, [number, number]>();
  let intervalUs = NaN;
  let samplesTotal: number | null = null;
  let lineNo = 0;
  for (let at = 0; at < text.length;) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end < 0 ? text.length : end).trim();
    at = end < 0 ? text.length : end + 1;
    lineNo++;
    if (!line) continue;
    const where = `line ${lineNo}`;
    let record: Json;
    try {
      record = JSON.parse(line);
    } catch (e) {
      throw new ProfileError(`${where} is not JSON: ${e instanceof Error ? e.message : e}`);
    }
    if (!isRecord(record)) throw new ProfileError(`${where} should be a JSON object`);
    switch (record.type) {
      case 'meta':
        intervalUs = integer(record.sample_interval_usec, MAX_ID, `${where}'s sample_interval_usec`);
        break;
      case 'string_table':
        for (const s of items(record, 'strings', where)) {
          if (!isRecord(s) || typeof s.value !== 'string')
            throw new ProfileError(`${where} holds a string that is not one`);
          strings.set(integer(s.str_id, MAX_ID, `${where}'s str_id`), s.value);
        }
        break;
      case 'frame_table':
        for (const f of items(record, 'frames', where)) {
          if (!isRecord(f)) throw new ProfileError(`${where} holds a frame that is not an object`);
          const line = f.line === undefined || f.line === null ? -1 : f.line;
          if (typeof line !== 'number' || !Number.isInteger(line))
            throw new ProfileError(`${where} holds a frame with no line`);
          frames.set(integer(f.frame_id, MAX_ID, `${where}'s frame_id`), {
            file: integer(f.path_str_id, MAX_ID, `${where}'s path_str_id`),
            func: integer(f.func_str_id, MAX_ID, `${where}'s func_str_id`),
            line,
          });
        }
        break;
      case 'agg':
        if (record.kind !== 'frame') break;
        for (const e of items(record, 'entries', where)) {
          if (!isRecord(e)) throw new ProfileError(`${where} holds an entry that is not an object`);
          const id = integer(e.frame_id, MAX_ID, `${where}'s frame_id`);
          const self = integer(e.self, MAX_WEIGHT, `${where}'s self`);
          const cumulative = integer(e.cumulative, MAX_WEIGHT, `${where}'s cumulative`);
          const had = agg.get(id);
          if (had) {
            had[0] += self;
            had[1] += cumulative;
          } else {
            agg.set(id, [self, cumulative]);
          }
        }
        break;
      case 'end':
        samplesTotal = integer(record.samples_total, MAX_WEIGHT, `${where}'s samples_total`);
        break;
      default:
        // Record kinds of later versions carry nothing the table needs.
        break;
    }
  }
  if (Number.isNaN(intervalUs))
    throw new ProfileError('these JSON Lines have no meta record with the sampling interval');
  if (agg.size === 0) throw new ProfileError('these JSON Lines hold no samples (no agg record)');

  const table = new StringTable();
  const builder = new FrameTableBuilder(table, agg.size);
  const n = agg.size;
  const cc = new Float64Array(n),
    nc = new Float64Array(n),
    tt = new Float64Array(n),
    ct = new Float64Array(n);
  const seconds = intervalUs / 1e6;
  let selfSum = 0,
    cumulativeSum = 0,
    totalTt = 0;
  for (const [id, [self, cumulative]] of agg) {
    const frame = frames.get(id);
    if (!frame) throw new ProfileError(`an agg entry names frame ${id}, which no frame_table holds`);
    const text_ = (s: number) => {
      const v = strings.get(s);
      if (v === undefined) throw new ProfileError(`frame ${id} names string ${s}, which no string_table holds`);
      return v;
    };
    const file = text_(frame.file),
      func = text_(frame.func);
    const f = builder.addInterned(
      table.intern(funcStdString(file, frame.line, func)),
      table.intern(file),
      frame.line,
      table.intern(func),
    );
    cc[f] = self;
    nc[f] = cumulative;
    tt[f] = self * seconds;
    ct[f] = cumulative * seconds;
    selfSum += self;
    cumulativeSum += cumulative;
    totalTt += tt[f];
  }
  const samples = samplesTotal ?? selfSum;
  const warnings = [NO_GRAPH];
  if (samplesTotal !== null && samplesTotal !== selfSum) {
    warnings.push(`the end record counts ${samplesTotal} samples, but the frames' own samples add up to ${selfSum}`);
  }
  return {
    format: 'tachyon-jsonl',
    fileName,
    strings: packStrings(table.strings),
    frames: builder.build(),
    pstats: { sampled: true, totalCalls: cumulativeSum, primCalls: samples, totalTt, cc, nc, tt, ct, ...noEdges(n) },
    tree: emptyTree(),
    treeIsEstimate: false,
    unit: 'seconds',
    // No sample is on a stack the graphs could draw.
    samples: 0,
    idle: 0,
    failed: 0,
    invalidLines: 0,
    invalidLineNumbers: [],
    warnings,
  };
}
