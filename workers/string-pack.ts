/**
 * A string table as a few long strings and the length of each entry. Posting hundreds of thousands
 * of strings to the page costs a message entry per string on both sides; a long string is copied
 * as one block, and the page cuts it again with `substring`, which copies nothing. Entries are
 * joined in chunks of at most CHUNK_CHARS (an entry never spans two), well under the engine's
 * limit on the length of one string.
 */
export interface PackedStrings {
  chunks: string[];
  /** The index of the first entry of each chunk. */
  firsts: number[];
  lengths: Int32Array;
}

export const CHUNK_CHARS = 1 << 27;

export function packStrings(strings: string[], chunkChars = CHUNK_CHARS): PackedStrings {
  const lengths = new Int32Array(strings.length);
  const chunks: string[] = [], firsts: number[] = [];
  let from = 0, chars = 0;
  const close = (to: number) => {
    chunks.push(strings.slice(from, to).join(''));
    firsts.push(from);
  };
  for (let i = 0; i < strings.length; i++) {
    const n = (lengths[i] = strings[i].length);
    if (chars + n > chunkChars && i > from) {
      close(i);
      from = i;
      chars = 0;
    }
    chars += n;
  }
  if (from < strings.length) close(strings.length);
  return { chunks, firsts, lengths };
}

export function unpackStrings({ chunks, firsts, lengths }: PackedStrings): string[] {
  const out = new Array<string>(lengths.length);
  for (let c = 0; c < chunks.length; c++) {
    const text = chunks[c], end = c + 1 < firsts.length ? firsts[c + 1] : lengths.length;
    for (let i = firsts[c], at = 0; i < end; i++) {
      out[i] = text.substring(at, at + lengths[i]);
      at += lengths[i];
    }
  }
  return out;
}
