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

/**
 * A Profile as the library keeps it: its typed arrays packed into Blobs, the rest (numbers, names,
 * the string table's chunks) as is. Reading many typed arrays back through structured clone
 * copies each one more time than reading a Blob (a 60 MB tree took twice as long), and a Blob is
 * read off the page's thread. A tree keeps only its parent, frame and self columns when its depth,
 * size and total are what those give; a column of doubles that are all 32-bit integers (sample
 * counts, call counts) is kept as such. The columns the first view needs are in the first Blob; a
 * pstats profile's calls and tree, in the second, are read after its table is shown.
 */
export interface ModelRecord {
  layout: typeof RECORD_LAYOUT;
  /** A pstats profile's calls and tree are in the second part, read after its table is shown. */
  callsLater: boolean;
  /** The profile with each typed array replaced by `{ [COLUMN]: index }`. */
  shape: unknown;
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

type ColumnType = 'i32' | 'u8' | 'f64' | 'f64-as-i32';

const RECORD_LAYOUT = 1;
const COLUMN = '$column';
/** The pstats columns read after the table is shown. */
const CALL_COLUMNS = ['edgeStart', 'edgeCaller', 'edgeNc', 'edgeCc', 'edgeTt', 'edgeCt'] as const;
const DERIVED_TREE_COLUMNS = ['depth', 'size', 'total'] as const;

/** A tree whose depth, size and total columns are left out, to be made again from the others. */
interface StoredTree extends Omit<CallTree, (typeof DERIVED_TREE_COLUMNS)[number]> {
  derived: true;
}

class Packer {
  readonly columns: ColumnSpec[] = [];
  readonly parts: BlobPart[][] = [[], []];
  private readonly ends = [0, 0];

  /** The placeholder of `array`, added to `part`. */
  add(array: Int32Array | Uint8Array | Float64Array, part: number): { [COLUMN]: number } {
    let type: ColumnType = array instanceof Int32Array ? 'i32' : array instanceof Uint8Array ? 'u8' : 'f64';
    let bytes: ArrayBufferView = array;
    if (array instanceof Float64Array && allInt32(array)) {
      type = 'f64-as-i32';
      bytes = Int32Array.from(array);
    }
    const pad = (8 - (this.ends[part] % 8)) % 8;
    if (pad) this.parts[part].push(new Uint8Array(pad));
    const offset = this.ends[part] + pad;
    this.parts[part].push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>);
    this.ends[part] = offset + bytes.byteLength;
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

function allInt32(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] | 0) !== a[i] || Object.is(a[i], -0)) return false;
  return true;
}

/** Whether a tree's depth, size and total are exactly what its parent and self columns give. */
function derivable(tree: CallTree): boolean {
  const made = deriveTree({ ...tree, derived: true });
  return DERIVED_TREE_COLUMNS.every((k) => {
    const a = tree[k],
      b = made[k];
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  });
}

/** Depth from the parent before it, size and total summed into the parent from the last node back. */
function deriveTree(stored: StoredTree): CallTree {
  const { count, parent, self } = stored;
  const depth = new Int32Array(count),
    size = new Int32Array(count),
    total = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const p = parent[i];
    depth[i] = p < 0 ? 0 : depth[p] + 1;
  }
  for (let i = count - 1; i >= 0; i--) {
    const s = (size[i] += 1),
      t = (total[i] += self[i]),
      p = parent[i];
    if (p < 0) continue;
    size[p] += s;
    total[p] += t;
  }
  const { derived: _, ...columns } = stored;
  return { ...columns, depth, size, total };
}

function storedTree(tree: CallTree): CallTree | StoredTree {
  if (!derivable(tree)) return tree;
  const { depth: _d, size: _s, total: _t, ...kept } = tree;
  return { ...kept, derived: true };
}

/** Whether a pstats profile's calls can wait until its table is shown. */
const callsLater = (p: Profile) => p.pstats !== undefined && p.baseline === undefined && !p.callsPending;

/** The record the library keeps for `profile`. */
export function toRecord(profile: Profile): ModelRecord {
  const packer = new Packer();
  const withTrees = (p: Profile): Record<string, unknown> => ({
    ...p,
    tree: storedTree(p.tree),
    ...(p.baseline && { baseline: withTrees(p.baseline) }),
  });
  const { tree, treeEstimate, pstats, ...first } = withTrees(profile);
  const later = callsLater(profile);
  const shape: Record<string, unknown> = packer.shape(first, 0) as Record<string, unknown>;
  shape.tree = packer.shape(tree, later ? 1 : 0);
  if (treeEstimate) shape.treeEstimate = packer.shape(treeEstimate, later ? 1 : 0);
  if (pstats) {
    const p = pstats as Record<string, unknown>;
    const columns: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p))
      columns[k] = packer.shape(v, later && (CALL_COLUMNS as readonly string[]).includes(k) ? 1 : 0);
    shape.pstats = columns;
  }
  return {
    layout: RECORD_LAYOUT,
    callsLater: later,
    shape,
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
  const width = { i32: 4, u8: 1, f64: 8, 'f64-as-i32': 4 } as const;
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
      case 'f64-as-i32': {
        const ints = new Int32Array(buffer, c.offset, c.length);
        const out = new Float64Array(c.length);
        for (let i = 0; i < ints.length; i++) out[i] = ints[i];
        return out;
      }
    }
  }

  /** `shape` with its placeholders replaced by their columns; a tree left derived is made whole. */
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
    return out.derived === true ? treeFrom(out) : out;
  }
}

function treeFrom(o: Record<string, unknown>): CallTree {
  const { count, parent, self } = o;
  if (
    typeof count !== 'number' ||
    !(parent instanceof Int32Array) ||
    !(self instanceof Float64Array) ||
    parent.length !== count ||
    self.length !== count
  )
    throw new Error('a tree that cannot be made again');
  return deriveTree(o as unknown as StoredTree);
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
    return isProfile(value) ? { profile: value } : null;
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

/** `shape` with its columns from `buffers`; null when the record does not hold them. */
function unpack(columns: ColumnSpec[], buffers: (ArrayBuffer | null)[], shape: unknown): unknown {
  try {
    return new Unpacker(columns, buffers).value(shape);
  } catch {
    return null;
  }
}
