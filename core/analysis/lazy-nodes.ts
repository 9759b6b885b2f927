import { grown } from '../model/builders';
import type { TreeNodes } from './tree-nodes';

/**
 * A list of numbers per owner, its entries in one pool: appended in order, first and last kept, so
 * that many short lists cost no array each.
 */
export class PooledLists {
  heads: Int32Array;
  private tails: Int32Array;
  value: Int32Array;
  next: Int32Array;
  private count = 0;

  constructor(owners: number, entries: number) {
    this.heads = new Int32Array(owners).fill(-1);
    this.tails = new Int32Array(owners);
    this.value = new Int32Array(entries);
    this.next = new Int32Array(entries);
  }

  add(owner: number, value: number): void {
    const e = this.count++;
    if (e === this.value.length) {
      this.value = grown(this.value);
      this.next = grown(this.next);
    }
    this.value[e] = value;
    this.next[e] = -1;
    if (this.heads[owner] < 0) this.heads[owner] = e;
    else this.next[this.tails[owner]] = e;
    this.tails[owner] = e;
  }

  /** Room for twice the owners. */
  growOwners(): void {
    const heads = grown(this.heads);
    heads.fill(-1, this.heads.length);
    this.heads = heads;
    this.tails = grown(this.tails);
  }
}

/**
 * The columns of a tree whose children are made when first asked for (`list`), in typed arrays
 * grown as nodes are made, and each node's children kept once listed.
 */
export abstract class LazyNodes implements TreeNodes {
  protected count = 0;
  protected parents: Int32Array;
  protected frames: Int32Array;
  protected depths: Int32Array;
  protected totals: Float64Array;
  protected selfs: Float64Array;
  /** 1 + the index in `listed` of a node's children once listed, 0 before. */
  protected listedAt: Int32Array;
  private readonly listed: Int32Array[] = [];
  private rootKids: Int32Array | null = null;
  /** The children being listed, before they are ranked. */
  protected made: Int32Array;
  protected madeCount = 0;

  constructor(room: number) {
    this.parents = new Int32Array(room);
    this.frames = new Int32Array(room);
    this.depths = new Int32Array(room);
    this.totals = new Float64Array(room);
    this.selfs = new Float64Array(room);
    this.listedAt = new Int32Array(room);
    this.made = new Int32Array(room);
  }

  /** Makes the children of `node` (-1: the roots) and returns them ranked, through `keep`. */
  protected abstract list(node: number): Int32Array;

  abstract self(node: number): number;

  children(node: number): Int32Array {
    if (node < 0) return this.rootKids ?? this.list(node);
    const at = this.listedAt[node];
    return at > 0 ? this.listed[at - 1] : this.list(node);
  }

  hasChildren(node: number): boolean {
    return this.children(node).length > 0;
  }

  parent(node: number): number {
    return this.parents[node];
  }

  depth(node: number): number {
    return this.depths[node];
  }

  frame(node: number): number {
    return this.frames[node];
  }

  total(node: number): number {
    return this.totals[node];
  }

  /** Every node's frame, by id: the column a rule reads when this tree is the source of another transform. */
  frameColumn(): Int32Array {
    return this.frames;
  }

  /** A new node below `node` (-1: a root). */
  protected newNode(node: number, frame: number): number {
    const id = this.count++;
    if (id === this.parents.length) this.growNodes();
    this.parents[id] = node;
    this.frames[id] = frame;
    this.depths[id] = node < 0 ? 0 : this.depths[node] + 1;
    return id;
  }

  /** Adds `id` to the children being listed. */
  protected madeNow(id: number): void {
    if (this.madeCount === this.made.length) this.made = grown(this.made);
    this.made[this.madeCount++] = id;
  }

  /** The children made for `node`, ranked, kept as its children. */
  protected keep(node: number, ranked: (a: number, b: number) => number): Int32Array {
    const kids = this.made.slice(0, this.madeCount).sort(ranked);
    if (node < 0) this.rootKids = kids;
    else {
      this.listed.push(kids);
      this.listedAt[node] = this.listed.length;
    }
    return kids;
  }

  /** Room for twice the nodes; a subclass grows its own columns too. */
  protected growNodes(): void {
    this.parents = grown(this.parents);
    this.frames = grown(this.frames);
    this.depths = grown(this.depths);
    this.totals = grown(this.totals);
    this.selfs = grown(this.selfs);
    this.listedAt = grown(this.listedAt);
  }
}
