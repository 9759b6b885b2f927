import { grown } from '~/core/model/builders';

/**
 * The functions a reader of a set's files has met, each by an id of its own there: what a merge
 * turns into its own frames, asking for a function's strings only the first time it meets it.
 */
export interface FunctionSource {
  /** How many functions it holds: ids are 0..count-1. */
  readonly count: number;
  file(id: number): string;
  line(id: number): number;
  name(id: number): string;
}

/** Functions as plain strings, as a reader on another thread tells them. */
export interface FunctionStrings {
  file: string[];
  line: number[];
  name: string[];
}

/**
 * Functions keyed by the bytes of their file and name (ASCII, as Python 3's marshal writes them)
 * and their line, so that a function met in an earlier file costs a hash and a comparison of
 * bytes, and no string. Files get ids of their own, so that a file's many functions compare its
 * path once per file read.
 */
export class FunctionCatalog implements FunctionSource {
  private arena = new Uint8Array(1 << 16);
  private used = 0;
  /** Per file id: where its bytes start and how many. */
  private fileStart = new Int32Array(256);
  private fileLength = new Int32Array(256);
  private fileHash = new Int32Array(256);
  private files = 0;
  private fileSlots = new Int32Array(512).fill(-1);
  /** Per function id. */
  private funcFile = new Int32Array(1024);
  private funcLine = new Int32Array(1024);
  private nameStart = new Int32Array(1024);
  private nameLength = new Int32Array(1024);
  private nameHash = new Int32Array(1024);
  private funcs = 0;
  private funcSlots = new Int32Array(2048).fill(-1);
  private readonly fileTexts: string[] = [];
  private readonly nameTexts: string[] = [];

  get count(): number {
    return this.funcs;
  }

  /** The id of the file whose path is `bytes[start, start + length)`, `hash` a hash of those bytes (the reader's FNV-1a). */
  fileId(bytes: Uint8Array, start: number, length: number, hash: number): number {
    let mask = this.fileSlots.length - 1;
    let at = hash & mask;
    for (let f = this.fileSlots[at]; f >= 0; at = (at + 1) & mask, f = this.fileSlots[at])
      if (this.fileHash[f] === hash && this.sameBytes(this.fileStart[f], this.fileLength[f], bytes, start, length))
        return f;
    const f = this.files++;
    if (f === this.fileStart.length) {
      this.fileStart = grown(this.fileStart);
      this.fileLength = grown(this.fileLength);
      this.fileHash = grown(this.fileHash);
    }
    this.fileStart[f] = this.keep(bytes, start, length);
    this.fileLength[f] = length;
    this.fileHash[f] = hash;
    if (2 * this.files > this.fileSlots.length) {
      this.fileSlots = new Int32Array(this.fileSlots.length * 2).fill(-1);
      mask = this.fileSlots.length - 1;
      for (let g = 0; g < this.files; g++) {
        let s = this.fileHash[g] & mask;
        while (this.fileSlots[s] >= 0) s = (s + 1) & mask;
        this.fileSlots[s] = g;
      }
    } else this.fileSlots[at] = f;
    return f;
  }

  /** The id of the function (file id, line, name bytes), added when new; `hash` is a hash of the name's bytes. */
  functionId(file: number, line: number, bytes: Uint8Array, start: number, length: number, hash: number): number {
    let mask = this.funcSlots.length - 1;
    const key = keyHash(file, line, hash);
    let at = key & mask;
    for (let e = this.funcSlots[at]; e >= 0; at = (at + 1) & mask, e = this.funcSlots[at])
      if (
        this.funcFile[e] === file &&
        this.funcLine[e] === line &&
        this.nameHash[e] === hash &&
        this.sameBytes(this.nameStart[e], this.nameLength[e], bytes, start, length)
      )
        return e;
    const e = this.funcs++;
    if (e === this.funcFile.length) {
      this.funcFile = grown(this.funcFile);
      this.funcLine = grown(this.funcLine);
      this.nameStart = grown(this.nameStart);
      this.nameLength = grown(this.nameLength);
      this.nameHash = grown(this.nameHash);
    }
    this.funcFile[e] = file;
    this.funcLine[e] = line;
    this.nameStart[e] = this.keep(bytes, start, length);
    this.nameLength[e] = length;
    this.nameHash[e] = hash;
    if (2 * this.funcs > this.funcSlots.length) {
      this.funcSlots = new Int32Array(this.funcSlots.length * 2).fill(-1);
      mask = this.funcSlots.length - 1;
      for (let g = 0; g < this.funcs; g++) {
        let s = keyHash(this.funcFile[g], this.funcLine[g], this.nameHash[g]) & mask;
        while (this.funcSlots[s] >= 0) s = (s + 1) & mask;
        this.funcSlots[s] = g;
      }
    } else this.funcSlots[at] = e;
    return e;
  }

  file(id: number): string {
    const f = this.funcFile[id];
    return (this.fileTexts[f] ??= this.text(this.fileStart[f], this.fileLength[f]));
  }

  line(id: number): number {
    return this.funcLine[id];
  }

  name(id: number): string {
    return (this.nameTexts[id] ??= this.text(this.nameStart[id], this.nameLength[id]));
  }

  /** The strings of functions `from`..count-1, for a reader on another thread to tell. */
  stringsSince(from: number): FunctionStrings {
    const out: FunctionStrings = { file: [], line: [], name: [] };
    for (let id = from; id < this.funcs; id++) {
      out.file.push(this.file(id));
      out.line.push(this.funcLine[id]);
      out.name.push(this.name(id));
    }
    return out;
  }

  private text(start: number, length: number): string {
    return ascii.decode(this.arena.subarray(start, start + length));
  }

  /** Copies bytes into the arena: where they start there. */
  private keep(bytes: Uint8Array, start: number, length: number): number {
    if (this.used + length > this.arena.length) this.arena = grown(this.arena, this.used + length);
    this.arena.set(bytes.subarray(start, start + length), this.used);
    this.used += length;
    return this.used - length;
  }

  private sameBytes(at: number, n: number, bytes: Uint8Array, start: number, length: number): boolean {
    if (n !== length) return false;
    const a = this.arena;
    for (let i = 0; i < n; i++) if (a[at + i] !== bytes[start + i]) return false;
    return true;
  }
}

/** The functions a reader on another thread has told, by its ids. */
export class ToldFunctions implements FunctionSource {
  private readonly files: string[] = [];
  private readonly lines: number[] = [];
  private readonly names: string[] = [];

  get count(): number {
    return this.files.length;
  }

  /** Adds the functions told with ids from `from` on (they come in order: `from` is `count`). */
  tell(from: number, told: FunctionStrings): void {
    if (from !== this.files.length) throw new Error(`functions told from ${from}, ${this.files.length} known`);
    this.files.push(...told.file);
    this.lines.push(...told.line);
    this.names.push(...told.name);
  }

  file(id: number): string {
    return this.files[id];
  }

  line(id: number): number {
    return this.lines[id];
  }

  name(id: number): string {
    return this.names[id];
  }
}

const ascii = new TextDecoder();

function keyHash(file: number, line: number, name: number): number {
  let h = Math.imul(file, 0x9e3779b1) ^ Math.imul(name, 0x85ebca77) ^ Math.imul(line, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
