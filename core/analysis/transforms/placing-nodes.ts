import { grown, slotOf } from '../../model/builders';
import { LazyNodes, PooledLists } from '../lazy-nodes';

/**
 * A tree made by placing another tree's nodes at its nodes as it is looked at: nodes found by
 * (parent, frame), the nodes placed at each waiting in one pooled list, and the first of them kept
 * to rank siblings of equal weight.
 */
export abstract class PlacingNodes extends LazyNodes {
  /** The first node of the other tree placed at each node (`unplaced` until one is). */
  protected firsts: Int32Array;
  /** The nodes of the other tree placed at each node, their children not yet read: a list per node (index node + 1, the roots' first). */
  protected readonly waiting: PooledLists;
  /** Node ids by hash of (parent, frame); -1 is empty. */
  private slots: Int32Array;

  /** `room`: nodes to make room for at first, a power of two (more are made room for as needed). */
  constructor(
    room: number,
    private readonly unplaced: number,
  ) {
    super(room);
    this.firsts = new Int32Array(room);
    this.waiting = new PooledLists(room + 1, 4 * room);
    this.slots = new Int32Array(4 * room).fill(-1);
  }

  step(node: number, frame: number): number {
    const at = slotOf(this.slots, this.parents, this.frames, node, frame);
    const known = this.slots[at];
    if (known >= 0) return known;
    const id = this.newNode(node, frame);
    this.firsts[id] = this.unplaced;
    if (2 * this.count > this.slots.length) this.rehash();
    else this.slots[at] = id;
    return id;
  }

  frameOf(node: number): number {
    return this.frames[node];
  }

  self(node: number): number {
    if (this.listedAt[node] === 0) this.list(node);
    return this.selfs[node];
  }

  private rehash(): void {
    this.slots = new Int32Array(2 * this.slots.length).fill(-1);
    for (let id = 0; id < this.count; id++)
      this.slots[slotOf(this.slots, this.parents, this.frames, this.parents[id], this.frames[id])] = id;
  }

  protected growNodes(): void {
    super.growNodes();
    this.firsts = grown(this.firsts);
    this.waiting.growOwners();
  }
}
