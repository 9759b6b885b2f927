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

  /** The nodes grouped, made at the first call: the page makes it when idle, so that no frame showing lines waits for it. */
  group(): { start: Int32Array; members: Int32Array } {
    if (this.index) return this.index;
    const { nodeOf, count } = this;
    const start = new Int32Array(count + 1);
    for (let i = 0; i < nodeOf.length; i++) {
      const v = nodeOf[i];
      if (v >= 0) start[v + 1]++;
    }
    for (let k = 0; k < count; k++) start[k + 1] += start[k];
    const members = new Int32Array(start[count]);
    const at = start.slice(0, count);
    for (let i = 0; i < nodeOf.length; i++) {
      const v = nodeOf[i];
      if (v >= 0) members[at[v]++] = i;
    }
    return (this.index = { start, members });
  }

  private members(v: number): Int32Array {
    const { start, members } = this.group();
    return members.subarray(start[v], start[v + 1]);
  }

  /** Whether node v is code whose frames say which line they were on (not a thread, nor a made-up frame). */
  has(v: number): boolean {
    for (const i of this.members(v)) if (this.saysLine(this.source.frame[i])) return true;
    return false;
  }

  /** Whether any of `lines` says which line it was on. */
  anySaysLine(lines: Lines): boolean {
    for (const f of lines.frame) if (this.saysLine(f)) return true;
    return false;
  }

  of(v: number): Lines {
    const { frame, self, total } = this.source;
    return this.summed((add) => {
      for (const i of this.members(v)) add(frame[i], self[i], total[i]);
    });
  }

  /**
   * The lines of a node of the inverted tree `up` calls above the nodes of this tree by function
   * whose self weight it holds (`leaves`): each line of a leaf gives its self weight to the line
   * `up` calls above it in the profile's own tree, a line of the inverted node's function. At the
   * root (`up` 0) that is the function's self weight per line; above, per line it called from.
   */
  ofInverted(leaves: ArrayLike<number>, up: number): Lines {
    const { frame, self, parent } = this.source;
    return this.summed((add) => {
      for (let k = 0; k < leaves.length; k++)
        for (const i of this.members(leaves[k])) {
          const w = self[i];
          if (!(w > 0)) continue;
          let at = i;
          for (let d = 0; d < up; d++) at = parent[at];
          add(frame[at], up === 0 ? w : 0, w);
        }
    });
  }

  private saysLine(f: number): boolean {
    return saysLine(this.frames, f);
  }

  private summed(each: (add: (frame: number, self: number, total: number) => void) => void): Lines {
    return summedLines(this.frames, each);
  }
}

/** Whether frame `f` is code that says which line it was on (not a thread, nor a made-up frame). */
export const saysLine = (frames: FrameTable, f: number): boolean =>
  frames.line[f] >= 0 && frameKindOf(frames, f) === FrameKind.code;

/** Weights given by `each`, summed by frame, heaviest total first, equal ones by line, then as given. */
export function summedLines(
  frames: FrameTable,
  each: (add: (frame: number, self: number, total: number) => void) => void,
): Lines {
  const slot = new Map<number, number>();
  const ids: number[] = [];
  const self: number[] = [];
  const total: number[] = [];
  each((f, s, t) => {
    let k = slot.get(f);
    if (k === undefined) {
      slot.set(f, (k = ids.length));
      ids.push(f);
      self.push(0);
      total.push(0);
    }
    self[k] += s;
    total[k] += t;
  });
  const line = frames.line;
  const order = ids.map((_, k) => k).sort((a, b) => total[b] - total[a] || line[ids[a]] - line[ids[b]]);
  return {
    count: order.length,
    frame: Int32Array.from(order, (k) => ids[k]),
    self: Float64Array.from(order, (k) => self[k]),
    total: Float64Array.from(order, (k) => total[k]),
  };
}
