import type { Profile } from './profile';
import { packedTableFault, stringCount, type PackedStrings } from './string-pack';

type Rec = Record<string, unknown>;

const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null;

const arraysOf = (
  o: unknown,
  kind: typeof Int32Array | typeof Float64Array | typeof Uint8Array,
  length: number,
  keys: string[],
) => isRecord(o) && keys.every((k) => o[k] instanceof kind && (o[k] as ArrayLike<number>).length === length);

/** A packed string table (see `PackedStrings`): its chunks strings, each entry inside one. */
function isStringTable(s: unknown): s is PackedStrings {
  if (
    !isRecord(s) ||
    !Array.isArray(s.chunks) ||
    !s.chunks.every((c) => typeof c === 'string') ||
    !(s.length instanceof Int32Array)
  )
    return false;
  return (
    arraysOf(s, Int32Array, s.length.length, ['chunk', 'start']) &&
    packedTableFault(s as unknown as PackedStrings) === null
  );
}

/**
 * Whether a value read back from the library is a whole Profile: every array present, of its
 * type and length, so the views can index it without checks. Anything else is a corrupt entry.
 */
export function isProfile(x: unknown): x is Profile {
  if (!isRecord(x) || typeof x.format !== 'string' || typeof x.fileName !== 'string') return false;
  if (!isStringTable(x.strings) || !Array.isArray(x.warnings) || !Array.isArray(x.invalidLineNumbers)) return false;
  const { frames, tree, pstats, timeline, treeEstimate } = x;
  if (!isRecord(frames) || !isRecord(tree) || typeof frames.count !== 'number' || typeof tree.count !== 'number')
    return false;
  const frameCount = frames.count;
  if (!arraysOf(frames, Int32Array, frameCount, ['file', 'line', 'name', 'label'])) return false;
  if (frames.kind !== undefined && !arraysOf(frames, Uint8Array, frameCount, ['kind'])) return false;
  const strings = stringCount(x.strings);
  // A loop, not `every`: a callback per frame was a visible part of reopening a large profile.
  const inTable = (ids: Int32Array) => {
    for (let i = 0; i < ids.length; i++) if (ids[i] < 0 || ids[i] >= strings) return false;
    return true;
  };
  if (![frames.file, frames.name, frames.label].every((ids) => inTable(ids as Int32Array))) return false;
  if (!arraysOf(tree, Int32Array, tree.count, ['parent', 'frame', 'depth', 'size'])) return false;
  if (!arraysOf(tree, Float64Array, tree.count, ['self', 'total'])) return false;
  if (pstats !== undefined) {
    if (!isRecord(pstats) || !(pstats.cc instanceof Float64Array) || pstats.cc.length > frameCount) return false;
    const entries = pstats.cc.length;
    if (
      !arraysOf(pstats, Float64Array, entries, ['nc', 'tt', 'ct']) ||
      !arraysOf(pstats, Int32Array, entries + 1, ['edgeStart'])
    )
      return false;
    const edges = (pstats.edgeStart as Int32Array)[entries];
    if (
      !arraysOf(pstats, Int32Array, edges, ['edgeCaller']) ||
      !arraysOf(pstats, Float64Array, edges, ['edgeNc', 'edgeCc', 'edgeTt', 'edgeCt'])
    )
      return false;
  }
  if (treeEstimate !== undefined) {
    if (
      !arraysOf(treeEstimate, Float64Array, frameCount, ['outerTotal']) ||
      typeof (treeEstimate as Rec).splitShare !== 'number'
    )
      return false;
  }
  if (timeline !== undefined) {
    if (!isRecord(timeline) || !(timeline.time instanceof Float64Array)) return false;
    if (!arraysOf(timeline, Int32Array, timeline.time.length, ['node'])) return false;
    if (timeline.weight !== undefined && !arraysOf(timeline, Float64Array, timeline.time.length, ['weight']))
      return false;
  }
  const { intervals } = x;
  if (intervals !== undefined) {
    if (!isRecord(intervals) || typeof intervals.count !== 'number') return false;
    if (!arraysOf(intervals, Int32Array, intervals.count, ['name', 'thread'])) return false;
    if (!arraysOf(intervals, Float64Array, intervals.count, ['start', 'end'])) return false;
  }
  const { baseline } = x;
  if (baseline !== undefined && !(isProfile(baseline) && baseline.baseline === undefined)) return false;
  return true;
}
