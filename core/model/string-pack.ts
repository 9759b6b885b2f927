/**
 * The profile's string table: a few long strings and, for each entry, where it is in them. An
 * entry is cut with `substring` when it is read (`stringAt`), so a table of hundreds of thousands
 * of entries is a handful of objects to post, to keep and to collect, and opening a profile cuts
 * only the strings it shows. Entries are joined in chunks of at most CHUNK_CHARS (an entry never spans
 * two), well under the engine's limit on the length of one string. Entries may overlap (a name
 * inside its label).
 */
export interface PackedStrings {
  chunks: string[];
  /** For each entry: the chunk it is in, where it starts there, and its length. */
  chunk: Int32Array;
  start: Int32Array;
  length: Int32Array;
}

export const CHUNK_CHARS = 1 << 27;

/** An empty packed table for `n` entries, each to be placed with `place`. */
export function packedFor(n: number, chunks: string[] = []): PackedStrings {
  return { chunks, chunk: new Int32Array(n), start: new Int32Array(n), length: new Int32Array(n) };
}

export function place(p: PackedStrings, entry: number, chunk: number, start: number, length: number): void {
  p.chunk[entry] = chunk;
  p.start[entry] = start;
  p.length[entry] = length;
}

/**
 * Packs `strings[i]` for each `i` of `entries` (all of them when not given) into new chunks after
 * those `into` has, as its entries `entries[k]` (or `i`).
 */
export function packStrings(
  strings: string[],
  chunkChars = CHUNK_CHARS,
  into = packedFor(strings.length),
  entries?: Int32Array,
): PackedStrings {
  const count = entries ? entries.length : strings.length;
  const entryAt = (k: number) => (entries ? entries[k] : k);
  let from = 0,
    chars = 0;
  const close = (to: number) => {
    const parts = new Array<string>(to - from);
    for (let k = from; k < to; k++) parts[k - from] = strings[entryAt(k)];
    const c = into.chunks.push(parts.join('')) - 1;
    for (let k = from, at = 0; k < to; k++) {
      place(into, entryAt(k), c, at, into.length[entryAt(k)]);
      at += into.length[entryAt(k)];
    }
  };
  for (let k = 0; k < count; k++) {
    const n = (into.length[entryAt(k)] = strings[entryAt(k)].length);
    if (chars + n > chunkChars && k > from) {
      close(k);
      from = k;
      chars = 0;
    }
    chars += n;
  }
  if (from < count) close(count);
  return into;
}

/** Entry `i` of the table. */
export function stringAt({ chunks, chunk, start, length }: PackedStrings, i: number): string {
  return length[i] ? chunks[chunk[i]].substring(start[i], start[i] + length[i]) : '';
}

export const stringCount = (p: PackedStrings): number => p.length.length;

/** What is wrong with a packed table whose parts have their types: an entry outside its chunk, or null. */
export function packedTableFault({ chunks, chunk, start, length }: PackedStrings): string | null {
  const n = length.length;
  if (chunk.length !== n || start.length !== n) return 'the string table columns differ in length';
  for (let i = 0; i < n; i++) {
    if (length[i] === 0) continue;
    const text = chunks[chunk[i]];
    if (length[i] < 0 || text === undefined || start[i] < 0 || start[i] + length[i] > text.length)
      return `string ${i} lies outside its chunk`;
  }
  return null;
}

const unpackedTables = new WeakMap<PackedStrings, string[]>();

/** Every entry of the table, cut once and kept while the table is: for passes over all of them. */
export function allStrings(p: PackedStrings): string[] {
  let out = unpackedTables.get(p);
  if (!out) {
    out = new Array<string>(stringCount(p));
    for (let i = 0; i < out.length; i++) out[i] = stringAt(p, i);
    unpackedTables.set(p, out);
  }
  return out;
}

/** A new table: the entries of `p`, then `more`. */
export function appendStrings(p: PackedStrings, more: string[]): PackedStrings {
  if (more.length === 0) return p;
  const n = stringCount(p),
    tail = packStrings(more);
  const out = packedFor(n + more.length, [...p.chunks, ...tail.chunks]);
  out.chunk.set(p.chunk);
  out.start.set(p.start);
  out.length.set(p.length);
  for (let k = 0; k < more.length; k++)
    place(out, n + k, p.chunks.length + tail.chunk[k], tail.start[k], tail.length[k]);
  return out;
}

export const packedBuffers = (p: PackedStrings): ArrayBuffer[] =>
  [p.chunk, p.start, p.length].map((a) => a.buffer as ArrayBuffer);
