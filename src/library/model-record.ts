import {
  emptyTree,
  noEdges,
  withCalls,
  type CallTree,
  type Profile,
  type PstatsEdges,
  type PstatsTable,
  type TreeEstimate,
} from '~/core/model/profile';
import { isProfile } from '~/core/model/profile-check';
import { rememberSampledStats, sampledStats, type SampledStats } from '~/core/analysis/sampled-stats';

/**
 * A Profile as the library keeps it: its typed arrays packed into Blobs, the rest (numbers, names,
 * the string table's chunks) as is. Read back, each Blob is one buffer and the arrays are views
 * of it: structured clone of the arrays themselves copied and allocated each one again on the
 * page's thread (a 60 MB tree took twice as long). Making the tree's depth, size and total again
 * from its parent and self columns, to keep fewer bytes, cost the page as much as reading them.
 * The columns the first view needs are in the first Blob, with a sampled profile's by-function
 * stats; a pstats profile's calls and tree, in the second, are read after its table is shown.
 */
export interface ModelRecord {
  layout: typeof RECORD_LAYOUT;
  /** A pstats profile's calls and tree are in the second part, read after its table is shown. */
  callsLater: boolean;
  /** The profile with each typed array replaced by `{ [COLUMN]: index }`. */
  shape: unknown;
  /** A sampled profile's by-function stats (`sampledStats`), in the same way, so the first view does not make them again. */
  stats?: unknown;
  columns: ColumnSpec[];
  parts: Blob[];
}

interface ColumnSpec {
  part: number;
  /** Bytes into its part. */
  offset: number;
  /** Elements. */
  length: number;
  type: ColumnType;
}

type ColumnType = 'i32' | 'u8' | 'f64';

const RECORD_LAYOUT = 1;
const COLUMN = '$column';
/** The pstats columns read after the table is shown. */
const CALL_COLUMNS = ['edgeStart', 'edgeCaller', 'edgeNc', 'edgeCc', 'edgeTt', 'edgeCt'] as const;
class Packer {
  readonly columns: ColumnSpec[] = [];
  readonly parts: BlobPart[][] = [[], []];
  private readonly ends = [0, 0];

  /** The placeholder of `array`, added to `part`. */
  add(array: Int32Array | Uint8Array | Float64Array, part: number): { [COLUMN]: number } {
    const type: ColumnType = array instanceof Int32Array ? 'i32' : array instanceof Uint8Array ? 'u8' : 'f64';
    const pad = (8 - (this.ends[part] % 8)) % 8;
    if (pad) this.parts[part].push(new Uint8Array(pad));
    const offset = this.ends[part] + pad;
    this.parts[part].push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength) as Uint8Array<ArrayBuffer>);
    this.ends[part] = offset + array.byteLength;
    return { [COLUMN]: this.columns.push({ part, offset, length: array.length, type }) - 1 };
  }

  /** `value` with every typed array in it replaced by its placeholder, in `part`. */
  shape(value: unknown, part: number): unknown {
    if (value instanceof Int32Array || value instanceof Uint8Array || value instanceof Float64Array)
      return this.add(value, part);
    if (ArrayBuffer.isView(value)) throw new Error(`the library cannot keep a ${value.constructor.name}`);
    if (Array.isArray(value)) return value.map((v) => this.shape(v, part));
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.shape(v, part);
    return out;
  }
}

/** Whether a pstats profile's calls can wait until its table is shown. */
const callsLater = (p: Profile) => p.pstats !== undefined && p.baseline === undefined && !p.callsPending;

/** The record the library keeps for `profile`. */
export function toRecord(profile: Profile): ModelRecord {
  const packer = new Packer();
  const { tree, treeEstimate, pstats, ...first } = profile;
  const later = callsLater(profile);
  const shape: Record<string, unknown> = packer.shape(first, 0) as Record<string, unknown>;
  shape.tree = packer.shape(tree, later ? 1 : 0);
  if (treeEstimate) shape.treeEstimate = packer.shape(treeEstimate, later ? 1 : 0);
  if (pstats) {
    const columns: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(pstats))
      columns[k] = packer.shape(v, later && (CALL_COLUMNS as readonly string[]).includes(k) ? 1 : 0);
    shape.pstats = columns;
  }
  return {
    layout: RECORD_LAYOUT,
    callsLater: later,
    shape,
    ...(!profile.pstats && { stats: packer.shape(sampledStats(profile), 0) }),
    columns: packer.columns,
    parts: packer.parts.map((p) => new Blob(p)),
  };
}

/** What the library read back: the profile to show now and, for a pstats profile, the whole one once its calls are read. */
export interface ReadBack {
  profile: Profile;
  /** Rejects when the calls cannot be read back. */
  complete?: Promise<Profile>;
}

const isRecordOf = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function isModelRecord(x: unknown): x is ModelRecord {
  if (!isRecordOf(x) || x.layout !== RECORD_LAYOUT || !isRecordOf(x.shape) || typeof x.callsLater !== 'boolean')
    return false;
  const { parts, columns } = x;
  if (!Array.isArray(parts) || parts.length !== 2 || !parts.every((p) => p instanceof Blob) || !Array.isArray(columns))
    return false;
  const width = { i32: 4, u8: 1, f64: 8 } as const;
  return columns.every(
    (c: Partial<ColumnSpec>) =>
      isRecordOf(c) &&
      typeof c.type === 'string' &&
      Object.hasOwn(width, c.type) &&
      Number.isSafeInteger(c.part) &&
      Number.isSafeInteger(c.offset) &&
      Number.isSafeInteger(c.length) &&
      c.offset! >= 0 &&
      c.offset! % 8 === 0 &&
      c.length! >= 0 &&
      parts[c.part!] !== undefined &&
      c.offset! + c.length! * width[c.type] <= (parts[c.part!] as Blob).size,
  );
}

class Unpacker {
  constructor(
    private readonly columns: ColumnSpec[],
    private readonly buffers: (ArrayBuffer | null)[],
  ) {}

  private column(k: number): Int32Array | Uint8Array | Float64Array {
    const c = this.columns[k];
    const buffer = this.buffers[c.part];
    if (!buffer) throw new Error(`column ${k} is in a part not read`);
    switch (c.type) {
      case 'i32':
        return new Int32Array(buffer, c.offset, c.length);
      case 'u8':
        return new Uint8Array(buffer, c.offset, c.length);
      case 'f64':
        return new Float64Array(buffer, c.offset, c.length);
    }
  }

  /** `shape` with its placeholders replaced by their columns. */
  value(shape: unknown): unknown {
    if (Array.isArray(shape)) return shape.map((v) => this.value(v));
    if (!isRecordOf(shape)) return shape;
    if (Object.hasOwn(shape, COLUMN)) {
      const k = shape[COLUMN];
      if (!Number.isSafeInteger(k) || (k as number) < 0 || (k as number) >= this.columns.length)
        throw new Error('a column that is not there');
      return this.column(k as number);
    }
    const out: Record<string, unknown> = {};
    // A key `__proto__` in what was read back is data, not the object's prototype.
    for (const [k, v] of Object.entries(shape))
      Object.defineProperty(out, k, { value: this.value(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
}

/**
 * The profile a record read back holds, checked (`isProfile`); null when it is not one. A pstats
 * profile comes first without its calls and tree (`callsPending`), and whole in `complete`, whose
 * table columns are the same arrays, so the table is not made again.
 */
export async function fromRecord(x: unknown): Promise<ReadBack | null> {
  if (!isModelRecord(x)) return null;
  const { tree, treeEstimate, pstats, ...now } = x.shape as Record<string, unknown>;
  if (!x.callsLater) {
    const buffers = await Promise.all(x.parts.map((p) => p.arrayBuffer()));
    const value = unpack(x.columns, buffers, x.shape);
    if (!isProfile(value)) return null;
    const stats = unpack(x.columns, buffers, x.stats) as SampledStats | null;
    if (isSampledStats(stats)) rememberSampledStats(value, stats);
    return { profile: value };
  }
  const first = [await x.parts[0].arrayBuffer(), null];
  const calls: Record<string, unknown> = {};
  const table: Record<string, unknown> = {};
  if (!isRecordOf(pstats)) return null;
  for (const [k, v] of Object.entries(pstats)) ((CALL_COLUMNS as readonly string[]).includes(k) ? calls : table)[k] = v;
  const value = unpack(x.columns, first, { ...now, pstats: table }) as Partial<Profile> | null;
  const cc: unknown = value?.pstats?.cc;
  if (!(cc instanceof Float64Array)) return null;
  const profile = {
    ...(value as Profile),
    pstats: { ...(value!.pstats as PstatsTable), ...noEdges(cc.length) },
    tree: emptyTree(),
    callsPending: true as const,
  };
  if (!isProfile(profile)) return null;
  const complete = x.parts[1].arrayBuffer().then((later) => {
    const read = unpack(x.columns, [null, later], { calls, tree, treeEstimate }) as Record<string, unknown> | null;
    const whole =
      read &&
      withCalls(profile, {
        edges: read.calls as unknown as PstatsEdges,
        tree: read.tree as CallTree,
        treeEstimate: read.treeEstimate as TreeEstimate | undefined,
        strings: [],
        warnings: profile.warnings,
      });
    if (!whole || !isProfile(whole)) throw new Error('its calls could not be read back from the library');
    return whole;
  });
  return { profile, complete };
}

function isSampledStats(x: unknown): x is SampledStats {
  const s = x as Partial<SampledStats> | null;
  return (
    typeof s?.count === 'number' &&
    s.frame instanceof Int32Array &&
    s.self instanceof Float64Array &&
    s.total instanceof Float64Array &&
    s.rowOfFrame instanceof Int32Array
  );
}

/** `shape` with its columns from `buffers`; null when the record does not hold them. */
function unpack(columns: ColumnSpec[], buffers: (ArrayBuffer | null)[], shape: unknown): unknown {
  try {
    return new Unpacker(columns, buffers).value(shape);
  } catch {
    return null;
  }
}
