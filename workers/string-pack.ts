/**
 * A string table as a few long strings and, for each entry, where it is in them. Posting hundreds
 * of thousands of strings to the page costs a message entry per string on both sides; a long
 * string is copied as one block, and the page cuts it again with `substring`. Entries are joined
 * in chunks of at most CHUNK_CHARS (an entry never spans two), well under the engine's limit on
 * the length of one string. Entries may overlap (a name inside its label).
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
export function packStrings(strings: string[], chunkChars = CHUNK_CHARS, into = packedFor(strings.length), entries?: Int32Array): PackedStrings {
  const count = entries ? entries.length : strings.length;
  const entryAt = (k: number) => (entries ? entries[k] : k);
  let from = 0, chars = 0;
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

export function unpackStrings({ chunks, chunk, start, length }: PackedStrings): string[] {
  const out = new Array<string>(length.length);
  for (let i = 0; i < out.length; i++) out[i] = length[i] ? chunks[chunk[i]].substring(start[i], start[i] + length[i]) : '';
  return out;
}

export const packedBuffers = (p: PackedStrings): ArrayBuffer[] => [p.chunk, p.start, p.length].map((a) => a.buffer as ArrayBuffer);
