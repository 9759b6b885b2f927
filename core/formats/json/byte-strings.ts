/**
 * Strings found by their UTF-8 bytes: each distinct run of bytes is decoded and interned once, so
 * that a name written a thousand times in a file costs one string, not a thousand made and dropped.
 */
import { grown } from '~/core/model/builders';

const utf8 = new TextDecoder('utf-8');

/** The hash of no bytes; `hashStep` adds one byte (FNV-1a), so a scanner can hash a string as it finds its end. */
export const HASH_START = 0x811c9dc5;
export const hashStep = (h: number, byte: number): number => Math.imul(h ^ byte, 0x01000193);

export class ByteStrings {
  private slots = new Int32Array(1 << 12).fill(-1);
  private store = new Uint8Array(1 << 16);
  private stored = 0;
  /** Per entry: where its bytes start in `store`, how many, their hash, and the id it stands for. */
  private start = new Int32Array(1 << 11);
  private length = new Int32Array(1 << 11);
  private hash = new Int32Array(1 << 11);
  private value = new Int32Array(1 << 11);
  private count = 0;

  /** `intern`: the id of a decoded string, called once per distinct run of bytes. */
  constructor(private readonly intern: (text: string) => number) {}

  /** The id of the string whose UTF-8 bytes are `b[from, to)`, whose hash (`hashStep` from HASH_START over them) is `h`. */
  id(b: Uint8Array, from: number, to: number, h: number): number {
    const n = to - from;
    const mask = this.slots.length - 1;
    let at = (h ^ (h >>> 15)) & mask;
    for (let e = this.slots[at]; e >= 0; e = this.slots[at]) {
      if (this.hash[e] === h && this.length[e] === n && this.sameBytes(e, b, from, n)) return this.value[e];
      at = (at + 1) & mask;
    }
    const e = this.count++;
    if (e === this.start.length) {
      this.start = grown(this.start);
      this.length = grown(this.length);
      this.hash = grown(this.hash);
      this.value = grown(this.value);
    }
    if (this.stored + n > this.store.length) this.store = grown(this.store, this.stored + n);
    this.store.set(b.subarray(from, to), this.stored);
    this.start[e] = this.stored;
    this.length[e] = n;
    this.hash[e] = h;
    this.stored += n;
    this.value[e] = this.intern(utf8.decode(b.subarray(from, to)));
    this.slots[at] = e;
    if (2 * this.count > this.slots.length) this.rehash();
    return this.value[e];
  }

  private sameBytes(e: number, b: Uint8Array, from: number, n: number): boolean {
    const s = this.store,
      at = this.start[e];
    for (let k = 0; k < n; k++) if (s[at + k] !== b[from + k]) return false;
    return true;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let e = 0; e < this.count; e++) {
      const h = this.hash[e];
      let at = (h ^ (h >>> 15)) & mask;
      while (slots[at] >= 0) at = (at + 1) & mask;
      slots[at] = e;
    }
    this.slots = slots;
  }
}
