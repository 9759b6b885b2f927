import { buildPreorder, grown, slotOf } from '../../model/builders';
import {
  FAILED_NODE,
  IDLE_NODE,
  type CallTree,
  type FrameTable,
  type Profile,
  type Timeline,
} from '../../model/profile';
import { appendStrings, stringCount } from '../../model/string-pack';

/** A node placed nowhere: its own weight is left out, its children are still placed. */
export const NOWHERE = -1;
/** A node left out with its whole subtree. */
export const DROPPED = -2;

/** Children a node finds by walking its list; past this many they are found through a hash table. */
const LIST_MAX = 8;

/**
 * The rewritten tree as it grows: its nodes are made by `step`, each node's frame is known. Nodes
 * are written in the order the pass reaches them, so a node's children are mostly made just after
 * it: each node keeps a list of its children and finds a child by walking it, which stays in the
 * cache; a node with many children (a root level of many threads) puts them in a hash table.
 */
export class TreeWriter implements NodeWriter {
  private parent: Int32Array;
  private frame: Int32Array;
  private self: Float64Array;
  private firstChild: Int32Array;
  private nextSibling: Int32Array;
  private childCount: Int32Array;
  private rootFirst = -1;
  private rootCount = 0;
  private count = 0;
  /** Children of nodes past LIST_MAX children, by hash of (parent, frame); -1 is empty. */
  private slots = new Int32Array(0);
  private hashed = 0;

  /** `capacity`: about how many nodes there will be. */
  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.parent = new Int32Array(n);
    this.frame = new Int32Array(n);
    this.self = new Float64Array(n);
    this.firstChild = new Int32Array(n).fill(-1);
    this.nextSibling = new Int32Array(n);
    this.childCount = new Int32Array(n);
  }

  /** The child of `node` (NOWHERE: the root level) for `frame`, made if absent. */
  step(node: number, frame: number): number {
    const kids = node < 0 ? this.rootCount : this.childCount[node];
    if (kids > LIST_MAX) {
      const at = slotOf(this.slots, this.parent, this.frame, node, frame);
      if (this.slots[at] >= 0) return this.slots[at];
    } else {
      for (let c = node < 0 ? this.rootFirst : this.firstChild[node]; c >= 0; c = this.nextSibling[c])
        if (this.frame[c] === frame) return c;
    }
    const c = this.count++;
    if (c === this.parent.length) this.growNodes();
    this.parent[c] = node;
    this.frame[c] = frame;
    if (node < 0) {
      this.nextSibling[c] = this.rootFirst;
      this.rootFirst = c;
      this.rootCount++;
    } else {
      this.nextSibling[c] = this.firstChild[node];
      this.firstChild[node] = c;
      this.childCount[node]++;
    }
    if (kids === LIST_MAX) {
      for (let s = node < 0 ? this.rootFirst : this.firstChild[node]; s >= 0; s = this.nextSibling[s]) this.hash(s);
    } else if (kids > LIST_MAX) {
      this.hash(c);
    }
    return c;
  }

  frameOf(node: number): number {
    return this.frame[node];
  }

  addSelf(node: number, weight: number): void {
    this.self[node] += weight;
  }

  /** Laid out from the child lists kept while writing: the ids need not be grouped by parent again. */
  build(): { tree: CallTree; order: Int32Array } {
    const n = this.count;
    const start = new Int32Array(n + 2);
    start[1] = this.rootCount;
    for (let p = 0; p < n; p++) start[p + 2] = start[p + 1] + this.childCount[p];
    const children = new Int32Array(n);
    let k = 0;
    for (let c = this.rootFirst; c >= 0; c = this.nextSibling[c]) children[k++] = c;
    for (let p = 0; p < n; p++)
      for (let c = this.firstChild[p], at = start[p + 1]; c >= 0; c = this.nextSibling[c]) children[at++] = c;
    return buildPreorder(this.parent.subarray(0, n), this.frame.subarray(0, n), this.self.subarray(0, n), {
      start,
      children,
    });
  }

  /** Puts `id` in the hash table, made again twice as large (with every child of a wide node) when half full. */
  private hash(id: number): void {
    if (2 * (this.hashed + 1) <= this.slots.length) return this.put(id);
    this.slots = new Int32Array(Math.max(1024, 2 * this.slots.length)).fill(-1);
    this.hashed = 0;
    for (let c = 0; c < this.count; c++) {
      const p = this.parent[c];
      if ((p < 0 ? this.rootCount : this.childCount[p]) > LIST_MAX) this.put(c);
    }
  }

  private put(id: number): void {
    const at = slotOf(this.slots, this.parent, this.frame, this.parent[id], this.frame[id]);
    if (this.slots[at] < 0) this.hashed++;
    this.slots[at] = id;
  }

  private growNodes(): void {
    this.parent = grown(this.parent);
    this.frame = grown(this.frame);
    this.self = grown(this.self);
    this.nextSibling = grown(this.nextSibling);
    this.childCount = grown(this.childCount);
    const first = grown(this.firstChild);
    first.fill(-1, this.firstChild.length);
    this.firstChild = first;
  }
}

/** What a rule reads and grows of the tree it writes. */
export interface NodeWriter {
  /** The child of `node` (NOWHERE: the root level) for `frame`, made if absent. */
  step(node: number, frame: number): number;
  frameOf(node: number): number;
}

/**
 * Where node `i` of the tree goes, given where its parent went (`up`, NOWHERE for a root): a node
 * of the writer's, NOWHERE or DROPPED. Called in preorder, so a rule may keep per-node state.
 */
export type PlaceNode = (i: number, up: number, out: NodeWriter) => number;

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
  return rewriteTreeMapped(p, place).profile;
}

/** `rewriteTree`, and where each node of the old tree went: a node of the new one, or -1. */
export function rewriteTreeMapped(p: Profile, place: PlaceNode): { profile: Profile; nodeOf: Int32Array } {
  const { tree } = p;
  const out = new TreeWriter(tree.count);
  const nodeOf = new Int32Array(tree.count);
  // The nodes given weight by the source, so that those whose weight was all left out go too.
  let weighed = new Uint8Array(tree.count);
  let dropped = false;
  for (let i = 0; i < tree.count;) {
    const parent = tree.parent[i];
    const to = place(i, parent < 0 ? NOWHERE : nodeOf[parent], out);
    if (to === DROPPED) {
      dropped = true;
      nodeOf.fill(DROPPED, i, i + tree.size[i]);
      i += tree.size[i];
      continue;
    }
    nodeOf[i] = to;
    if (to >= 0) {
      out.addSelf(to, tree.self[i]);
      if (to >= weighed.length) weighed = grown(weighed, to + 1);
      if (tree.total[i] > 0) weighed[to] = 1;
    }
    i++;
  }
  const made = out.build();
  const built = dropped ? withoutEmptied(made, weighed) : made;
  for (let i = 0; i < nodeOf.length; i++) nodeOf[i] = nodeOf[i] >= 0 ? built.order[nodeOf[i]] : -1;
  let samples = 0;
  for (let i = 0; i < built.tree.count; i++) if (built.tree.parent[i] < 0) samples += built.tree.total[i];
  const { pstats: _, treeEstimate: __, ...rest } = p;
  const profile = {
    ...rest,
    tree: built.tree,
    samples,
    ...(p.timeline && { timeline: rewriteTimeline(p.timeline, nodeOf) }),
  };
  return { profile, nodeOf };
}

/**
 * The tree without the nodes that had weight in the source and have none left (every sample through
 * them was left out): nothing is left to show there. `order` maps the writer's ids to the new tree's
 * nodes, -1 for a node left out.
 */
function withoutEmptied(
  { tree, order }: { tree: CallTree; order: Int32Array },
  weighed: Uint8Array,
): { tree: CallTree; order: Int32Array } {
  const emptied = new Uint8Array(tree.count);
  let any = false;
  for (let id = 0; id < order.length; id++)
    if (weighed[id] && tree.total[order[id]] === 0) {
      emptied[order[id]] = 1;
      any = true;
    }
  if (!any) return { tree, order };
  const at = new Int32Array(tree.count).fill(-1);
  const kept = new Int32Array(tree.count);
  let n = 0;
  for (let i = 0; i < tree.count;)
    if (emptied[i]) i += tree.size[i];
    else {
      at[i] = n;
      kept[n++] = i;
      i++;
    }
  const out: CallTree = {
    count: n,
    parent: new Int32Array(n),
    frame: new Int32Array(n),
    depth: new Int32Array(n),
    size: new Int32Array(n).fill(1),
    self: new Float64Array(n),
    total: new Float64Array(n),
  };
  for (let k = 0; k < n; k++) {
    const i = kept[k];
    out.parent[k] = tree.parent[i] < 0 ? -1 : at[tree.parent[i]];
    out.frame[k] = tree.frame[i];
    out.depth[k] = tree.depth[i];
    out.self[k] = tree.self[i];
    out.total[k] = tree.total[i];
  }
  for (let k = n - 1; k > 0; k--) if (out.parent[k] >= 0) out.size[out.parent[k]] += out.size[k];
  const moved = new Int32Array(order.length);
  for (let id = 0; id < order.length; id++) moved[id] = at[order[id]];
  return { tree: out, order: moved };
}

/** The samples left on a node, moved to where it went; a sample's weight and state go with it. */
function rewriteTimeline(t: Timeline, nodeOf: Int32Array): Timeline {
  const keep = new Int32Array(t.node.length);
  const node = new Int32Array(t.node.length);
  let k = 0;
  for (let s = 0; s < t.node.length; s++) {
    const old = t.node[s];
    const to = old === IDLE_NODE || old === FAILED_NODE ? old : nodeOf[old];
    if (to < 0 && to !== old) continue;
    keep[k] = s;
    node[k++] = to;
  }
  const kept = <T extends Float64Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(k);
    for (let j = 0; j < k; j++) out[j] = a[keep[j]];
    return out;
  };
  return {
    ...t,
    time: kept(t.time),
    node: node.slice(0, k),
    ...(t.weight && { weight: kept(t.weight) }),
    ...(t.status && { status: kept(t.status) }),
  };
}
