import { FrameTableBuilder, GrowableArray, StringTable, grown, ints } from '../builders';
import { ProfileError, emptyTree, withEstimatedTree, type FrameTable, type Profile, type PstatsTable } from '../model';
import { estimateCallTree } from '../pstats-tree';
import { FunctionKeys, stringHash } from './function-keys';
import { MarshalReader, type KeyParts, type MarshalValue } from './marshal';
import { py2DictOrder, py2KeyHash } from './py2-dict-order';
import { funcStdString } from '../pstats-format';
import { CHUNK_CHARS } from '../string-pack';

/**
 * True when the bytes look like marshal data rather than text: a dict (what pstats writes) or a
 * container with marshal's FLAG_REF bit, which no text file starts with. Anything else of that
 * shape is then reported by the pstats parser as the wrong shape, not as bad text.
 */
export function looksLikePstats(bytes: Uint8Array): boolean {
  return bytes.length > 0 && [0x7b, 0xfb, 0xdb, 0xa8, 0xa9].includes(bytes[0]);
}

interface Collected {
  frames: FrameTable;
  strings: string[];
  stats: PstatsTable;
  warnings: string[];
}

/**
 * Reads the dict that `Stats.dump_stats` writes:
 * `{(file, line, name): (cc, nc, tt, ct, {(file, line, name): (nc, cc, tt, ct) | count})}`.
 * One pass over the bytes; entries keep the file's order (pstats' order for equal sort keys),
 * and frames that are entries get the ids 0..entries-1.
 */
export function parsePstats(bytes: Uint8Array, fileName: string): Profile {
  const profile = readPstats(bytes, fileName);
  return withEstimatedTree(profile, estimateCallTree(profile.pstats!, profile.frames.count));
}

/**
 * `parsePstats` but for the estimated call tree, which the table does not need and which is a
 * good part of the work on a large file: the profile comes with its tree pending.
 */
export function readPstats(bytes: Uint8Array, fileName: string): Profile {
  if (bytes.length === 0) throw new ProfileError('the file is empty');
  const { frames, strings, stats, warnings } = collect(bytes);
  return {
    format: 'pstats',
    fileName,
    strings,
    frames,
    pstats: stats,
    tree: emptyTree(),
    treeIsEstimate: true,
    treePending: true,
    unit: 'seconds',
    samples: stats.totalTt,
    idle: 0,
    failed: 0,
    invalidLines: 0,
    invalidLineNumbers: [],
    warnings,
  };
}

function collect(bytes: Uint8Array): Collected {
  const r = new MarshalReader(bytes);
  const strings = new StringTable();
  const frameBuilder = new FrameTableBuilder(strings);
  let rounded = 0;

  const num = (v: MarshalValue, what: string, at: number): number => {
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') {
      rounded++;
      return Number(v);
    }
    throw new ProfileError(`${what} should be a number but is ${describe(v)}`, at);
  };

  const keys = new FunctionKeys();
  /** Frame id + 1 of the key tuple in each back-reference slot: Python 3 writes a key once and refers to it after. */
  let frameOfRef: Int32Array = new Int32Array(1024);
  const remember = (slots: Int32Array, slot: number, id: number): Int32Array => {
    if (slot < 0) return slots;
    const out = slot < slots.length ? slots : grown(slots, slot + 1);
    out[slot] = id + 1;
    return out;
  };
  /** The string-table id + 1 of the file string in each slot, so a file written once is interned once. */
  let fileOfRef: Int32Array = new Int32Array(1024);
  /**
   * The frame id + 1 of the last function whose name came from each slot. A function is keyed by
   * two tuples (its entry and its callers' dicts), the second one with the name by reference: this
   * finds it again without hashing.
   */
  let frameOfNameRef: Int32Array = new Int32Array(1024);
  const labels = new LabelBytes(strings);
  const key: KeyParts = { file: '', fileSlot: -1, line: 0, name: '', nameSlot: -1, tupleSlot: -1 };

  const func = (what: string): number => {
    const at = r.pos;
    const known = r.peekRef();
    if (known >= 0 && known < frameOfRef.length && frameOfRef[known] > 0) {
      r.skipRef();
      return frameOfRef[known] - 1;
    }
    if (!r.keyInto(key)) {
      const v = r.read();
      if (!Array.isArray(v) || v.length !== 3 || typeof v[0] !== 'string' || typeof v[2] !== 'string') {
        throw new ProfileError(`${what} should be a (file, line, name) tuple but is ${describe(v)}`, at);
      }
      key.file = v[0];
      key.line = num(v[1], `the line number of ${what}`, at);
      key.name = v[2];
      key.fileSlot = key.nameSlot = -1;
      key.tupleSlot = r.lastRef;
    }
    const { line, fileSlot, nameSlot } = key;
    let fileId = fileSlot >= 0 && fileSlot < fileOfRef.length ? fileOfRef[fileSlot] - 1 : -1;
    if (fileId < 0) {
      fileId = strings.intern(key.file ?? r.stringAt(fileSlot));
      fileOfRef = remember(fileOfRef, fileSlot, fileId);
    }
    let id = nameSlot >= 0 && nameSlot < frameOfNameRef.length ? frameOfNameRef[nameSlot] - 1 : -1;
    if (id < 0 || !keys.hasFileAndLine(id, fileId, line)) {
      const file = strings.strings[fileId], name = key.name ?? r.stringAt(nameSlot);
      const nameHash = stringHash(name);
      id = keys.find(fileId, line, name, nameHash);
      if (id < 0) {
        // Names and labels are about as many as functions: a lookup to share the few equal ones costs more than it saves.
        // Frames and keys are added together, so a function's key id is its frame id.
        id = frameBuilder.addInterned(labels.add(file, line, name), fileId, line, strings.append(name));
        keys.add(fileId, line, name, nameHash);
      }
      frameOfNameRef = remember(frameOfNameRef, nameSlot, id);
    }
    frameOfRef = remember(frameOfRef, key.tupleSlot, id);
    return id;
  };

  const entryOf = new GrowableArray(ints);
  /** cc, nc, tt, ct of each entry. */
  const entryStats = new FourColumns(1024);
  /** Callee, caller and nc, cc, tt, ct of each edge. */
  const edges = new EdgeRows(edgesIn(bytes.length));
  const row = new Float64Array(4);
  /** Whether each frame id is an entry already. */
  let isEntry: Uint8Array = new Uint8Array(1024);

  const top = r.pos;
  if (!(bytes[0] === 0x7b || bytes[0] === 0xfb)) {
    throw new ProfileError(
      bytes[0] === 0x89 && bytes[1] === 0x50
        ? 'this is a PNG image, not a pstats profile'
        : 'this is not a pstats profile: it does not start with a marshal dict',
      top,
    );
  }
  r.openDict('the profile');
  while (!r.atDictEnd()) {
    const callee = func('a function key');
    if (isEntry[callee]) throw new ProfileError('a function appears twice in the profile', r.pos);
    entryOf.push(callee);
    if (callee >= isEntry.length) isEntry = grown(isEntry, callee + 1);
    isEntry[callee] = 1;

    const at = r.pos;
    r.openTuple(5, 'the stats of a function');
    if (!r.numbersInto(row, 4)) ['cc', 'nc', 'tt', 'ct'].forEach((what, i) => (row[i] = num(r.read(), what, at)));
    entryStats.add(row);
    r.openDict('the callers of a function');
    while (!r.atDictEnd()) {
      const caller = func('a caller key');
      const vat = r.pos;
      if (r.numberTupleInto(row, 4)) {
        edges.add(callee, caller, row);
        continue;
      }
      const v = r.read();
      if (Array.isArray(v) && v.length === 4) {
        ['a caller nc', 'a caller cc', 'a caller tt', 'a caller ct'].forEach((what, i) => (row[i] = num(v[i], what, vat)));
        edges.add(callee, caller, row);
      } else if (typeof v === 'number' || typeof v === 'bigint') {
        row[0] = row[1] = num(v, 'a caller count', vat);
        row[2] = row[3] = NaN;
        edges.add(callee, caller, row);
      } else {
        throw new ProfileError(`a caller's numbers should be a 4-tuple or a count but are ${describe(v)}`, vat);
      }
    }
  }
  if (!r.atEnd) throw new ProfileError(`${bytes.length - r.pos} unexpected bytes after the profile`, r.pos);
  if (entryOf.length === 0) throw new ProfileError('the profile holds no functions');

  // Renumber frames so that entries come first, in the order pstats iterates its dict (the file's
  // order, except on Python 2 where the dict's hash order rules); caller-only frames follow.
  const built = frameBuilder.build();
  const n = built.count;
  const newId = new Int32Array(n).fill(-1);
  const fileOrder = entryOf.view();
  const order = r.sawPython3Codes ? null : py2DictOrder(Array.from(fileOrder, (f) =>
    py2KeyHash(strings.strings[built.file[f]], built.line[f], strings.strings[built.name[f]])));
  const entries = order ? Int32Array.from(order, (i) => fileOrder[i]) : fileOrder;
  const inOrder = (a: Float64Array) => (order ? Float64Array.from(order, (i) => a[i]) : a);
  for (let e = 0; e < entries.length; e++) newId[entries[e]] = e;
  let next = entries.length;
  for (let f = 0; f < n; f++) if (newId[f] < 0) newId[f] = next++;
  const frames: FrameTable = {
    count: n,
    file: permute(built.file, newId),
    line: permute(built.line, newId),
    name: permute(built.name, newId),
    label: permute(built.label, newId),
  };

  const [cc, nc, tt, ct] = entryStats.columns();
  const [eNc, eCc, eTt, eCt] = edges.numbers.columns();
  const stats = groupEdges(
    { cc: inOrder(cc), nc: inOrder(nc), tt: inOrder(tt), ct: inOrder(ct) },
    {
      callee: renumbered(edges.callees(), newId),
      caller: renumbered(edges.callers(), newId),
      nc: eNc, cc: eCc, tt: eTt, ct: eCt,
    },
    entries.length,
  );
  const warnings = rounded
    ? [`${rounded} integer${rounded === 1 ? '' : 's'} beyond 2^53 could not be held exactly and were rounded`]
    : [];
  labels.finish();
  return { frames, strings: strings.strings, stats, warnings };
}

/**
 * Rows of four numbers kept as four columns of doubles, each row added from one scratch array: no
 * double crosses a function call, where it would be boxed into a heap object.
 */
class FourColumns {
  private a: Float64Array;
  private b: Float64Array;
  private c: Float64Array;
  private d: Float64Array;
  private length = 0;

  constructor(capacity: number) {
    this.a = new Float64Array(capacity);
    this.b = new Float64Array(capacity);
    this.c = new Float64Array(capacity);
    this.d = new Float64Array(capacity);
  }

  add(row: Float64Array): void {
    const n = this.length;
    if (n === this.a.length) {
      this.a = grown(this.a);
      this.b = grown(this.b);
      this.c = grown(this.c);
      this.d = grown(this.d);
    }
    this.a[n] = row[0];
    this.b[n] = row[1];
    this.c[n] = row[2];
    this.d[n] = row[3];
    this.length = n + 1;
  }

  /** The four columns, holding exactly the rows added. */
  columns(): [Float64Array, Float64Array, Float64Array, Float64Array] {
    const n = this.length;
    return [this.a.slice(0, n), this.b.slice(0, n), this.c.slice(0, n), this.d.slice(0, n)];
  }
}

/**
 * `funcStdString` of every function, written as bytes into one buffer and decoded at once, each
 * label then a slice of that string. Strings made one by one (a label joined with `+` is a chain
 * of pieces, and `fromCharCode` spreads its codes as arguments) cost most of their time in
 * allocation, and the page would flatten the pieces again when they are sent.
 */
class LabelBytes {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  /** String-table ids of the labels in the buffer, and where each starts. */
  private ids = new GrowableArray(ints);
  private starts = new GrowableArray(ints);

  constructor(private readonly strings: StringTable) {}

  /** The string-table id of the label, which holds the text once `finish` has run. */
  add(file: string, line: number, name: string): number {
    if ((file === '~' && line === 0) || !Number.isInteger(line)) return this.strings.append(funcStdString(file, line, name));
    const lineText = String(line);
    const n = file.length + lineText.length + name.length + 3;
    if (this.length + n > this.bytes.length) {
      this.bytes = grown(this.bytes, this.length + n);
    }
    const b = this.bytes;
    let at = this.put(file, this.length);
    if (at < 0) return this.strings.append(funcStdString(file, line, name));
    b[at++] = 0x3a;
    at = this.put(lineText, at);
    b[at++] = 0x28;
    at = this.put(name, at);
    if (at < 0) return this.strings.append(funcStdString(file, line, name));
    b[at++] = 0x29;
    this.starts.push(this.length);
    this.length = at;
    const id = this.strings.append('');
    this.ids.push(id);
    return id;
  }

  /** Writes `s` at `at` when it is ASCII: where it ends, or -1. */
  private put(s: string, at: number): number {
    const b = this.bytes;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return -1;
      b[at++] = c;
    }
    return at;
  }

  /** Decodes the labels in pieces of at most CHUNK_CHARS bytes (ASCII: as many characters), each piece whole labels. */
  finish(): void {
    const ids = this.ids.view(), starts = this.starts.view(), out = this.strings.strings;
    const end = (i: number) => (i + 1 < starts.length ? starts[i + 1] : this.length);
    for (let first = 0; first < ids.length; ) {
      let last = first;
      while (last + 1 < ids.length && end(last + 1) - starts[first] <= CHUNK_CHARS) last++;
      const base = starts[first];
      const text = utf8.decode(this.bytes.subarray(base, end(last)));
      for (let i = first; i <= last; i++) out[ids[i]] = text.substring(starts[i] - base, end(i) - base);
      first = last + 1;
    }
  }
}

const utf8 = new TextDecoder();

/**
 * Room for about as many edges as a file of this size holds, so that the columns seldom grow and
 * copy: cProfile writes 50 to 150 bytes an edge, functions included.
 */
const edgesIn = (bytes: number) => Math.max(1024, Math.ceil(bytes / 64));

/** Caller edges as they are read: callee, caller and their four numbers. */
class EdgeRows {
  readonly numbers: FourColumns;
  private callee: Int32Array;
  private caller: Int32Array;
  private length = 0;

  constructor(capacity: number) {
    this.numbers = new FourColumns(capacity);
    this.callee = new Int32Array(capacity);
    this.caller = new Int32Array(capacity);
  }

  add(callee: number, caller: number, row: Float64Array): void {
    const n = this.length;
    if (n === this.callee.length) {
      this.callee = grown(this.callee, n + 1);
      this.caller = grown(this.caller, n + 1);
    }
    this.callee[n] = callee;
    this.caller[n] = caller;
    this.numbers.add(row);
    this.length = n + 1;
  }

  callees(): Int32Array {
    return this.callee.slice(0, this.length);
  }

  callers(): Int32Array {
    return this.caller.slice(0, this.length);
  }
}

/** `ids` with each id replaced by its new one, in place. */
function renumbered(ids: Int32Array, newId: Int32Array): Int32Array {
  for (let i = 0; i < ids.length; i++) ids[i] = newId[ids[i]];
  return ids;
}

function permute(a: Int32Array, newId: Int32Array): Int32Array {
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) out[newId[i]] = a[i];
  return out;
}

interface EdgeColumns {
  callee: Int32Array; caller: Int32Array;
  nc: Float64Array; cc: Float64Array; tt: Float64Array; ct: Float64Array;
}

/** Sorts edges by callee (stably, keeping file order) into the CSR layout of `PstatsTable`. */
function groupEdges(
  f: { cc: Float64Array; nc: Float64Array; tt: Float64Array; ct: Float64Array },
  e: EdgeColumns,
  entryCount: number,
): PstatsTable {
  const m = e.callee.length;
  const edgeStart = new Int32Array(entryCount + 1);
  for (let i = 0; i < m; i++) edgeStart[e.callee[i] + 1]++;
  for (let i = 0; i < entryCount; i++) edgeStart[i + 1] += edgeStart[i];
  const fill = edgeStart.slice(0, entryCount);
  const edgeCaller = new Int32Array(m);
  const edgeNc = new Float64Array(m), edgeCc = new Float64Array(m);
  const edgeTt = new Float64Array(m), edgeCt = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const at = fill[e.callee[i]]++;
    edgeCaller[at] = e.caller[i];
    edgeNc[at] = e.nc[i];
    edgeCc[at] = e.cc[i];
    edgeTt[at] = e.tt[i];
    edgeCt[at] = e.ct[i];
  }
  // pstats.Stats.get_top_level_stats: plain sums in dict order, so the floats match bit for bit.
  let totalCalls = 0, primCalls = 0, totalTt = 0;
  for (let i = 0; i < entryCount; i++) {
    totalCalls += f.nc[i];
    primCalls += f.cc[i];
    totalTt += f.tt[i];
  }
  return { totalCalls, primCalls, totalTt, ...f, edgeStart, edgeCaller, edgeNc, edgeCc, edgeTt, edgeCt };
}

function describe(v: MarshalValue): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return `a ${v.length}-tuple`;
  if (typeof v === 'string') return `the string "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  if (typeof v === 'object') return `a ${v.constructor.name === 'MarshalDict' ? 'dict' : (v as { kind: string }).kind}`;
  return `the ${typeof v} ${String(v)}`;
}
