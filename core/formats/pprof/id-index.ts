/**
 * Where each entry of a pprof table is, by its id. Writers number ids 1..n, so a dense array finds
 * them (a `Map` of hundreds of thousands of numbers was most of the time of a large profile's
 * read); ids spread wider, or negative (the decoder's stand-ins for ids past 2^53), go in a `Map`.
 * A later entry with the same id wins, as in a `Map`.
 */
export class IdIndex {
  private readonly dense: Int32Array | null = null;
  private readonly sparse: Map<number, number> | null = null;

  constructor(count: number, idAt: (i: number) => number) {
    let max = 0,
      min = 0;
    for (let i = 0; i < count; i++) {
      max = Math.max(max, idAt(i));
      min = Math.min(min, idAt(i));
    }
    if (min === 0 && max <= 2 * count + 1024) {
      this.dense = new Int32Array(max + 1).fill(-1);
      for (let i = 0; i < count; i++) this.dense[idAt(i)] = i;
    } else {
      this.sparse = new Map();
      for (let i = 0; i < count; i++) this.sparse.set(idAt(i), i);
    }
  }

  /** The position of the entry with `id`, or -1. */
  get(id: number): number {
    if (this.dense) return id >= 0 && id < this.dense.length ? this.dense[id] : -1;
    return this.sparse!.get(id) ?? -1;
  }
}
