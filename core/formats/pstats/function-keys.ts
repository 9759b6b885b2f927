import { grown } from '~/core/model/builders';

/** A function's name: its text, or when that is null, the ASCII bytes of the data from `nameStart`, `nameLength` long. */
export interface NameText {
  name: string | null;
  nameStart: number;
  nameLength: number;
}

/**
 * Ids of pstats functions by their key `(file, line, name)`, the file as its string-table id: an
 * open-addressing table, so no key string is built per key read, and the many distinct function
 * names cost no Map of their own. A function's id is the order in which it was added. Lines are
 * compared as pstats' keys compare them once printed: -0 is 0, and NaN is NaN.
 */
export class FunctionKeys {
  private files: Int32Array;
  /** Each name's text, or null for a name held as bytes of the data. */
  private names: (string | null)[] = [];
  private nameStarts: Int32Array;
  private nameLengths: Int32Array;
  private nameHashes: Int32Array;
  private lines: Float64Array;
  private count = 0;
  /** Functions in the table: those before `count` that `append` added are not. */
  private indexed = 0;
  /** Entries by hash, -1 where empty; kept at most half full. */
  private slots: Int32Array;

  /** `expected`: about how many functions there will be, so that the table seldom grows. */
  constructor(
    private readonly bytes: Uint8Array,
    expected = 1024,
  ) {
    this.files = new Int32Array(expected);
    this.nameStarts = new Int32Array(expected);
    this.nameLengths = new Int32Array(expected);
    this.nameHashes = new Int32Array(expected);
    this.lines = new Float64Array(expected);
    this.slots = new Int32Array(2 ** (33 - Math.clz32(expected))).fill(-1);
  }

  /**
   * The id of the function, adding it when it is new: then its id is the number of functions
   * before it. `file` is the id of its string; `nameHash` is `nameHash(name)`.
   */
  findOrAdd(file: number, line: number, name: NameText, nameHash: number): number {
    const slots = this.slots,
      mask = slots.length - 1;
    let at = keyHash(file, line, nameHash) & mask;
    for (let e = slots[at]; e >= 0; at = (at + 1) & mask, e = slots[at]) {
      if (this.isKey(e, file, line, nameHash, name.name, name.nameStart, name.nameLength)) return e;
    }
    const e = this.append(file, line, name, nameHash);
    this.indexed++;
    if (2 * this.count <= slots.length) slots[at] = e;
    else this.rehash(slots.length * 2);
    return e;
  }

  /**
   * Adds a function without looking for it (for functions known to be distinct, read before any
   * lookup): it is found once `indexAppended` has run. Returns its id.
   */
  append(file: number, line: number, name: NameText, nameHash: number): number {
    const e = this.count++;
    if (e === this.files.length) this.grow();
    this.files[e] = file;
    this.names.push(name.name);
    this.nameStarts[e] = name.nameStart;
    this.nameLengths[e] = name.nameLength;
    this.nameHashes[e] = nameHash;
    this.lines[e] = line;
    return e;
  }

  /** Puts the functions `append` added into the table: the id of one that was there already, or -1. */
  indexAppended(): number {
    let size = this.slots.length;
    while (2 * this.count > size) size *= 2;
    if (size > this.slots.length) this.rehash(size);
    for (; this.indexed < this.count; this.indexed++) {
      const e = this.indexed,
        slots = this.slots,
        mask = slots.length - 1;
      let at = keyHash(this.files[e], this.lines[e], this.nameHashes[e]) & mask;
      for (let known = slots[at]; known >= 0; at = (at + 1) & mask, known = slots[at]) {
        if (
          this.isKey(
            known,
            this.files[e],
            this.lines[e],
            this.nameHashes[e],
            this.names[e],
            this.nameStarts[e],
            this.nameLengths[e],
          )
        )
          return e;
      }
      slots[at] = e;
    }
    return -1;
  }

  /** A table of `size` slots holding the indexed functions. */
  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(-1);
    for (let i = 0; i < this.indexed; i++) this.place(i);
  }

  /** Whether function `e` has this key, its name given as `NameText` has it. */
  private isKey(
    e: number,
    file: number,
    line: number,
    nameHash: number,
    name: string | null,
    nameStart: number,
    nameLength: number,
  ): boolean {
    if (this.files[e] !== file || this.nameHashes[e] !== nameHash || !sameLine(this.lines[e], line)) return false;
    const known = this.names[e];
    if (known !== null && name !== null) return known === name;
    if (known !== null) return asciiEquals(known, this.bytes, nameStart, nameLength);
    if (name !== null) return asciiEquals(name, this.bytes, this.nameStarts[e], this.nameLengths[e]);
    const b = this.bytes,
      start = this.nameStarts[e];
    if (this.nameLengths[e] !== nameLength) return false;
    for (let i = 0; i < nameLength; i++) if (b[start + i] !== b[nameStart + i]) return false;
    return true;
  }

  /** Whether function `id` has this file and line. */
  hasFileAndLine(id: number, file: number, line: number): boolean {
    return this.files[id] === file && sameLine(this.lines[id], line);
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let at = keyHash(this.files[e], this.lines[e], this.nameHashes[e]) & mask;
    while (this.slots[at] >= 0) at = (at + 1) & mask;
    this.slots[at] = e;
  }

  private grow(): void {
    this.files = grown(this.files);
    this.nameHashes = grown(this.nameHashes);
    this.nameStarts = grown(this.nameStarts);
    this.nameLengths = grown(this.nameLengths);
    this.lines = grown(this.lines);
  }
}

const sameLine = (a: number, b: number) => a === b || (a !== a && b !== b);

/** FNV-1a over the UTF-16 code units of a name: the same for its text and its ASCII bytes. */
export function nameHash({ name, nameStart, nameLength }: NameText, bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  if (name !== null) for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  else for (let i = nameStart; i < nameStart + nameLength; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  // As an int32, as the table keeps it: the offset basis alone (an empty name) is not one.
  return h | 0;
}

function asciiEquals(s: string, b: Uint8Array, start: number, n: number): boolean {
  if (s.length !== n) return false;
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) !== b[start + i]) return false;
  return true;
}

function keyHash(file: number, line: number, name: number): number {
  // Lines are almost always small integers; others hash by their integer part, which equal lines share.
  let h = Math.imul(file, 0x9e3779b1) ^ Math.imul(name, 0x85ebca77) ^ Math.imul(line | 0, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
