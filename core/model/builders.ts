import { FrameKind, type CallTree, type FrameTable } from './profile';

/** Interns strings into one table: each distinct string is stored once. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  /** Adds `s` without looking for it: for strings known to be new, or for which a duplicate costs nothing. */
  append(s: string): number {
    this.strings.push(s);
    return this.strings.length - 1;
  }

  /** The id of `s`, or -1 when it is not in the table (only `intern` puts strings in its index). */
  find(s: string): number {
    return this.index.get(s) ?? -1;
  }

  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** `a` copied into a typed array of its kind, twice as long and at least `atLeast` long. */
export function grown<T extends Int32Array | Float64Array | Uint8Array>(a: T, atLeast = 0): T {
  const out = new (a.constructor as new (length: number) => T)(Math.max(2 * a.length, atLeast));
  (out as Uint8Array).set(a as Uint8Array);
  return out;
}

/** `a`'s first `n` values in an array of exactly `n`, zeros past its end. */
function fitted(a: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  out.set(a.subarray(0, n));
  return out;
}

/** Grows a typed array as values are pushed; `view()` is the filled part. */
export class GrowableArray<T extends Int32Array | Float64Array> {
  private data: T;
  length = 0;

  constructor(make: (n: number) => T, capacity = 1024) {
    this.data = make(capacity);
  }

  push(v: number): number {
    if (this.length === this.data.length) this.data = grown(this.data);
    this.data[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i];
  }

  add(i: number, v: number): void {
    this.data[i] += v;
  }

  /** A compact copy holding exactly the pushed values. */
  view(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export const ints = (n: number) => new Int32Array(n);
export const floats = (n: number) => new Float64Array(n);

const MAX_LINE = 0x7fffffff;

/** Collects distinct frames; their keys are the caller's. */
export class FrameTableBuilder {
  private readonly file: GrowableArray<Int32Array>;
  private readonly line: GrowableArray<Int32Array>;
  private readonly name: GrowableArray<Int32Array>;
  private readonly label: GrowableArray<Int32Array>;
  /** Made with the first frame that is not code. */
  private kind: Uint8Array | null = null;

  /** `capacity`: about how many frames there will be. */
  constructor(
    readonly strings: StringTable,
    capacity = 1024,
  ) {
    this.file = new GrowableArray(ints, capacity);
    this.line = new GrowableArray(ints, capacity);
    this.name = new GrowableArray(ints, capacity);
    this.label = new GrowableArray(ints, capacity);
  }

  get count(): number {
    return this.label.length;
  }

  /**
   * Adds a frame whose strings are interned already and whose key the caller keeps; returns its id.
   * A line number no source file reaches (past 2^31, or negative) is stored as none, not wrapped.
   */
  addInterned(label: number, file: number, line: number, name: number, kind: FrameKind = FrameKind.code): number {
    const id = this.label.push(label);
    this.file.push(file);
    this.line.push(line >= 0 && line <= MAX_LINE ? line : -1);
    this.name.push(name);
    if (kind !== FrameKind.code) {
      if (!this.kind || id >= this.kind.length) this.kind = grown(this.kind ?? new Uint8Array(0), id + 1);
      this.kind[id] = kind;
    }
    return id;
  }

  build(): FrameTable {
    return {
      count: this.count,
      file: this.file.view(),
      line: this.line.view(),
      name: this.name.view(),
      label: this.label.view(),
      ...(this.kind && { kind: fitted(this.kind, this.count) }),
    };
  }
}

/** Hashes a (parent, frame) pair into a table slot; the mixing spreads the ids of siblings. */
function childHash(node: number, frame: number): number {
  let h = Math.imul(node, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

/**
 * In a table of ids keyed by (parents[id], frames[id]), -1 where empty: the slot holding the id
 * whose key is (parent, frame), or else the empty slot where it goes.
 */
export function slotOf(
  slots: Int32Array,
  parents: Int32Array,
  frames: Int32Array,
  parent: number,
  frame: number,
): number {
  const mask = slots.length - 1;
  let at = childHash(parent, frame) & mask;
  for (let id = slots[at]; id >= 0 && (frames[id] !== frame || parents[id] !== parent); id = slots[at])
    at = (at + 1) & mask;
  return at;
}

/** The first empty slot, from its hash on, for the key (parent, frame) in a table of ids. */
function emptySlot(slots: Int32Array, parent: number, frame: number): number {
  const mask = slots.length - 1;
  let at = childHash(parent, frame) & mask;
  while (slots[at] >= 0) at = (at + 1) & mask;
  return at;
}

/** A table of ids, -1 where empty, twice `size`, holding ids `0..count-1` under their keys (parent[id], frame[id]). */
export function doubledSlots(
  size: number,
  count: number,
  parent: Int32Array,
  frame: Int32Array,
): Int32Array<ArrayBuffer> {
  const slots = new Int32Array(size * 2).fill(-1);
  for (let id = 0; id < count; id++) slots[emptySlot(slots, parent[id], frame[id])] = id;
  return slots;
}

/**
 * Merges stacks (root first) into a calling-context tree. Nodes are columns of typed arrays, and
 * the child of (node, frame) is found in an open-addressing table of node ids whose keys are the
 * nodes' own parent and frame: 4 bytes of table per node and no object, whatever the size.
 */
export class CallTreeBuilder {
  private parent = new Int32Array(1024);
  private frame = new Int32Array(1024);
  private self = new Float64Array(1024);
  private count = 0;
  /** Node ids by hash of (parent, frame); -1 is empty. Kept at most half full. */
  private slots = new Int32Array(2048).fill(-1);

  /** Adds one stack of frame ids, root first; returns its leaf node (-1 for an empty stack). */
  add(stack: ArrayLike<number>, length: number, weight: number): number {
    let node = -1;
    for (let i = 0; i < length; i++) node = this.step(node, stack[i]);
    if (node >= 0) this.self[node] += weight;
    return node;
  }

  /** The child of `node` (-1: the root level) for `frame`, made if absent. */
  step(node: number, frame: number): number {
    const slots = this.slots;
    const at = slotOf(slots, this.parent, this.frame, node, frame);
    if (slots[at] >= 0) return slots[at];
    const c = this.count++;
    if (c === this.parent.length) this.growNodes();
    this.parent[c] = node;
    this.frame[c] = frame;
    this.self[c] = 0;
    slots[at] = c;
    if (2 * this.count > slots.length) this.slots = doubledSlots(slots.length, this.count, this.parent, this.frame);
    return c;
  }

  addSelf(node: number, weight: number): void {
    this.self[node] += weight;
  }

  private growNodes(): void {
    const n = this.parent.length * 2;
    const parent = new Int32Array(n),
      frame = new Int32Array(n),
      self = new Float64Array(n);
    parent.set(this.parent);
    frame.set(this.frame);
    self.set(this.self);
    this.parent = parent;
    this.frame = frame;
    this.self = self;
  }

  /**
   * The tree in preorder, heaviest child first. Returns the tree and, for each node id handed out
   * by `add`/`step`, its index in the tree.
   */
  build(): { tree: CallTree; order: Int32Array } {
    const n = this.count;
    return buildPreorder(this.parent.slice(0, n), this.frame.slice(0, n), this.self.slice(0, n));
  }
}

/** Groups this short are sorted in place; longer ones by the engine's sort. */
const INSERTION_SORT_MAX = 32;

/**
 * Sorts `ids[a, b)` heaviest first, equal weights by `rank` (by id when there is none): the order
 * siblings are laid out in.
 */
export function sortHeaviestFirst(ids: Int32Array, a: number, b: number, total: Float64Array, rank?: Int32Array): void {
  if (b - a > INSERTION_SORT_MAX) {
    const rankOf = rank ? (id: number) => rank[id] : (id: number) => id;
    ids.set(
      Array.from(ids.subarray(a, b)).sort((x, y) => total[y] - total[x] || rankOf(x) - rankOf(y)),
      a,
    );
    return;
  }
  // No closure here: this runs once per group of siblings, a million times on a large tree.
  for (let i = a + 1; i < b; i++) {
    const id = ids[i],
      w = total[id],
      r = rank ? rank[id] : id;
    let j = i - 1;
    for (; j >= a; j--) {
      const other = ids[j],
        v = total[other];
      if (!(v < w || (v === w && (rank ? rank[other] : other) > r))) break;
      ids[j + 1] = other;
    }
    ids[j + 1] = id;
  }
}

/** A tree of `n` nodes, its columns to be filled. */
export function zeroTree(n: number): CallTree {
  return {
    count: n,
    parent: new Int32Array(n),
    frame: new Int32Array(n),
    depth: new Int32Array(n),
    size: new Int32Array(n),
    self: new Float64Array(n),
    total: new Float64Array(n),
  };
}

/**
 * Ids `0..parent.length-1` grouped by parent, the root level (-1) first, each group in id order:
 * the children of `p` are `children[start[p + 1], start[p + 2])`.
 */
export function childrenByParent(parent: Int32Array): { start: Int32Array; children: Int32Array } {
  const n = parent.length;
  const start = new Int32Array(n + 2);
  for (let i = 0; i < n; i++) start[parent[i] + 2]++;
  for (let g = 2; g < start.length; g++) start[g] += start[g - 1];
  const children = new Int32Array(n);
  for (let i = 0; i < n; i++) children[start[parent[i] + 1]++] = i;
  for (let g = start.length - 1; g > 0; g--) start[g] = start[g - 1];
  start[0] = 0;
  return { start, children };
}

/** The ids in preorder, each group of children in the order `children` holds it (see `childrenByParent`). */
export function preorderOf(start: Int32Array, children: Int32Array): Int32Array {
  const out = new Int32Array(children.length),
    todo = new Int32Array(children.length);
  let pending = 0,
    k = 0;
  for (let c = start[1] - 1; c >= start[0]; c--) todo[pending++] = children[c];
  while (pending > 0) {
    const id = todo[--pending];
    out[k++] = id;
    for (let c = start[id + 2] - 1; c >= start[id + 1]; c--) todo[pending++] = children[c];
  }
  return out;
}

/**
 * Lays out nodes given as parent links (any order where a parent's id is below its children's)
 * into preorder with subtree sizes, depths and totals; siblings heaviest first, equal ones by id.
 */
export function buildPreorder(
  parent: Int32Array,
  frame: Int32Array,
  self: Float64Array,
  /** The ids grouped by parent as `childrenByParent` gives them, in any order within a group. */
  groups = childrenByParent(parent),
): { tree: CallTree; order: Int32Array } {
  const n = parent.length;
  const total = self.slice();
  for (let i = n - 1; i >= 0; i--) if (parent[i] >= 0) total[parent[i]] += total[i];

  const { start, children } = groups;
  for (let p = 0; p <= n; p++)
    if (start[p + 1] - start[p] > 1) sortHeaviestFirst(children, start[p], start[p + 1], total);

  const order = new Int32Array(n);
  const tree = zeroTree(n);
  const pre = preorderOf(start, children);
  for (let at = 0; at < n; at++) {
    const old = pre[at];
    order[old] = at;
    const p = parent[old];
    const up = p >= 0 ? order[p] : -1;
    tree.parent[at] = up;
    tree.depth[at] = up >= 0 ? tree.depth[up] + 1 : 0;
    tree.frame[at] = frame[old];
    tree.self[at] = self[old];
    tree.total[at] = total[old];
  }
  for (let i = n - 1; i >= 0; i--) {
    tree.size[i] += 1;
    if (tree.parent[i] >= 0) tree.size[tree.parent[i]] += tree.size[i];
  }
  return { tree, order };
}
