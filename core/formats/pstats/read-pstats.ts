import { FrameTableBuilder, GrowableArray, StringTable, grown, ints } from '~/core/model/builders';
import {
  FrameKind,
  ProfileError,
  emptyTree,
  noEdges,
  withCalls,
  type FrameTable,
  type Profile,
  type PstatsCalls,
  type PstatsEdges,
  type PstatsTable,
} from '~/core/model/profile';
import { estimateCallTree } from './estimated-tree';
import { FunctionKeys, nameHash, type NameText } from './function-keys';
import {
  MarshalCode,
  MarshalDict,
  MarshalReader,
  ReaderMarks,
  slotsFor,
  type KeyParts,
  type MarshalValue,
} from './marshal';
import { py2DictOrder, py2KeyHash } from './py2-dict-order';
import { funcStdString } from './pstats-text';
import { isSampledMarker } from './sampled-marker';
import { CHUNK_CHARS, packStrings, packedFor, place, type PackedStrings } from '~/core/model/string-pack';

/**
 * True when the bytes look like marshal data rather than text: a dict (what pstats writes) or a
 * container with marshal's FLAG_REF bit, which no text file starts with. Anything else of that
 * shape is then reported by the pstats parser as the wrong shape, not as bad text.
 */
export function looksLikePstats(bytes: Uint8Array): boolean {
  return bytes.length > 0 && [0x7b, 0xfb, 0xdb, 0xa8, 0xa9].includes(bytes[0]);
}

/** A pstats profile read for its table, and what reads the rest of it. */
export interface PstatsReading {
  /** The profile with its calls pending (see `Profile.callsPending`), its strings packed as they are read. */
  profile: Profile;
  /**
   * Reads the callers dicts, and estimates the call tree from them unless told not to (a profile
   * only merged into others needs no tree of its own); throws a ProfileError for bad ones.
   */
  calls(estimateTree?: boolean): PstatsCalls;
}

/**
 * Reads the dict that `Stats.dump_stats` writes:
 * `{(file, line, name): (cc, nc, tt, ct, {(file, line, name): (nc, cc, tt, ct) | count})}`.
 * Entries keep the file's order (pstats' order for equal sort keys), and frames that are entries
 * get the ids 0..entries-1.
 */
export function parsePstats(bytes: Uint8Array, fileName: string): Profile {
  const { profile, calls } = readPstats(bytes, fileName);
  return withCalls(profile, calls());
}

/**
 * `parsePstats` in two steps. The table needs only each function's key and numbers, and the
 * callers dicts are most of a file: the first step passes over them (noting where they are) and
 * the second reads them.
 */
export function readPstats(bytes: Uint8Array, fileName: string): PstatsReading {
  if (bytes.length === 0) throw new ProfileError('the file is empty');
  const reader = new PstatsReader(bytes);
  const stats = reader.entries();
  const profile: Profile = {
    format: 'pstats',
    fileName,
    strings: reader.packedStrings(),
    frames: reader.frames(),
    pstats: stats,
    tree: emptyTree(),
    treeIsEstimate: true,
    callsPending: true,
    unit: 'seconds',
    samples: stats.totalTt,
    idle: 0,
    failed: 0,
    invalidLines: 0,
    invalidLineNumbers: [],
    warnings: reader.warnings(),
  };
  // The profile's columns go to another thread: the tree is estimated from copies.
  const entries = { cc: stats.cc.slice(), nc: stats.nc.slice(), tt: stats.tt.slice(), ct: stats.ct.slice() };
  return { profile, calls: (estimateTree = true) => reader.calls(entries, estimateTree) };
}

/** A pstats file's reader, kept between reading the entries and reading their callers. */
class PstatsReader {
  readonly strings = new StringTable();
  private readonly r: MarshalReader;
  private readonly frameBuilder: FrameTableBuilder;
  private readonly keys: FunctionKeys;
  private readonly labels: LabelBytes;
  /** A file's text as `stringInto` gives it. */
  private readonly fileText: NameText = { name: null, nameStart: 0, nameLength: 0 };
  private readonly key: KeyParts = {
    file: '',
    fileStart: 0,
    fileLength: 0,
    fileSlot: -1,
    line: 0,
    name: '',
    nameStart: 0,
    nameLength: 0,
    nameSlot: -1,
    tupleSlot: -1,
  };
  /** Integers beyond 2^53, read as the nearest double. */
  private rounded = 0;
  /** Frame id + 1 of the key tuple in each back-reference slot: Python 3 writes a key once and refers to it after. */
  private frameOfRef: Int32Array;
  /** The string-table id + 1 of the file string in each slot, so a file written once is interned once. */
  private fileOfRef: Int32Array;
  /**
   * The frame id + 1 of the last function whose name came from each slot. A function is keyed by
   * two tuples (its entry and its callers' dicts), the second one with the name by reference: this
   * finds it again without hashing.
   */
  private frameOfNameRef: Int32Array;
  /** Where each entry's callers dict starts, in file order; an entry's frame id is its index. */
  private readonly callersAt: ReaderMarks;
  /** New frame id of each frame id, once the entries are read (Python 2's dict order renumbers them). */
  private newId = new Int32Array(0);
  private stringsOfTable = 0;
  private readingEntries = true;

  constructor(bytes: Uint8Array) {
    this.r = new MarshalReader(bytes);
    this.frameOfRef = new Int32Array(slotsFor(bytes.length));
    this.fileOfRef = new Int32Array(slotsFor(bytes.length));
    this.frameOfNameRef = new Int32Array(slotsFor(bytes.length));
    const functions = functionsIn(bytes.length);
    this.keys = new FunctionKeys(bytes, functions);
    this.frameBuilder = new FrameTableBuilder(this.strings, functions);
    this.callersAt = new ReaderMarks(functions);
    this.labels = new LabelBytes(this.strings, this.r);
  }

  private num(v: MarshalValue, what: string, at: number): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') {
      this.rounded++;
      return Number(v);
    }
    throw new ProfileError(`${what} should be a number but is ${describe(v)}`, at);
  }

  warnings(): string[] {
    const n = this.rounded;
    return n ? [`${n} integer${n === 1 ? '' : 's'} beyond 2^53 could not be held exactly and were rounded`] : [];
  }

  /** The id of the function whose key is next. */
  private func(what: string): number {
    const r = this.r,
      key = this.key;
    const at = r.pos;
    const known = r.peekRef();
    if (known >= 0 && known < this.frameOfRef.length && this.frameOfRef[known] > 0) {
      r.skipRef();
      return this.frameOfRef[known] - 1;
    }
    if (!r.keyInto(key) && !r.keyAtRefInto(key)) {
      const v = r.read();
      // `python -m profile` names the script's entry by its code object.
      const third = Array.isArray(v) ? v[2] : null;
      const name = third instanceof MarshalCode ? third.text : third;
      if (!Array.isArray(v) || v.length !== 3 || typeof v[0] !== 'string' || typeof name !== 'string') {
        throw new ProfileError(`${what} should be a (file, line, name) tuple but is ${describe(v)}`, at);
      }
      key.file = v[0];
      key.line = this.num(v[1], `the line number of ${what}`, at);
      key.name = name;
      key.fileStart = key.fileLength = key.nameStart = key.nameLength = 0;
      key.fileSlot = key.nameSlot = -1;
      key.tupleSlot = r.lastRef;
    }
    const { line, fileSlot, nameSlot } = key;
    const strings = this.strings;
    let fileId = fileSlot >= 0 && fileSlot < this.fileOfRef.length ? this.fileOfRef[fileSlot] - 1 : -1;
    if (fileId < 0) {
      const file = this.fileText;
      if (key.file === null && key.fileStart < 0) r.stringInto(fileSlot, file);
      else {
        file.name = key.file;
        file.nameStart = key.fileStart;
        file.nameLength = key.fileLength;
      }
      fileId = strings.intern(file.name ?? r.asciiText(file.nameStart, file.nameLength));
      this.fileOfRef = remember(this.fileOfRef, fileSlot, fileId);
    }
    let id = nameSlot >= 0 && nameSlot < this.frameOfNameRef.length ? this.frameOfNameRef[nameSlot] - 1 : -1;
    if (id < 0 || !this.keys.hasFileAndLine(id, fileId, line)) {
      if (key.name === null && key.nameStart < 0) r.stringInto(nameSlot, key);
      const hash = nameHash(key, r.bytes);
      // Frames and keys are added together, so a function's key id is its frame id. Entries are
      // distinct functions: they are put in the table, and one written twice found, once all are read.
      id = this.readingEntries
        ? this.keys.append(fileId, line, key, hash)
        : this.keys.findOrAdd(fileId, line, key, hash);
      if (id === this.frameBuilder.count) {
        const label = this.labels.add(fileId, line, key);
        this.frameBuilder.addInterned(label, fileId, line, label + 1);
      }
      this.frameOfNameRef = remember(this.frameOfNameRef, nameSlot, id);
    }
    this.frameOfRef = remember(this.frameOfRef, key.tupleSlot, id);
    return id;
  }

  /** Reads each function's key and numbers, passing over its callers. */
  entries(): PstatsTable {
    const r = this.r,
      bytes = r.bytes;
    /** cc, nc, tt, ct of each entry. */
    const entryStats = new FourColumns(functionsIn(bytes.length));
    const row = new Float64Array(4);
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
    let sampled = false;
    while (!r.atDictEnd()) {
      if (isSampledMarker(bytes, r.pos)) {
        sampled = this.sampledMarker();
        continue;
      }
      // Every entry is a function not seen before, so frame ids are entry indexes.
      if (this.func('a function key') !== this.callersAt.length)
        throw new ProfileError('a function appears twice in the profile', r.pos);
      const at = r.pos;
      r.openTuple(5, 'the stats of a function');
      if (!r.numbersInto(row, 4))
        ['cc', 'nc', 'tt', 'ct'].forEach((what, i) => (row[i] = this.num(r.read(), what, at)));
      entryStats.add(row);
      r.markIn(this.callersAt);
      r.skipDict('the callers of a function');
    }
    if (!r.atEnd) throw new ProfileError(`${bytes.length - r.pos} unexpected bytes after the profile`, r.pos);
    const twice = this.keys.indexAppended();
    if (twice >= 0) throw new ProfileError('a function appears twice in the profile', this.callersAt.pos.get(twice));
    this.readingEntries = false;
    const count = this.callersAt.length;
    if (count === 0) throw new ProfileError('the profile holds no functions');

    // Entries come in the order pstats iterates its dict: the file's, except on Python 2 where the
    // dict's hash order rules.
    const order = r.sawPython3Codes ? null : this.py2Order(count);
    this.newId = new Int32Array(count);
    for (let e = 0; e < count; e++) this.newId[order ? order[e] : e] = e;
    this.stringsOfTable = this.strings.strings.length;
    const [cc, nc, tt, ct] = entryStats.columns().map((a) => (order ? Float64Array.from(order, (i) => a[i]) : a));
    // pstats.Stats.get_top_level_stats: plain sums in dict order, so the floats match bit for bit.
    let totalCalls = 0,
      primCalls = 0,
      totalTt = 0;
    for (let i = 0; i < count; i++) {
      totalCalls += nc[i];
      primCalls += cc[i];
      totalTt += tt[i];
    }
    return { totalCalls, primCalls, totalTt, cc, nc, tt, ct, ...noEdges(count), ...(sampled && { sampled }) };
  }

  /** Reads Tachyon's `("__sampled__",): True`, which pstats pops before it reads the functions. */
  private sampledMarker(): true {
    const r = this.r;
    r.read();
    const at = r.pos;
    const v = r.read();
    if (v !== true) throw new ProfileError(`the ("__sampled__",) marker should be True but is ${describe(v)}`, at);
    return true;
  }

  /**
   * The order Python 2's dict iterates the `count` entries in. Their names are strings already:
   * only Python 3 writes a name as bytes (z, Z, a, A), which waits for `packedStrings`.
   */
  private py2Order(count: number): number[] {
    const built = this.frameBuilder.build(),
      strings = this.strings.strings;
    return py2DictOrder(
      Array.from({ length: count }, (_, f) =>
        py2KeyHash(strings[built.file[f]], built.line[f], strings[built.name[f]]),
      ),
    );
  }

  /**
   * The strings read so far, packed: labels and names as pieces of the text their bytes were
   * decoded into, never made one by one; the others (files) joined.
   */
  packedStrings(): PackedStrings {
    const strings = this.strings.strings;
    const packed = packedFor(strings.length);
    this.labels.finish(packed);
    // Labels and names wait in the table as empty strings; an empty file or name is empty either way.
    const others = new GrowableArray(ints);
    for (let i = 0; i < strings.length; i++) if (strings[i] !== '') others.push(i);
    return packStrings(strings, CHUNK_CHARS, packed, others.view());
  }

  /** The frame table, in the new ids. */
  frames(): FrameTable {
    const built = this.frameBuilder.build();
    const n = built.count,
      newId = this.newIds(n);
    const file = permute(built.file, newId);
    return {
      count: n,
      file,
      line: permute(built.line, newId),
      name: permute(built.name, newId),
      label: permute(built.label, newId),
      ...madeUpKinds(file, this.strings.strings.indexOf(TASK_FILE)),
    };
  }

  /** `newId` for `n` frames: those after the entries keep theirs. */
  private newIds(n: number): Int32Array {
    if (n === this.newId.length) return this.newId;
    const out = new Int32Array(n);
    out.set(this.newId);
    for (let f = this.newId.length; f < n; f++) out[f] = f;
    return out;
  }

  /** Reads the callers dicts `entries` passed over, and estimates the tree; `entries` holds the entries' cc, nc, tt and ct. */
  calls(entries: Pick<PstatsTable, 'cc' | 'nc' | 'tt' | 'ct'>, estimateTree: boolean): PstatsCalls {
    const r = this.r;
    const count = this.callersAt.length;
    /** Callee, caller and nc, cc, tt, ct of each edge. */
    const edges = new EdgeRows(edgesIn(r.bytes.length));
    const row = new Float64Array(4);
    for (let callee = 0; callee < count; callee++) {
      r.seek(this.callersAt, callee);
      r.openDict('the callers of a function');
      while (!r.atDictEnd()) {
        const caller = this.func('a caller key');
        const vat = r.pos;
        if (r.numberTupleInto(row, 4)) {
          edges.add(callee, caller, row);
          continue;
        }
        const v = r.read();
        if (Array.isArray(v) && v.length === 4) {
          ['a caller nc', 'a caller cc', 'a caller tt', 'a caller ct'].forEach(
            (what, i) => (row[i] = this.num(v[i], what, vat)),
          );
          edges.add(callee, caller, row);
        } else if (typeof v === 'number' || typeof v === 'bigint') {
          row[0] = row[1] = this.num(v, 'a caller count', vat);
          row[2] = row[3] = NaN;
          edges.add(callee, caller, row);
        } else {
          throw new ProfileError(`a caller's numbers should be a 4-tuple or a count but are ${describe(v)}`, vat);
        }
      }
    }
    this.labels.finish();
    const frameCount = this.frameBuilder.count,
      newId = this.newIds(frameCount);
    const [nc, cc, tt, ct] = edges.numbers.columns();
    const grouped = groupEdges(
      { callee: renumbered(edges.callees(), newId), caller: renumbered(edges.callers(), newId), nc, cc, tt, ct },
      count,
    );
    const estimated = estimateTree
      ? estimateCallTree({ ...entries, totalCalls: 0, primCalls: 0, totalTt: 0, ...grouped }, frameCount)
      : { tree: emptyTree(), estimate: undefined, warnings: [] };
    return {
      edges: grouped,
      frames: frameCount > count ? this.frames() : undefined,
      strings: this.strings.strings.slice(this.stringsOfTable),
      tree: estimated.tree,
      treeEstimate: estimated.estimate,
      warnings: [...this.warnings(), ...estimated.warnings],
    };
  }
}

const remember = (slots: Int32Array, slot: number, id: number): Int32Array => {
  if (slot < 0) return slots;
  const out = slot < slots.length ? slots : grown(slots, slot + 1);
  out[slot] = id + 1;
  return out;
};

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
 * label then a slice of that string, and its name a slice of its label. Strings made one by one
 * (a label joined with `+` is a chain of pieces, and `fromCharCode` spreads its codes as
 * arguments) cost most of their time in allocation, and the page would flatten the pieces again
 * when they are sent.
 */
class LabelBytes {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  /** String-table ids of the labels in the buffer, where each starts, and where its name starts when that is to be cut from it. */
  private ids = new GrowableArray(ints);
  private starts = new GrowableArray(ints);
  private nameStarts = new GrowableArray(ints);
  /** Each file's bytes by its string id, once it is in a label; empty for a file that is not ASCII. */
  private readonly fileBytes = new Map<number, Uint8Array>();

  constructor(
    private readonly strings: StringTable,
    private readonly reader: MarshalReader,
  ) {}

  /**
   * Appends a function's label and then its name to the string table, each holding its text once
   * `finish` has run; returns the label's id (the name's is the next).
   */
  add(fileId: number, line: number, name: NameText): number {
    const file = this.strings.strings[fileId];
    const nameLength = name.name === null ? name.nameLength : name.name.length;
    if ((file === '~' && line === 0) || !Number.isInteger(line)) return this.asText(file, line, name);
    let fileBytes = this.fileBytes.get(fileId);
    if (!fileBytes) this.fileBytes.set(fileId, (fileBytes = asciiBytes(file)));
    if (fileBytes.length !== file.length) return this.asText(file, line, name);
    // 24 bytes hold any integer's text.
    const n = file.length + 24 + nameLength + 3;
    if (this.length + n > this.bytes.length) {
      this.bytes = grown(this.bytes, this.length + n);
    }
    const b = this.bytes;
    b.set(fileBytes, this.length);
    let at = this.length + fileBytes.length;
    b[at++] = 0x3a;
    at = this.putInteger(line, at);
    b[at++] = 0x28;
    const nameAt = at;
    at = name.name === null ? this.copy(name.nameStart, nameLength, at) : this.put(name.name, at);
    if (at < 0) return this.asText(file, line, name);
    b[at++] = 0x29;
    this.starts.push(this.length);
    this.length = at;
    const id = this.strings.append('');
    this.strings.append(name.name ?? '');
    this.ids.push(id);
    this.nameStarts.push(name.name === null ? nameAt : -1);
    return id;
  }

  private asText(file: string, line: number, name: NameText): number {
    const text = name.name ?? this.reader.asciiText(name.nameStart, name.nameLength);
    const id = this.strings.append(funcStdString(file, line, text));
    this.strings.append(text);
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

  /** Writes an integer as `String` does, without making the string for the many that are small. */
  private putInteger(v: number, at: number): number {
    if (v < 0 || v > 0x7fffffff) return this.put(String(v), at);
    let end = at + 1;
    for (let rest = v; rest >= 10; rest = (rest / 10) | 0) end++;
    for (let i = end - 1, rest = v; i >= at; i--, rest = (rest / 10) | 0) this.bytes[i] = 0x30 + (rest % 10);
    return end;
  }

  /** Copies `n` bytes of the data from `from` to `at` when they are ASCII: where they end, or -1. */
  private copy(from: number, n: number, at: number): number {
    const b = this.bytes,
      data = this.reader.bytes;
    let seen = 0;
    for (let i = 0; i < n; i++) seen |= b[at + i] = data[from + i];
    return seen < 0x80 ? at + n : -1;
  }

  /**
   * Decodes the labels added since the last call, in pieces of at most CHUNK_CHARS bytes (ASCII:
   * as many characters), each piece whole labels; each label and name cut from them is placed in
   * `packed` when given, else put in the string table.
   */
  finish(packed?: PackedStrings): void {
    const ids = this.ids.view(),
      starts = this.starts.view(),
      nameStarts = this.nameStarts.view(),
      out = this.strings.strings;
    const end = (i: number) => (i + 1 < starts.length ? starts[i + 1] : this.length);
    const put = (text: string, chunk: number, id: number, from: number, to: number) => {
      if (packed) place(packed, id, chunk, from, to - from);
      else out[id] = text.substring(from, to);
    };
    for (let first = 0; first < ids.length;) {
      let last = first;
      while (last + 1 < ids.length && end(last + 1) - starts[first] <= CHUNK_CHARS) last++;
      const base = starts[first];
      const text = utf8.decode(this.bytes.subarray(base, end(last)));
      const chunk = packed ? packed.chunks.push(text) - 1 : -1;
      for (let i = first; i <= last; i++) {
        put(text, chunk, ids[i], starts[i] - base, end(i) - base);
        if (nameStarts[i] >= 0) put(text, chunk, ids[i] + 1, nameStarts[i] - base, end(i) - 1 - base);
      }
      first = last + 1;
    }
    this.length = this.ids.length = this.starts.length = this.nameStarts.length = 0;
  }
}

const utf8 = new TextDecoder();

/** The bytes of `s` when it is ASCII, else none. */
function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return new Uint8Array(0);
    out[i] = c;
  }
  return out;
}

/**
 * Room for about as many edges as a file of this size holds, so that the columns seldom grow and
 * copy: cProfile writes 50 to 150 bytes an edge, functions included.
 */
const edgesIn = (bytes: number) => Math.max(1024, Math.ceil(bytes / 64));

/** Room for about as many functions as a file of this size holds: cProfile writes 100 to 250 bytes a function. */
const functionsIn = (bytes: number) => Math.max(1024, Math.ceil(bytes / 128));

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
  callee: Int32Array;
  caller: Int32Array;
  nc: Float64Array;
  cc: Float64Array;
  tt: Float64Array;
  ct: Float64Array;
}

/** Sorts edges by callee (stably, keeping file order) into the CSR layout of `PstatsTable`. */
function groupEdges(e: EdgeColumns, entryCount: number): PstatsEdges {
  const m = e.callee.length;
  const edgeStart = new Int32Array(entryCount + 1);
  for (let i = 0; i < m; i++) edgeStart[e.callee[i] + 1]++;
  for (let i = 0; i < entryCount; i++) edgeStart[i + 1] += edgeStart[i];
  const fill = edgeStart.slice(0, entryCount);
  const edgeCaller = new Int32Array(m);
  const edgeNc = new Float64Array(m),
    edgeCc = new Float64Array(m);
  const edgeTt = new Float64Array(m),
    edgeCt = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const at = fill[e.callee[i]]++;
    edgeCaller[at] = e.caller[i];
    edgeNc[at] = e.nc[i];
    edgeCc[at] = e.cc[i];
    edgeTt[at] = e.tt[i];
    edgeCt[at] = e.ct[i];
  }
  return { edgeStart, edgeCaller, edgeNc, edgeCc, edgeTt, edgeCt };
}

function describe(v: MarshalValue): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return `a ${v.length}-tuple`;
  if (typeof v === 'string') return `the string "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  if (typeof v === 'object') return `a ${v instanceof MarshalDict ? 'dict' : v.kind}`;
  return `the ${typeof v} ${String(v)}`;
}

/** The file Tachyon's async-aware pstats give the tasks it made up as frames. */
export const TASK_FILE = '<task>';

/** Frames in `taskFile` (a string id; -1: none) marked made up, as the other readers of Tachyon's outputs mark them. */
function madeUpKinds(file: Int32Array, taskFile: number): { kind?: Uint8Array } {
  if (taskFile < 0) return {};
  const kind = new Uint8Array(file.length);
  for (let f = 0; f < file.length; f++) if (file[f] === taskFile) kind[f] = FrameKind.synthetic;
  return { kind };
}
