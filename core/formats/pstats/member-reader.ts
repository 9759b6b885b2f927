import { grown } from '~/core/model/builders';
import type { PstatsTable } from '~/core/model/profile';
import { FunctionCatalog, type FunctionSource } from './function-catalog';

/**
 * A pstats file of a set, read for the list and the merge only: its table with functions by
 * their ids in `source`, no strings of its own and no call tree.
 */
export interface PstatsMember {
  fileName: string;
  source: FunctionSource;
  /** The id in `source` of each of the table's functions: its entries, in file order, then those only callers. */
  ids: Int32Array;
  table: PstatsTable;
}

/** Back-reference slots hold these. */
const OTHER = 0,
  STRING = 1,
  INT = 2,
  FLOAT = 3,
  KEY = 4;

const FLAG_REF = 0x80;

/** Thrown where the data is not the plain shape this reader takes: the file is then read by the full reader. */
const NOT_PLAIN = new Error('not a plain Python 3 pstats file');

/**
 * Reads pstats files of a set in one pass each, straight into a table of functions by their ids
 * in one `FunctionCatalog` for all the files. It takes only the shape Python 3.4+ writes, ASCII
 * keys of (file, int line, name) and numbers that are ints or floats, each maybe by back-reference
 * (marshal's FLAG_REF and `r`); anything else (Python 2, whose dict order needs the full reader,
 * gzip, code objects, big integers, text that is not ASCII, Tachyon's sampled marker, a function
 * written twice, data that is not pstats) gives null, and the file is read by `readPstats`, whose
 * numbers are the same.
 */
export class PstatsMemberReader {
  readonly catalog = new FunctionCatalog();
  private b: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.b.buffer);
  private pos = 0;
  private python3 = false;
  private slots = 0;
  private slotKind = new Uint8Array(4096);
  /** A string's start, a key's function id. */
  private slotA = new Int32Array(4096);
  /** A string's length. */
  private slotB = new Int32Array(4096);
  private slotHash = new Int32Array(4096);
  /** A string's file id + 1 once it has been a file in this file, else 0. */
  private slotFile = new Int32Array(4096);
  private slotNumber = new Float64Array(4096);
  /** The string `string` read last. */
  private sStart = 0;
  private sLength = 0;
  private sHash = 0;
  private sSlot = -1;
  /** Per catalog function: the number of the file that last used it, and its index in that file's table. */
  private seenIn = new Int32Array(1024);
  private local = new Int32Array(1024);
  private files = 0;
  private entryIds = new Int32Array(1024);
  /** cc, nc, tt, ct of each entry. */
  private entryNumbers = [0, 1, 2, 3].map(() => new Float64Array(1024));
  private edgeCallers = new Int32Array(1024);
  /** nc, cc, tt, ct of each edge. */
  private edgeNumbers = [0, 1, 2, 3].map(() => new Float64Array(1024));
  private edgeStarts = new Int32Array(1025);
  private ids = new Int32Array(1024);

  /** The file's table, or null when it is not of the shape this reader takes. */
  read(bytes: Uint8Array, fileName: string): PstatsMember | null {
    this.b = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    this.python3 = false;
    this.files++;
    try {
      return this.member(fileName);
    } catch (e) {
      if (e === NOT_PLAIN) return null;
      throw e;
    } finally {
      this.slotFile.fill(0, 0, this.slots);
      this.slots = 0;
    }
  }

  private member(fileName: string): PstatsMember {
    const top = this.byte();
    if ((top & ~FLAG_REF) !== 0x7b) throw NOT_PLAIN;
    if (top & FLAG_REF) this.newSlot(OTHER);
    let entries = 0,
      edges = 0;
    this.edgeStarts[0] = 0;
    while (!this.atDictEnd()) {
      const id = this.key();
      this.fitFunctions();
      if (this.seenIn[id] === this.files) throw NOT_PLAIN;
      this.seenIn[id] = this.files;
      this.local[id] = entries;
      if (entries + 1 >= this.entryIds.length) {
        this.entryIds = grown(this.entryIds);
        this.entryNumbers = this.entryNumbers.map((a) => grown(a));
        this.edgeStarts = grown(this.edgeStarts);
      }
      this.entryIds[entries] = id;
      this.tuple(5);
      const [cc, nc, tt, ct] = this.entryNumbers;
      cc[entries] = this.number();
      nc[entries] = this.number();
      tt[entries] = this.number();
      ct[entries] = this.number();
      const dict = this.byte();
      if ((dict & ~FLAG_REF) !== 0x7b) throw NOT_PLAIN;
      if (dict & FLAG_REF) this.newSlot(OTHER);
      while (!this.atDictEnd()) {
        const caller = this.key();
        if (edges === this.edgeCallers.length) {
          this.edgeCallers = grown(this.edgeCallers);
          this.edgeNumbers = this.edgeNumbers.map((a) => grown(a));
        }
        this.edgeCallers[edges] = caller;
        const [nc, cc, tt, ct] = this.edgeNumbers;
        const type = this.peek() & ~FLAG_REF;
        if (type === 0x29 || type === 0x28) {
          this.tuple(4);
          nc[edges] = this.number();
          cc[edges] = this.number();
          tt[edges] = this.number();
          ct[edges] = this.number();
        } else {
          // The `profile` module's count of calls, with no times.
          nc[edges] = cc[edges] = this.number();
          tt[edges] = ct[edges] = NaN;
        }
        edges++;
      }
      this.edgeStarts[++entries] = edges;
    }
    if (this.pos !== this.b.length || !this.python3 || entries === 0) throw NOT_PLAIN;
    return { fileName, source: this.catalog, ...this.table(entries, edges) };
  }

  /** The table of the file just read: entries, then the functions only callers numbered in the order first met. */
  private table(entries: number, edges: number): { ids: Int32Array; table: PstatsTable } {
    this.fitFunctions();
    if (this.ids.length < entries + edges) this.ids = grown(this.ids, entries + edges);
    const ids = this.ids,
      seenIn = this.seenIn,
      local = this.local,
      file = this.files;
    ids.set(this.entryIds.subarray(0, entries));
    let n = entries;
    const edgeCaller = new Int32Array(edges);
    for (let e = 0; e < edges; e++) {
      const id = this.edgeCallers[e];
      if (seenIn[id] !== file) {
        seenIn[id] = file;
        ids[n] = id;
        local[id] = n++;
      }
      edgeCaller[e] = local[id];
    }
    const [cc, nc, tt, ct] = this.entryNumbers.map((a) => a.slice(0, entries));
    // pstats.Stats.get_top_level_stats: plain sums in dict order, so the floats match bit for bit.
    let totalCalls = 0,
      primCalls = 0,
      totalTt = 0;
    for (let i = 0; i < entries; i++) {
      totalCalls += nc[i];
      primCalls += cc[i];
      totalTt += tt[i];
    }
    const [edgeNc, edgeCc, edgeTt, edgeCt] = this.edgeNumbers.map((a) => a.slice(0, edges));
    return {
      ids: ids.slice(0, n),
      table: {
        totalCalls,
        primCalls,
        totalTt,
        cc,
        nc,
        tt,
        ct,
        edgeStart: this.edgeStarts.slice(0, entries + 1),
        edgeCaller,
        edgeNc,
        edgeCc,
        edgeTt,
        edgeCt,
      },
    };
  }

  /** Room in the tables by function for every function of the catalog. */
  private fitFunctions(): void {
    const n = this.catalog.count;
    if (n > this.seenIn.length) {
      this.seenIn = grown(this.seenIn, n);
      this.local = grown(this.local, n);
    }
  }

  /** The catalog id of the function whose key is next: a (file, line, name) tuple or a back-reference to one. */
  private key(): number {
    const code = this.byte();
    if (code === 0x72) {
      const slot = this.ref();
      if (this.slotKind[slot] !== KEY) throw NOT_PLAIN;
      return this.slotA[slot];
    }
    const slot = this.tupleAfter(code, 3);
    this.string();
    const fileSlot = this.sSlot;
    let file = fileSlot >= 0 ? this.slotFile[fileSlot] - 1 : -1;
    if (file < 0) {
      file = this.catalog.fileId(this.b, this.sStart, this.sLength, this.sHash);
      if (fileSlot >= 0) this.slotFile[fileSlot] = file + 1;
    }
    const lineCode = this.byte();
    let line: number;
    if ((lineCode & ~FLAG_REF) === 0x69) {
      line = this.int32();
      if (lineCode & FLAG_REF) this.slotNumber[this.newSlot(INT)] = line;
    } else if (lineCode === 0x72) {
      const ref = this.ref();
      if (this.slotKind[ref] !== INT) throw NOT_PLAIN;
      line = this.slotNumber[ref];
    } else throw NOT_PLAIN;
    this.string();
    const id = this.catalog.functionId(file, line, this.b, this.sStart, this.sLength, this.sHash);
    if (slot >= 0) {
      this.slotKind[slot] = KEY;
      this.slotA[slot] = id;
    }
    return id;
  }

  /** Reads an ASCII string, or a back-reference to one, into `sStart`, `sLength`, `sHash` and `sSlot`. */
  private string(): void {
    const code = this.byte(),
      type = code & ~FLAG_REF;
    if (code === 0x72) {
      const slot = this.ref();
      if (this.slotKind[slot] !== STRING) throw NOT_PLAIN;
      this.sStart = this.slotA[slot];
      this.sLength = this.slotB[slot];
      this.sHash = this.slotHash[slot];
      this.sSlot = slot;
      return;
    }
    let n: number;
    if (type === 0x7a || type === 0x5a) {
      n = this.byte();
      this.python3 = true;
    } else if (type === 0x61 || type === 0x41) {
      n = this.int32();
      this.python3 = true;
    } else if (type === 0x75 || type === 0x74) n = this.int32();
    else throw NOT_PLAIN;
    const start = this.pos,
      b = this.b;
    if (n < 0 || start + n > b.length) throw NOT_PLAIN;
    // FNV-1a of the bytes, and whether every one is ASCII, in one loop.
    let seen = 0,
      h = 0x811c9dc5;
    for (let i = start; i < start + n; i++) {
      const c = b[i];
      seen |= c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (seen >= 0x80) throw NOT_PLAIN;
    this.pos = start + n;
    this.sStart = start;
    this.sLength = n;
    this.sHash = h | 0;
    this.sSlot = -1;
    if (code & FLAG_REF) {
      const slot = (this.sSlot = this.newSlot(STRING));
      this.slotA[slot] = start;
      this.slotB[slot] = n;
      this.slotHash[slot] = this.sHash;
    }
  }

  /** An int, a binary float, or a back-reference to one. */
  private number(): number {
    const code = this.byte(),
      type = code & ~FLAG_REF;
    if (code === 0x72) {
      const slot = this.ref();
      if (this.slotKind[slot] !== INT && this.slotKind[slot] !== FLOAT) throw NOT_PLAIN;
      return this.slotNumber[slot];
    }
    let v: number;
    if (type === 0x69) v = this.int32();
    else if (type === 0x67) {
      this.need(8);
      v = this.view.getFloat64(this.pos, true);
      this.pos += 8;
    } else throw NOT_PLAIN;
    if (code & FLAG_REF) this.slotNumber[this.newSlot(type === 0x69 ? INT : FLOAT)] = v;
    return v;
  }

  /** Reads the opening of a tuple of `n` items: its slot, or -1. */
  private tuple(n: number): number {
    return this.tupleAfter(this.byte(), n);
  }

  private tupleAfter(code: number, n: number): number {
    const type = code & ~FLAG_REF;
    let length: number;
    if (type === 0x29) {
      length = this.byte();
      this.python3 = true;
    } else if (type === 0x28) length = this.int32();
    else throw NOT_PLAIN;
    if (length !== n) throw NOT_PLAIN;
    return code & FLAG_REF ? this.newSlot(OTHER) : -1;
  }

  private atDictEnd(): boolean {
    if (this.peek() !== 0x30) return false;
    this.pos++;
    return true;
  }

  /** The slot of a back-reference, after its `r`. */
  private ref(): number {
    const slot = this.int32();
    if (slot < 0 || slot >= this.slots) throw NOT_PLAIN;
    this.python3 = true;
    return slot;
  }

  private newSlot(kind: number): number {
    const slot = this.slots++;
    if (slot === this.slotKind.length) {
      this.slotKind = grown(this.slotKind);
      this.slotA = grown(this.slotA);
      this.slotB = grown(this.slotB);
      this.slotHash = grown(this.slotHash);
      this.slotFile = grown(this.slotFile);
      this.slotNumber = grown(this.slotNumber);
    }
    this.slotKind[slot] = kind;
    this.python3 = true;
    return slot;
  }

  // The bounds are checked in each of these, not in a call of their own: they run for every byte
  // read, and Chromium did not inline that call.
  private peek(): number {
    if (this.pos >= this.b.length) throw NOT_PLAIN;
    return this.b[this.pos];
  }

  private byte(): number {
    const at = this.pos;
    if (at >= this.b.length) throw NOT_PLAIN;
    this.pos = at + 1;
    return this.b[at];
  }

  private int32(): number {
    const at = this.pos;
    if (at + 4 > this.b.length) throw NOT_PLAIN;
    this.pos = at + 4;
    return this.view.getInt32(at, true);
  }

  private need(n: number): void {
    if (this.pos + n > this.b.length) throw NOT_PLAIN;
  }
}
