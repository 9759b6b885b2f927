import { grown } from '../model/builders';

/**
 * Values by keys of three int32s, in an open-addressing table: matching a merged file's functions
 * and edges by their ids builds no string and boxes no number, as a Map keyed by strings or by
 * doubles would for each one of every file.
 */
export class IntKeyIndex {
  private keys = new Int32Array(3 * 1024);
  private values = new Int32Array(1024);
  private size = 0;
  /** Entries by hash, -1 where empty; kept at most half full. */
  private slots = new Int32Array(2048).fill(-1);

  /** The value of the key, or -1. */
  get(a: number, b: number, c: number): number {
    const slots = this.slots,
      keys = this.keys,
      mask = slots.length - 1;
    for (let at = hash(a, b, c) & mask, e = slots[at]; e >= 0; at = (at + 1) & mask, e = slots[at])
      if (keys[3 * e] === a && keys[3 * e + 1] === b && keys[3 * e + 2] === c) return this.values[e];
    return -1;
  }

  /** Adds a key that is not in the index yet, with its value (0 or more). */
  add(a: number, b: number, c: number, value: number): void {
    const e = this.size++;
    if (e === this.values.length) {
      this.keys = grown(this.keys);
      this.values = grown(this.values);
    }
    this.keys[3 * e] = a;
    this.keys[3 * e + 1] = b;
    this.keys[3 * e + 2] = c;
    this.values[e] = value;
    if (2 * this.size <= this.slots.length) this.place(e);
    else {
      this.slots = new Int32Array(2 * this.slots.length).fill(-1);
      for (let i = 0; i < this.size; i++) this.place(i);
    }
  }

  private place(e: number): void {
    const slots = this.slots,
      mask = slots.length - 1;
    let at = hash(this.keys[3 * e], this.keys[3 * e + 1], this.keys[3 * e + 2]) & mask;
    while (slots[at] >= 0) at = (at + 1) & mask;
    slots[at] = e;
  }
}

function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
