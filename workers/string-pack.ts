/**
 * A string table as one string and the length of each entry. Posting hundreds of thousands of
 * strings to the page costs a message entry per string on both sides; one string is copied as one
 * block, and the page cuts it again with `substring`, which copies nothing.
 */
export interface PackedStrings {
  text: string;
  lengths: Int32Array;
}

export function packStrings(strings: string[]): PackedStrings {
  const lengths = new Int32Array(strings.length);
  for (let i = 0; i < strings.length; i++) lengths[i] = strings[i].length;
  return { text: strings.join(''), lengths };
}

export function unpackStrings({ text, lengths }: PackedStrings): string[] {
  const out = new Array<string>(lengths.length);
  for (let i = 0, at = 0; i < lengths.length; i++) {
    out[i] = text.substring(at, at + lengths[i]);
    at += lengths[i];
  }
  return out;
}
