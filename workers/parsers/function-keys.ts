import { grown } from '../builders';

/**
 * Ids of pstats functions by their key `(file, line, name)`, the file as its string-table id: an
 * open-addressing table, so no key string is built per key read, and the many distinct function
 * names cost no Map of their own. A function's id is the order in which it was added. Lines are
 * compared as pstats' keys compare them once printed: -0 is 0, and NaN is NaN.
 */
export class FunctionKeys {
  private files = new Int32Array(1024);
  private names: string[] = [];
  private nameHashes = new Int32Array(1024);
  private lines = new Float64Array(1024);
  private count = 0;
  /** Entries by hash, -1 where empty; kept at most half full. */
  private slots = new Int32Array(2048).fill(-1);

  /** The id of the function, or -1. `file` is the id of its string; `nameHash` is `stringHash(name)`. */
  find(file: number, line: number, name: string, nameHash: number): number {
    const slots = this.slots, mask = slots.length - 1;
    for (let at = keyHash(file, line, nameHash) & mask, e = slots[at]; e >= 0; at = (at + 1) & mask, e = slots[at]) {
      if (this.files[e] === file && this.nameHashes[e] === nameHash && sameLine(this.lines[e], line) && this.names[e] === name) {
        return e;
      }
    }
    return -1;
  }

  /** Whether function `id` has this file and line. */
  hasFileAndLine(id: number, file: number, line: number): boolean {
    return this.files[id] === file && sameLine(this.lines[id], line);
  }

  /** Adds a function known to be new; returns its id. */
  add(file: number, line: number, name: string, nameHash: number): number {
    const e = this.count++;
    if (e === this.files.length) this.grow();
    this.files[e] = file;
    this.names.push(name);
    this.nameHashes[e] = nameHash;
    this.lines[e] = line;
    if (2 * this.count <= this.slots.length) this.place(e);
    else {
      this.slots = new Int32Array(this.slots.length * 2).fill(-1);
      for (let i = 0; i < this.count; i++) this.place(i);
    }
    return e;
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
    this.lines = grown(this.lines);
  }
}

const sameLine = (a: number, b: number) => a === b || (a !== a && b !== b);

/** FNV-1a over the UTF-16 code units of `s`. */
export function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function keyHash(file: number, line: number, name: number): number {
  // Lines are almost always small integers; others hash by their integer part, which equal lines share.
  let h = Math.imul(file, 0x9e3779b1) ^ Math.imul(name, 0x85ebca77) ^ Math.imul(line | 0, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
