/**
 * Frame labels, `name (file:line)` as `frameLabel` writes them, written as ASCII bytes into one
 * buffer by a reader that finds a frame's parts as bytes, and decoded at once when the profile is
 * built, each label then a piece of that text. A sampler's file holds hundreds of thousands of
 * frames: a string made for each label, then joined into the packed table, is as many objects
 * for the garbage collector and a second copy of their text.
 */
import { GrowableArray, grown, ints, type StringTable } from '~/core/model/builders';
import { CHUNK_CHARS, packStrings, packedFor, place, type PackedStrings } from '~/core/model/string-pack';

const utf8 = new TextDecoder();

export class LabelBytes {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  /** String-table ids of the labels in the buffer, and where each starts. */
  private readonly ids = new GrowableArray(ints);
  private readonly starts = new GrowableArray(ints);

  constructor(private readonly strings: StringTable) {}

  /**
   * Appends the label of the frame whose name, file and line are written `b[nameFrom, nameTo)`,
   * `b[fileFrom, fileTo)` and `b[lineFrom, lineTo)` (ASCII, the line as `String` writes it; an
   * empty file or line is none) to the string table; returns its id. Its text is there once the
   * table is packed by `pack`.
   */
  add(
    b: Uint8Array,
    nameFrom: number,
    nameTo: number,
    fileFrom: number,
    fileTo: number,
    lineFrom: number,
    lineTo: number,
  ): number {
    const n = nameTo - nameFrom + fileTo - fileFrom + lineTo - lineFrom + 4;
    if (this.length + n > this.bytes.length) this.bytes = grown(this.bytes, this.length + n);
    const out = this.bytes;
    let at = this.length;
    for (let i = nameFrom; i < nameTo; i++) out[at++] = b[i];
    if (fileTo > fileFrom) {
      out[at++] = 0x20;
      out[at++] = 0x28;
      for (let i = fileFrom; i < fileTo; i++) out[at++] = b[i];
      if (lineTo > lineFrom) {
        out[at++] = 0x3a;
        for (let i = lineFrom; i < lineTo; i++) out[at++] = b[i];
      }
      out[at++] = 0x29;
    }
    this.starts.push(this.length);
    this.length = at;
    const id = this.strings.append('');
    this.ids.push(id);
    return id;
  }

  /**
   * The table packed: the labels as pieces of their decoded bytes, in chunks of at most
   * CHUNK_CHARS bytes (ASCII: as many characters) of whole labels; the other strings joined after.
   */
  pack(strings: string[]): PackedStrings {
    const ids = this.ids.view(),
      starts = this.starts.view();
    if (ids.length === 0) return packStrings(strings);
    const packed = packedFor(strings.length);
    const isLabel = new Uint8Array(strings.length);
    const end = (i: number) => (i + 1 < starts.length ? starts[i + 1] : this.length);
    for (let first = 0; first < ids.length;) {
      let last = first;
      while (last + 1 < ids.length && end(last + 1) - starts[first] <= CHUNK_CHARS) last++;
      const base = starts[first];
      const chunk = packed.chunks.push(utf8.decode(this.bytes.subarray(base, end(last)))) - 1;
      for (let i = first; i <= last; i++) {
        place(packed, ids[i], chunk, starts[i] - base, end(i) - starts[i]);
        isLabel[ids[i]] = 1;
      }
      first = last + 1;
    }
    this.bytes = new Uint8Array(0);
    const others = new Int32Array(strings.length - ids.length);
    for (let i = 0, k = 0; i < strings.length; i++) if (!isLabel[i]) others[k++] = i;
    return packStrings(strings, CHUNK_CHARS, packed, others);
  }
}
