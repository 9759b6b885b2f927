/**
 * Folded stacks (`frame;frame;…;frame COUNT`, root first, as flamegraph.pl reads them) and the
 * collector every stack dialect feeds: each dialect turns its lines into such stacks of labelled
 * frames with a weight. Folded files themselves are read by `PyflameLines`, since Pyflame's
 * output is folded stacks plus its `(idle) N` and `(failed) N` lines.
 */
import { FrameTableBuilder, GrowableArray, StringTable, grown, ints } from '~/core/model/builders';
import { StackTrie } from './stack-trie';
import { FrameKind, type Profile, type ProfileFormat, type WeightUnit } from '~/core/model/profile';
import type { FrameSplitter } from './frame-parts';
import { MAX_LINE_CHARS } from './line-splitter';
import { CHUNK_CHARS, packStrings, packedFor, place, type PackedStrings } from '~/core/model/string-pack';

/** Deeper stacks are treated as unreadable lines: no real program gets near. */
export const MAX_STACK_FRAMES = 20_000;

/** A stack with a longer frame is an unreadable line: no real frame gets near. */
export const MAX_FRAME_CHARS = 64 * 1024;

/**
 * A larger count or weight makes its line unreadable: no profiler writes one, and so every sum of
 * weights stays finite.
 */
export const MAX_WEIGHT = Number.MAX_SAFE_INTEGER;

const MAX_INVALID_LINE_NUMBERS = 10;

/** The limits a line can pass: too many frames, a frame too long, the line itself too long. */
export type Oversize = 'deep' | 'frame' | 'line';

const OVERSIZE_TEXT: Record<Oversize, string> = {
  deep: `holds more than ${MAX_STACK_FRAMES.toLocaleString('en')} frames`,
  frame: `holds a frame longer than ${MAX_FRAME_CHARS.toLocaleString('en')} characters`,
  line: `is longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters`,
};

/** Reads the lines of one stack dialect into a collector. */
export interface StackLines {
  /** One non-blank line without its line ending; `lineNo` is 1-based. */
  read(text: string, lineNo: number): void;
  build(): Profile;
  /** For dialects whose lines are `stack COUNT` with `;` between frames: how a new label becomes a frame. */
  readonly foldedLabels?: FoldedLabels;
}

/**
 * How a label of a folded dialect becomes a frame, for the reader of its bytes: `split` makes its
 * parts; where `colonParts` says so for the label at `text[start]`, those are the label's parts as
 * `splitColonFrame` reads them (the file ending at `fileEnd`) with no kind, and `split` need not
 * be called.
 */
export interface FoldedLabels {
  split: FrameSplitter;
  colonParts(text: string, start: number, fileEnd: number): boolean;
  /** Whether a line whose first frame may name a thread or a process is to be read as text. */
  rootFramesAsText?: boolean;
}

export interface ProfileMeta {
  format: ProfileFormat;
  unit: WeightUnit;
  fileName: string;
}

/** Merges stacks of labelled frames into the frame table and call tree of a profile. */
export class StackCollector {
  readonly strings = new StringTable();
  private readonly frames = new FrameTableBuilder(this.strings);
  private readonly calls = new StackTrie();
  private stack = new Int32Array(256);
  private depth = 0;
  /** Frame ids by label, to look up frames already seen without handing the builder a new key. */
  private readonly frameIds = new Map<string, number>();
  /**
   * The parts (see `appendPart`) that are the labels of frames made by `newFrame` (ids from
   * `unmappedFrom` on) not yet in `frameIds`: a file read from its bytes looks frames up there, and
   * cuts their labels and adds them only once a lookup here needs them.
   */
  private unmapped: number[] = [];
  private unmappedFrom = 0;
  /** Told of each frame `frameId` makes, while a file is read from its bytes: the reader of those must know it. */
  frameMade: ((label: string, id: number) => void) | undefined;
  /**
   * Strings that are parts of a longer text (labels decoded together), packed as parts of it rather
   * than copied or cut: the texts, and for each such string its entry, its text, where it starts
   * there and its length.
   */
  private readonly texts: string[] = [];
  private readonly partEntry = new GrowableArray(ints);
  private readonly partText = new GrowableArray(ints);
  private readonly partStart = new GrowableArray(ints);
  private readonly partLength = new GrowableArray(ints);

  samples = 0;
  idle = 0;
  failed = 0;
  /** Lines read as stacks, idle or failed samples, whatever their weight. */
  stackLines = 0;
  invalidLines = 0;
  readonly invalidLineNumbers: number[] = [];
  readonly warnings: string[] = [];

  /** Starts a new stack. */
  begin(): void {
    this.depth = 0;
  }

  /**
   * Appends a frame to the stack; false when the stack is already as deep as allowed or the frame
   * too long (`refused` says which).
   */
  push(label: string, split: FrameSplitter, kind: FrameKind = FrameKind.code): boolean {
    if (this.depth >= MAX_STACK_FRAMES) return this.refuse('deep');
    if (label.length > MAX_FRAME_CHARS) return this.refuse('frame');
    this.pushId(this.frameId(label, split, kind));
    return true;
  }

  /** How many frames the current stack holds. */
  get stackDepth(): number {
    return this.depth;
  }

  /** Why the last `push` or `pushAll` that returned false did. */
  refused: Oversize = 'deep';

  private refuse(why: Oversize): false {
    this.refused = why;
    return false;
  }

  /** The id of the frame labelled `label`, made the first time the label is seen; a label is of one kind. */
  frameId(label: string, split: FrameSplitter, kind: FrameKind = FrameKind.code): number {
    if (this.unmapped.length > 0) this.mapFrames();
    let id = this.frameIds.get(label);
    if (id === undefined) {
      const own = detached(label);
      id = this.splitFrame(own, split, kind);
      this.frameIds.set(own, id);
      this.frameMade?.(own, id);
    }
    return id;
  }

  /** The frame of `label`, not seen before, made from its parts (`split`); `frameIds` is the caller's to keep. */
  private splitFrame(label: string, split: FrameSplitter, kind: FrameKind, labelString?: () => number): number {
    const parts = split(label);
    // A label is new exactly when its frame is: it is stored without looking for it.
    return this.frames.addInterned(
      labelString ? labelString() : this.strings.append(label),
      this.strings.intern(parts.file),
      parts.line,
      this.strings.intern(parts.name),
      kind === FrameKind.code ? (parts.kind ?? FrameKind.code) : kind,
    );
  }

  /**
   * A frame whose label (part `label`, appended just before its parts were interned) no frame has:
   * for readers that know which labels are new without a lookup here.
   */
  newFrame(label: number, file: number, line: number, name: number, kind: FrameKind): number {
    const id = this.frames.addInterned(this.partEntry.get(label), file, line, name, kind);
    this.unmap(id, label);
    return id;
  }

  /** `frameId` for a label no frame has, `text[start, start + length)`, as `newFrame` makes frames. */
  newSplitFrame(text: string, start: number, length: number, split: FrameSplitter): number {
    let part = -1;
    const id = this.splitFrame(text.slice(start, start + length), split, FrameKind.code, () => {
      part = this.appendPart(text, start, length);
      return this.partEntry.get(part);
    });
    this.unmap(id, part);
    return id;
  }

  private unmap(id: number, part: number): void {
    if (this.unmapped.length === 0) this.unmappedFrom = id;
    this.unmapped.push(part);
  }

  /**
   * Appends `text[start, start + length)` to `strings` as a part of `text`; returns the part's
   * index. No string is cut for it: a file read from its bytes makes hundreds of thousands of
   * labels, and each cut would be an object for the garbage collector to carry.
   */
  appendPart(text: string, start: number, length: number): number {
    if (this.texts[this.texts.length - 1] !== text) this.texts.push(text);
    this.partEntry.push(this.strings.append(''));
    this.partText.push(this.texts.length - 1);
    this.partStart.push(start);
    return this.partLength.push(length);
  }

  /** The text of part `part`. */
  private partString(part: number): string {
    const start = this.partStart.get(part);
    return this.texts[this.partText.get(part)].slice(start, start + this.partLength.get(part));
  }

  /** The strings packed: those appended as parts in their texts, the others joined after them. */
  private packed(): PackedStrings {
    const strings = this.strings.strings;
    if (this.partEntry.length === 0) return packStrings(strings);
    const into = packedFor(strings.length, this.texts.slice());
    const isPart = new Uint8Array(strings.length);
    for (let k = 0; k < this.partEntry.length; k++) {
      const entry = this.partEntry.get(k);
      place(into, entry, this.partText.get(k), this.partStart.get(k), this.partLength.get(k));
      isPart[entry] = 1;
    }
    const others = new Int32Array(strings.length - this.partEntry.length);
    for (let i = 0, n = 0; i < strings.length; i++) if (!isPart[i]) others[n++] = i;
    return packStrings(strings, CHUNK_CHARS, into, others);
  }

  /** Every frame's label and id. */
  knownFrames(): Iterable<[string, number]> {
    if (this.unmapped.length > 0) this.mapFrames();
    return this.frameIds;
  }

  private mapFrames(): void {
    const labels = this.unmapped;
    for (let i = 0; i < labels.length; i++) this.frameIds.set(this.partString(labels[i]), this.unmappedFrom + i);
    this.unmapped = [];
  }

  /** Appends frame `id` (from `frameId`) to the stack; the caller has checked the stack's depth. */
  pushId(id: number): void {
    if (this.depth === this.stack.length) this.stack = grown(this.stack);
    this.stack[this.depth++] = id;
  }

  /** Appends the `;`-separated frames of `text[start, end)`; false when there are too many or one is too long. */
  pushAll(text: string, start: number, end: number, split: FrameSplitter): boolean {
    if (countItems(text, start, end, MAX_STACK_FRAMES) > MAX_STACK_FRAMES) return this.refuse('deep');
    let from = start;
    while (from <= end) {
      let to = text.indexOf(';', from);
      if (to < 0 || to > end) to = end;
      if (!this.push(text.slice(from, to), split)) return false;
      from = to + 1;
    }
    return true;
  }

  /**
   * Adds the `;`-separated frames of `text[start, end)` as one stack; returns its id for `build`,
   * or -1 when the stack is too deep (then line `lineNo` counts as unreadable).
   */
  addStack(text: string, start: number, end: number, weight: number, split: FrameSplitter, lineNo: number): number {
    this.begin();
    if (!this.pushAll(text, start, end, split)) {
      this.oversize(lineNo, this.refused);
      return -1;
    }
    return this.commit(weight);
  }

  /** Adds the stacks of frame ids (from `frameId`, root first) given one after another in `ids`, `lengths[i]` frames and `weights[i]` each; none is empty. */
  commitAll(ids: Int32Array, lengths: Int32Array, weights: Float64Array): void {
    this.calls.addAll(ids, lengths, weights);
    for (let i = 0; i < weights.length; i++) this.samples += weights[i];
    this.stackLines += weights.length;
  }

  /** Adds the current stack with `weight`; returns its id for `build` (-1 for an empty stack). */
  commit(weight: number): number {
    const leaf = this.calls.add(this.stack, this.depth, weight);
    this.samples += weight;
    this.stackLines++;
    return leaf;
  }

  addIdle(weight: number): void {
    this.idle += weight;
    this.stackLines++;
  }

  addFailed(weight: number): void {
    this.failed += weight;
    this.stackLines++;
  }

  /** Line `lineNo` is past a limit: it is unreadable, and the first of each kind is told why. */
  oversize(lineNo: number, why: Oversize): void {
    this.invalid(lineNo);
    if (this.told.has(why)) return;
    this.told.add(why);
    this.warnings.push(`Line ${lineNo} ${OVERSIZE_TEXT[why]}, and was skipped with any other such line.`);
  }

  private readonly told = new Set<Oversize>();

  invalid(lineNo: number): void {
    this.invalidLines++;
    if (this.invalidLineNumbers.length < MAX_INVALID_LINE_NUMBERS) this.invalidLineNumbers.push(lineNo);
  }

  /** The profile, and for each id `commit` returned, the index of its leaf in the profile's tree. */
  build(meta: ProfileMeta): { profile: Profile; order: Int32Array } {
    const { tree, order } = this.calls.build();
    const profile: Profile = {
      ...meta,
      strings: this.packed(),
      frames: this.frames.build(),
      tree,
      treeIsEstimate: false,
      samples: this.samples,
      idle: this.idle,
      failed: this.failed,
      invalidLines: this.invalidLines,
      invalidLineNumbers: this.invalidLineNumbers,
      warnings: this.warnings,
    };
    return { profile, order };
  }
}

/**
 * A copy of `s` that does not keep alive the text it was cut from. V8 keeps a substring as a view
 * on its parent string, so each label kept from a line would otherwise keep its whole chunk of
 * the file alive.
 */
function detached(s: string): string {
  return ` ${s}`.slice(1);
}

/** How many `;`-separated items `text[start, end)` holds, counting no further than `limit + 1`. */
export function countItems(text: string, start: number, end: number, limit: number): number {
  let n = 1;
  for (let i = text.indexOf(';', start); i >= 0 && i < end && n <= limit; i = text.indexOf(';', i + 1)) n++;
  return n;
}

const DOT = 46;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Where the stack of a `stack COUNT` line ends, and its count. */
export interface CountedLine {
  stackEnd: number;
  weight: number;
}

/**
 * Splits `stack COUNT`: the count (digits, optionally `.` and more digits) is what follows the
 * last run of whitespace. Scans back from the end, so a huge line costs one pass and no regex.
 */
export function splitCount(line: string): CountedLine | undefined {
  const end = line.length;
  let i = end;
  while (i > 0 && isDigit(line.charCodeAt(i - 1))) i--;
  if (i > 0 && line.charCodeAt(i - 1) === DOT) {
    const dot = i - 1;
    i = dot;
    while (i > 0 && isDigit(line.charCodeAt(i - 1))) i--;
    if (i === dot) return undefined;
  } else if (i === end) {
    return undefined;
  }
  const countStart = i;
  while (i > 0 && isSpace(line.charCodeAt(i - 1))) i--;
  if (i === countStart || i === 0) return undefined;
  const weight = Number(line.slice(countStart));
  return weight <= MAX_WEIGHT ? { stackEnd: i, weight } : undefined;
}

/** The count of a line whose stack is empty (` 39`: a sample with no frame), or undefined for any other line. */
export function emptyStackCount(line: string): number | undefined {
  const m = /^\s+(\d+(?:\.\d+)?)$/.exec(line);
  const weight = m ? Number(m[1]) : NaN;
  return weight <= MAX_WEIGHT ? weight : undefined;
}
