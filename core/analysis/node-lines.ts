import { FrameKind, frameKindOf, type CallTree, type FrameTable } from '../model/profile';

/** The lines of one node of a function tree, heaviest total first. */
export interface Lines {
  count: number;
  /** The frame (one line of the function) of each line. */
  frame: Int32Array;
  /** Weight on the line itself, at this place. */
  self: Float64Array;
  /** Weight on the line and in what it called, at this place: the lines' totals sum to the node's. */
  total: Float64Array;
}

/**
 * The lines of each node of a tree by function (`functionTree`): the nodes of the profile's own
 * tree that went to it, grouped by their frame, a line of the function. Grouped once, when first
 * asked for, in two passes; each node's lines are summed when asked for.
 */
export class NodeLines {
  /** The profile's nodes that went to node v are `members[start[v], start[v + 1])`. */
  private index: { start: Int32Array; members: Int32Array } | null = null;

  constructor(
    private readonly source: CallTree,
    private readonly nodeOf: Int32Array,
    private readonly frames: FrameTable,
    private readonly count: number,
  ) {}

  private members(v: number): Int32Array {
    if (!this.index) {
      const start = new Int32Array(this.count + 1);
      for (const v of this.nodeOf) if (v >= 0) start[v + 1]++;
      for (let k = 0; k < this.count; k++) start[k + 1] += start[k];
      const members = new Int32Array(start[this.count]);
      const at = start.slice(0, this.count);
      for (let i = 0; i < this.nodeOf.length; i++) if (this.nodeOf[i] >= 0) members[at[this.nodeOf[i]]++] = i;
      this.index = { start, members };
    }
    return this.index.members.subarray(this.index.start[v], this.index.start[v + 1]);
  }

  /** Whether node v is code whose frames say which line they were on (not a thread, nor a made-up frame). */
  has(v: number): boolean {
    for (const i of this.members(v)) {
      const f = this.source.frame[i];
      if (this.frames.line[f] >= 0 && frameKindOf(this.frames, f) === FrameKind.code) return true;
    }
    return false;
  }

  of(v: number): Lines {
    const slot = new Map<number, number>();
    const frames: number[] = [];
    const self: number[] = [];
    const total: number[] = [];
    for (const i of this.members(v)) {
      const f = this.source.frame[i];
      let k = slot.get(f);
      if (k === undefined) {
        slot.set(f, (k = frames.length));
        frames.push(f);
        self.push(0);
        total.push(0);
      }
      self[k] += this.source.self[i];
      total[k] += this.source.total[i];
    }
    const line = this.frames.line;
    const order = frames.map((_, k) => k).sort((a, b) => total[b] - total[a] || line[frames[a]] - line[frames[b]]);
    return {
      count: order.length,
      frame: Int32Array.from(order, (k) => frames[k]),
      self: Float64Array.from(order, (k) => self[k]),
      total: Float64Array.from(order, (k) => total[k]),
    };
  }
}
