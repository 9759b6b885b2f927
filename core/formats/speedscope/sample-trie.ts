/**
 * The `samples` arrays of a speedscope file's profiles, read from its bytes as they arrive and
 * merged at once into a trie of the file's frame indices: they are most of a sampler's file (one
 * array of frame indices per sample), and as JSON values, or kept packed until the frames are
 * known, they cost memory the size of the file. A trie needs no frame: indices are merged as they
 * are, and the trie becomes the call tree node by node once the frames, which samplers write after
 * the samples, are read (`read-speedscope.ts`). A sample written otherwise than as an array of
 * plain non-negative integers is parsed as JSON and kept as that value, to be read as it was.
 */
import { GrowableArray, doubledSlots, grown, ints, slotOf } from '~/core/model/builders';
import { AS_VALUE, NEED_MORE, isSpace, type ArrayReader, type ElementRun } from '../json/json-split';
import { SampleScanner } from './sample-scanner';

/** A sample's leaf when it is empty. */
export const EMPTY = -1;
/** A sample's leaf when it is kept as its JSON value, in `odd`. */
export const ODD = -2;

/** The largest frame index read from bytes: one past 2^31 is no frame of any file. */
const MAX_INDEX = 0x7fffffff;

const COMMA = 0x2c,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d;

/** The index of the first byte at or after `i` that is not JSON whitespace. */
function skipSpace(b: Uint8Array, i: number, end: number): number {
  while (i < end && isSpace(b[i])) i++;
  return i;
}

const isFrameIndex = (f: unknown) => typeof f === 'number' && Number.isInteger(f) && f >= 0 && f <= MAX_INDEX;

/** A WebAssembly reader of samples, made when first asked for. */
export function oneScanner(): () => SampleScanner {
  let scanner: SampleScanner | undefined;
  return () => (scanner ??= new SampleScanner());
}

/** One profile's samples, read element by element into a trie of frame indices. */
export class SampleTrie implements ArrayReader {
  /** Per node: its parent node (-1 at the top) and its frame's index in `shared.frames`. */
  parent = new Int32Array(1 << 12);
  index = new Int32Array(1 << 12);
  nodes = 0;
  /** Nodes by hash of (parent, index); -1 is empty. Kept at most half full. */
  private slots = new Int32Array(1 << 13).fill(-1);
  /** Per sample: the node it ends at, EMPTY or ODD. */
  private readonly leaves = new GrowableArray(ints);
  /** The samples not read from bytes (see ODD), by their index. */
  readonly odd = new Map<number, unknown>();
  /** The last sample's frame indices and nodes: a sampler's next sample mostly repeats it, or its outer frames. */
  private lastIndices = new Int32Array(64);
  private lastNodes = new Int32Array(64);
  private lastDepth = 0;
  /** The frame indices of the sample being read from bytes. */
  private sample = new Int32Array(64);

  /** `scanner`: the WebAssembly reader of samples, one for all the profiles of a file (it keeps nothing between reads). */
  constructor(private readonly scanner: () => SampleScanner = oneScanner()) {}

  /** Reads the samples from `b[i]` on in WebAssembly, for as long as they are written as `bytes` reads them. */
  run(b: Uint8Array, i: number, end: number): ElementRun {
    const before = this.leaves.length;
    const next = this.scanner().read(b, i, end, this.take);
    return { next, count: this.leaves.length - before };
  }

  private readonly take = (indices: Int32Array, at: number, n: number): void => {
    if (n === 0) this.leaves.push(EMPTY);
    else this.add(indices, at, n);
  };

  /** An array of integers at `at`: the index past its `]`, the sample added; or AS_VALUE or NEED_MORE, nothing added. */
  bytes(b: Uint8Array, at: number, end: number): number {
    if (b[at] !== OPEN_BRACKET) return AS_VALUE;
    let i = skipSpace(b, at + 1, end);
    if (i < end && b[i] === CLOSE_BRACKET) {
      this.leaves.push(EMPTY);
      return i + 1;
    }
    let n = 0;
    for (;;) {
      const first = i;
      let v = 0;
      while (i < end && b[i] >= 0x30 && b[i] <= 0x39) v = v * 10 + b[i++] - 0x30;
      const digits = i - first;
      i = skipSpace(b, i, end);
      if (i >= end) return NEED_MORE;
      // JSON allows no leading zero.
      if (digits === 0 || digits > 10 || v > MAX_INDEX || (digits > 1 && b[first] === 0x30)) return AS_VALUE;
      if (n === this.sample.length) this.sample = grown(this.sample);
      this.sample[n++] = v;
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1, end);
        continue;
      }
      if (b[i] !== CLOSE_BRACKET) return AS_VALUE;
      this.add(this.sample, 0, n);
      return i + 1;
    }
  }

  values(values: unknown[], first: number): void {
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (Array.isArray(v) && v.every(isFrameIndex)) {
        if (v.length === 0) this.leaves.push(EMPTY);
        else this.add(v as number[], 0, v.length);
      } else {
        this.odd.set(first + k, v);
        this.leaves.push(ODD);
      }
    }
  }

  /** Per sample, in order: the node it ends at, EMPTY or ODD. */
  sampleLeaves(): Int32Array {
    return this.leaves.view();
  }

  /** Adds the sample of frame indices `indices[at, at + n)`, n > 0, from where it parts from the last one. */
  private add(indices: ArrayLike<number>, at: number, n: number): void {
    if (n > this.lastIndices.length) {
      this.lastIndices = grown(this.lastIndices, n);
      this.lastNodes = grown(this.lastNodes, n);
    }
    const lastIndices = this.lastIndices,
      lastNodes = this.lastNodes;
    const same = Math.min(n, this.lastDepth);
    let d = 0;
    while (d < same && lastIndices[d] === indices[at + d]) d++;
    let node = d > 0 ? lastNodes[d - 1] : -1;
    for (; d < n; d++) {
      const k = indices[at + d];
      node = this.child(node, k);
      lastIndices[d] = k;
      lastNodes[d] = node;
    }
    this.lastDepth = n;
    this.leaves.push(node);
  }

  /** The child of `node` (-1: the top) for the frame index `index`, made if absent. */
  private child(node: number, index: number): number {
    const at = slotOf(this.slots, this.parent, this.index, node, index);
    if (this.slots[at] >= 0) return this.slots[at];
    const c = this.nodes++;
    if (c === this.parent.length) {
      this.parent = grown(this.parent);
      this.index = grown(this.index);
    }
    this.parent[c] = node;
    this.index[c] = index;
    this.slots[at] = c;
    if (2 * this.nodes > this.slots.length)
      this.slots = doubledSlots(this.slots.length, this.nodes, this.parent, this.index);
    return c;
  }
}
