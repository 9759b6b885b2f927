import { CallTreeBuilder, GrowableArray, ints } from '../../model/builders';
import { FAILED_NODE, IDLE_NODE, type FrameTable, type Profile, type Timeline } from '../../model/profile';
import { appendStrings, stringCount } from '../../model/string-pack';

/** A node placed nowhere: its own weight is left out, its children are still placed. */
export const NOWHERE = -1;
/** A node left out with its whole subtree. */
export const DROPPED = -2;

/** The rewritten tree as it grows: its nodes are made by `step`, each node's frame is known. */
export class TreeWriter {
  private readonly builder = new CallTreeBuilder();
  private readonly frames = new GrowableArray(ints);

  /** The child of `node` (NOWHERE: the root level) for `frame`, made if absent. */
  step(node: number, frame: number): number {
    const id = this.builder.step(node, frame);
    if (id === this.frames.length) this.frames.push(frame);
    return id;
  }

  frameOf(node: number): number {
    return this.frames.get(node);
  }

  addSelf(node: number, weight: number): void {
    this.builder.addSelf(node, weight);
  }

  build() {
    return this.builder.build();
  }
}

/**
 * Where node `i` of the tree goes, given where its parent went (`up`, NOWHERE for a root): a node
 * of the writer's, NOWHERE or DROPPED. Called in preorder, so a rule may keep per-node state.
 */
export type PlaceNode = (i: number, up: number, out: TreeWriter) => number;

/** A frame a transform adds to the profile (a collapsed run of frames). */
export interface AddedFrame {
  label: string;
  file: string;
}

/** `p` with frames added after its own; returns it and the first added frame's id. */
export function withAddedFrames(p: Profile, added: AddedFrame[]): { profile: Profile; first: number } {
  const first = p.frames.count;
  if (!added.length) return { profile: p, first };
  const s = stringCount(p.strings);
  const strings = appendStrings(
    p.strings,
    added.flatMap((a) => [a.label, a.file]),
  );
  const grow = (a: Int32Array, values: number[]) => {
    const out = new Int32Array(a.length + values.length);
    out.set(a);
    out.set(values, a.length);
    return out;
  };
  const f = p.frames;
  const labels = added.map((_, k) => s + 2 * k);
  const frames: FrameTable = {
    count: f.count + added.length,
    file: grow(
      f.file,
      added.map((_, k) => s + 2 * k + 1),
    ),
    line: grow(
      f.line,
      added.map(() => -1),
    ),
    name: grow(f.name, labels),
    label: grow(f.label, labels),
  };
  if (f.kind) {
    frames.kind = new Uint8Array(frames.count);
    frames.kind.set(f.kind);
  }
  return { profile: { ...p, strings, frames }, first };
}

/**
 * The profile with its tree rewritten node by node, in one preorder pass with no recursion: each
 * node's self weight goes where `place` puts it, and nodes put at the same place under the same
 * parent merge. The timeline follows its nodes; samples left out leave it. The rewritten profile
 * has no pstats table (its numbers describe the whole run): every view reads the tree instead.
 */
export function rewriteTree(p: Profile, place: PlaceNode): Profile {
  const { tree } = p;
  const out = new TreeWriter();
  const at = new Int32Array(tree.count);
  for (let i = 0; i < tree.count;) {
    const parent = tree.parent[i];
    const to = place(i, parent < 0 ? NOWHERE : at[parent], out);
    if (to === DROPPED) {
      at.fill(DROPPED, i, i + tree.size[i]);
      i += tree.size[i];
      continue;
    }
    at[i] = to;
    if (to >= 0) out.addSelf(to, tree.self[i]);
    i++;
  }
  const built = out.build();
  let samples = 0;
  for (let i = 0; i < built.tree.count; i++) if (built.tree.parent[i] < 0) samples += built.tree.total[i];
  const { pstats: _, treeEstimate: __, ...rest } = p;
  return {
    ...rest,
    tree: built.tree,
    samples,
    ...(p.timeline && { timeline: rewriteTimeline(p.timeline, at, built.order) }),
  };
}

function rewriteTimeline(t: Timeline, at: Int32Array, order: Int32Array): Timeline {
  const time = new Float64Array(t.time.length);
  const node = new Int32Array(t.node.length);
  let k = 0;
  for (let s = 0; s < t.node.length; s++) {
    const old = t.node[s];
    let to = old;
    if (old !== IDLE_NODE && old !== FAILED_NODE) {
      if (at[old] < 0) continue;
      to = order[at[old]];
    }
    time[k] = t.time[s];
    node[k++] = to;
  }
  return { ...t, time: time.slice(0, k), node: node.slice(0, k) };
}
