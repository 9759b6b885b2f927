/**
 * Builds a profile from frames described by their parts (name, file, line, kind) and stacks of
 * them, for formats that are not stack text: speedscope, Chrome traces, pyinstrument. Threads and
 * processes are root frames of their kind. Timed formats add intervals per lane (a thread), which
 * become the timeline: lanes are lined up at every moment any of them changes, so that the time
 * order draws one band per thread.
 */
import { CallTreeBuilder, FrameTableBuilder, StringTable, grown } from '~/core/model/builders';
import {
  FrameKind,
  IDLE_NODE,
  type Profile,
  type ProfileFormat,
  type Timeline,
  type WeightUnit,
} from '~/core/model/profile';
import { LabelBytes } from './label-bytes';

/** A larger timeline (moments × lanes) is left out, with a warning: the tree holds the same weights. */
export const MAX_TIMELINE_SAMPLES = 4_000_000;

/** How a frame is written when the format gives its parts: `name (file:line)`, as py-spy writes it. */
export function frameLabel(name: string, file: string, line: number): string {
  if (!file) return name;
  return line >= 0 ? `${name} (${file}:${line})` : `${name} (${file})`;
}

function frameHash(name: number, file: number, line: number, kind: number): number {
  let h = Math.imul(name, 0x9e3779b1) ^ Math.imul(file, 0x85ebca77) ^ Math.imul(line | 0, 0xc2b2ae3d) ^ kind;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

interface Lane {
  start: number[];
  end: number[];
  node: number[];
}

export class StackProfileBuilder {
  readonly strings = new StringTable();
  /** Labels a reader writes as bytes (`label-bytes.ts`), packed with the other strings when the profile is built. */
  readonly labelBytes = new LabelBytes(this.strings);
  private readonly frames = new FrameTableBuilder(this.strings);
  /** Frames by their key (name, file, line, kind), in an open-addressing table of frame ids, -1 where empty. */
  private slots = new Int32Array(1 << 12).fill(-1);
  private keyName = new Int32Array(1 << 11);
  private keyFile = new Int32Array(1 << 11);
  private keyLine = new Float64Array(1 << 11);
  private readonly kinds: FrameKind[] = [];
  readonly tree = new CallTreeBuilder();
  private readonly lanes: Lane[] = [];
  samples = 0;
  idle = 0;
  readonly warnings: string[] = [];
  invalidLines = 0;
  readonly invalidLineNumbers: number[] = [];

  /** The id of the frame with these parts, made the first time they are seen. */
  frame(name: string, file: string, line: number, kind: FrameKind = FrameKind.code, label?: string): number {
    return this.internedFrame(this.strings.intern(name), this.strings.intern(file), line, kind, label);
  }

  /** `frame`, of a name and file interned in `strings` already. */
  internedFrame(name: number, file: number, line: number, kind: FrameKind = FrameKind.code, label?: string): number {
    const id = this.findFrame(name, file, line, kind);
    if (id >= 0) return id;
    const text = this.strings.strings;
    // A frame's label is made of its key: it is stored without looking for it, as a frame is new here.
    return this.addFrame(
      this.strings.append(label ?? frameLabel(text[name], text[file], line)),
      name,
      file,
      line,
      kind,
    );
  }

  /** The id of the frame with these interned parts, or -1 while there is none. */
  findFrame(name: number, file: number, line: number, kind: FrameKind): number {
    const mask = this.slots.length - 1;
    let at = frameHash(name, file, line, kind) & mask;
    for (let id = this.slots[at]; id >= 0; id = this.slots[at]) {
      if (
        this.keyName[id] === name &&
        this.keyFile[id] === file &&
        this.keyLine[id] === line &&
        this.kinds[id] === kind
      )
        return id;
      at = (at + 1) & mask;
    }
    return -1;
  }

  /** Adds the frame of these parts, which `findFrame` does not find, labelled by the string `label`; returns its id. */
  addFrame(label: number, name: number, file: number, line: number, kind: FrameKind): number {
    const mask = this.slots.length - 1;
    let at = frameHash(name, file, line, kind) & mask;
    while (this.slots[at] >= 0) at = (at + 1) & mask;
    const id = this.frames.addInterned(label, file, line, name, kind);
    if (id === this.keyName.length) {
      this.keyName = grown(this.keyName);
      this.keyFile = grown(this.keyFile);
      this.keyLine = grown(this.keyLine);
    }
    this.keyName[id] = name;
    this.keyFile[id] = file;
    this.keyLine[id] = line;
    this.kinds.push(kind);
    this.slots[at] = id;
    if (2 * this.kinds.length > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.kinds.length; id++) {
      let at = frameHash(this.keyName[id], this.keyFile[id], this.keyLine[id], this.kinds[id]) & mask;
      while (this.slots[at] >= 0) at = (at + 1) & mask;
      this.slots[at] = id;
    }
  }

  kindOf(frame: number): FrameKind {
    return this.kinds[frame];
  }

  /** Adds a stack of frame ids (root first) with `weight`; returns its leaf node, -1 for an empty stack. */
  add(stack: ArrayLike<number>, length: number, weight: number): number {
    if (length === 0) {
      this.idle += weight;
      return -1;
    }
    this.samples += weight;
    return this.tree.add(stack, length, weight);
  }

  /** Adds `weight` to the node `node` (from `tree.step`), a stack already walked. */
  addAt(node: number, weight: number): void {
    if (node < 0) this.idle += weight;
    else {
      this.tree.addSelf(node, weight);
      this.samples += weight;
    }
  }

  /** A new lane of the timeline (a thread); returns its index. */
  lane(): number {
    this.lanes.push({ start: [], end: [], node: [] });
    return this.lanes.length - 1;
  }

  /** In lane `lane`, node `node` (-1: nothing) was running from `startUs` to `endUs`; intervals come in time order. */
  interval(lane: number, startUs: number, endUs: number, node: number): void {
    const l = this.lanes[lane];
    l.start.push(startUs);
    l.end.push(endUs);
    l.node.push(node);
  }

  invalid(item: number): void {
    this.invalidLines++;
    if (this.invalidLineNumbers.length < 10) this.invalidLineNumbers.push(item);
  }

  build(format: ProfileFormat, unit: WeightUnit, fileName: string, firstUs = 0): Profile {
    const { tree, order } = this.tree.build();
    const profile: Profile = {
      format,
      fileName,
      strings: this.labelBytes.pack(this.strings.strings),
      frames: this.frames.build(),
      tree,
      treeIsEstimate: false,
      unit,
      samples: this.samples,
      idle: this.idle,
      failed: 0,
      invalidLines: this.invalidLines,
      invalidLineNumbers: this.invalidLineNumbers,
      warnings: this.warnings,
    };
    const timeline = this.timeline(order, unit, firstUs);
    if (timeline) profile.timeline = timeline;
    return profile;
  }

  /**
   * Every lane's intervals at each moment any lane starts or ends one: sample k of a moment is
   * lane k's, weighing the time to the next moment (0 where the lane ran nothing, drawn as idle).
   */
  private timeline(order: Int32Array, unit: WeightUnit, firstUs: number): Timeline | undefined {
    const lanes = this.lanes.filter((l) => l.start.length > 0);
    if (lanes.length === 0) return undefined;
    const moments = [...new Set(lanes.flatMap((l) => [...l.start, ...l.end]))].sort((a, b) => a - b);
    const n = (moments.length - 1) * lanes.length;
    if (n > MAX_TIMELINE_SAMPLES) {
      this.warnings.push(
        `The time order is left out: ${moments.length.toLocaleString('en')} moments in ${lanes.length} threads are more than it draws.`,
      );
      return undefined;
    }
    const perUnit = unit === 'seconds' ? 1e-6 : 1;
    const time = new Float64Array(n),
      node = new Int32Array(n),
      weight = new Float64Array(n);
    const at = new Int32Array(lanes.length);
    const t0 = moments[0];
    let k = 0;
    for (let m = 0; m + 1 < moments.length; m++) {
      const t = moments[m],
        dt = moments[m + 1] - t;
      for (let l = 0; l < lanes.length; l++) {
        const lane = lanes[l];
        while (at[l] < lane.start.length && lane.end[at[l]] <= t) at[l]++;
        const i = at[l];
        const running = i < lane.start.length && lane.start[i] <= t && lane.node[i] >= 0;
        time[k] = t - t0;
        node[k] = running ? order[lane.node[i]] : IDLE_NODE;
        weight[k] = running ? dt * perUnit : 0;
        k++;
      }
    }
    return { time, node, weight, firstUs: firstUs + t0 };
  }
}
