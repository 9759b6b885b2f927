/**
 * Builds a profile from frames described by their parts (name, file, line, kind) and stacks of
 * them, for formats that are not stack text: speedscope, Chrome traces, pyinstrument. Threads and
 * processes are root frames of their kind. Timed formats add intervals per lane (a thread), which
 * become the timeline: lanes are lined up at every moment any of them changes, so that the time
 * order draws one band per thread.
 */
import { CallTreeBuilder, FrameTableBuilder, StringTable } from '~/core/model/builders';
import {
  FrameKind,
  IDLE_NODE,
  type Profile,
  type ProfileFormat,
  type Timeline,
  type WeightUnit,
} from '~/core/model/profile';
import { packStrings } from '~/core/model/string-pack';

/** A larger timeline (moments × lanes) is left out, with a warning: the tree holds the same weights. */
export const MAX_TIMELINE_SAMPLES = 4_000_000;

/** How a frame is written when the format gives its parts: `name (file:line)`, as py-spy writes it. */
export function frameLabel(name: string, file: string, line: number): string {
  if (!file) return name;
  return line >= 0 ? `${name} (${file}:${line})` : `${name} (${file})`;
}

interface Lane {
  start: number[];
  end: number[];
  node: number[];
}

export class StackProfileBuilder {
  readonly strings = new StringTable();
  private readonly frames = new FrameTableBuilder(this.strings);
  private readonly ids = new Map<string, number>();
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
    const key = `${kind}\u0000${name}\u0000${file}\u0000${line}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.frames.addInterned(
        this.strings.intern(label ?? frameLabel(name, file, line)),
        this.strings.intern(file),
        line,
        this.strings.intern(name),
        kind,
      );
      this.ids.set(key, id);
      this.kinds.push(kind);
    }
    return id;
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
      strings: packStrings(this.strings.strings),
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
