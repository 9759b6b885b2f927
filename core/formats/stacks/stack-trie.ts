import {
  childrenByParent,
  doubledSlots,
  grown,
  preorderOf,
  slotOf,
  sortHeaviestFirst,
  zeroTree,
} from '~/core/model/builders';
import type { CallTree } from '~/core/model/profile';

/**
 * Merges stacks (root first) into a calling-context tree, the same tree `CallTreeBuilder` makes,
 * with the same node order and the same sums, bit for bit. The stacks go into a trie whose nodes
 * are runs of frames that the same stacks pass through (a "path": one node per run, however long),
 * so a stack costs a comparison per frame, read in order, and a table lookup only where stacks
 * part. The tree's nodes are written once, in their final order, from the paths; no array as long
 * as the tree is made but the tree itself and the frames of the paths.
 */
export class StackTrie {
  /**
   * The frames of every path, one path's after another's; a path's frames stay where they were
   * written. Memory not yet written to costs nothing, so this starts large rather than grow often.
   */
  private frames = new Int32Array(1 << 20);
  private framesUsed = 0;
  /** Per path: its parent path (-1 at the root level), its first frame, its first depth, its length, where its frames are. */
  private parent = new Int32Array(1024);
  private key = new Int32Array(1024);
  private from = new Int32Array(1024);
  private length = new Int32Array(1024);
  private at = new Int32Array(1024);
  /** The weight of the stacks that end at the path's last frame, summed in the order they came. */
  private self = new Float64Array(1024);
  /** The first stack to reach the path (their index): siblings of equal weight are ranked by it. */
  private first = new Int32Array(1024);
  private paths = 0;
  /** Paths by hash of (parent path, first frame); -1 is empty. Kept at most half full. */
  private slots = new Int32Array(2048).fill(-1);
  /** For each stack, the path it ends at. */
  private ends = new Int32Array(1024);
  private stacks = 0;

  /** Adds one stack of frame ids, root first; returns its index, which `build` maps to its leaf (-1 for an empty stack). */
  add(stack: ArrayLike<number>, length: number, weight: number): number {
    return length === 0 ? -1 : this.insert(stack, 0, length, weight);
  }

  /** Adds the stacks given one after another in `ids`, `lengths[i]` frames each (none empty), as `add` adds each. */
  addAll(ids: Int32Array, lengths: Int32Array, weights: Float64Array): void {
    for (let i = 0, at = 0; i < lengths.length; at += lengths[i++]) this.insert(ids, at, lengths[i], weights[i]);
  }

  /** Adds the stack `stack[offset, offset + length)`, not empty. */
  private insert(stack: ArrayLike<number>, offset: number, length: number, weight: number): number {
    const s = this.stacks;
    let node = -1,
      d = 0,
      end = -1;
    while (end < 0) {
      const slot = slotOf(this.slots, this.parent, this.key, node, stack[offset + d]),
        path = this.slots[slot];
      if (path < 0) {
        end = this.newPath(node, d, stack, offset, length, s, slot);
        break;
      }
      const frames = this.frames,
        at = this.at[path],
        pathLength = this.length[path];
      const most = Math.min(pathLength, length - d);
      let j = 1;
      while (j < most && frames[at + j] === stack[offset + d + j]) j++;
      if (j === pathLength) {
        node = path;
        d += j;
        if (d === length) end = path;
        continue;
      }
      const upper = this.split(path, j, slot);
      end = d + j === length ? upper : this.newPath(upper, d + j, stack, offset, length, s, -1);
    }
    this.self[end] += weight;
    if (s === this.ends.length) this.ends = grown(this.ends);
    this.ends[s] = end;
    return this.stacks++;
  }

  /** A new path under `parent` holding `stack[offset + depth, offset + length)`; `slot` is its empty slot, or -1 to find one. */
  private newPath(
    parent: number,
    depth: number,
    stack: ArrayLike<number>,
    offset: number,
    length: number,
    s: number,
    slot: number,
  ): number {
    const p = this.allocate();
    const n = length - depth;
    if (this.framesUsed + n > this.frames.length) this.frames = grown(this.frames, this.framesUsed + n);
    const frames = this.frames,
      at = this.framesUsed;
    if (stack instanceof Int32Array) frames.set(stack.subarray(offset + depth, offset + length), at);
    else for (let i = 0; i < n; i++) frames[at + i] = stack[offset + depth + i];
    this.framesUsed += n;
    this.parent[p] = parent;
    this.key[p] = frames[at];
    this.from[p] = depth;
    this.length[p] = n;
    this.at[p] = at;
    this.first[p] = s;
    this.place(p, slot);
    return p;
  }

  /**
   * Cuts `path` after its first `j` frames: a new path takes those, and `path`'s place (its
   * parent, its slot); `path` keeps the rest, under it, with what ends there. Returns the new path.
   */
  private split(path: number, j: number, slot: number): number {
    const upper = this.allocate();
    this.parent[upper] = this.parent[path];
    this.key[upper] = this.key[path];
    this.from[upper] = this.from[path];
    this.length[upper] = j;
    this.at[upper] = this.at[path];
    this.first[upper] = this.first[path];
    this.slots[slot] = upper;
    this.parent[path] = upper;
    this.from[path] += j;
    this.length[path] -= j;
    this.at[path] += j;
    this.key[path] = this.frames[this.at[path]];
    this.place(path, -1);
    return upper;
  }

  private allocate(): number {
    const p = this.paths++;
    if (p === this.parent.length) {
      this.parent = grown(this.parent);
      this.key = grown(this.key);
      this.from = grown(this.from);
      this.length = grown(this.length);
      this.at = grown(this.at);
      this.self = grown(this.self);
      this.first = grown(this.first);
    }
    return p;
  }

  /** Puts path `p` in the table, at `slot` when that is known to be its empty slot. */
  private place(p: number, slot: number): void {
    this.slots[slot >= 0 ? slot : slotOf(this.slots, this.parent, this.key, this.parent[p], this.key[p])] = p;
    if (2 * this.paths > this.slots.length)
      this.slots = doubledSlots(this.slots.length, this.paths, this.parent, this.key);
  }

  /** The tree in preorder, heaviest child first, and for each index `add` returned, its leaf's index in the tree. */
  build(): { tree: CallTree; order: Int32Array } {
    const paths = this.paths;
    const { parent, first, length, self } = this;
    // Each path's children, grouped by parent (the root level first), in the order of their first
    // stacks: siblings of equal weight, as all are while no total is summed, go by `first`.
    const { start, children } = childrenByParent(parent.subarray(0, paths));
    const total = new Float64Array(paths),
      size = new Int32Array(paths);
    for (let g = 0; g <= paths; g++)
      if (start[g + 1] - start[g] > 1) sortHeaviestFirst(children, start[g], start[g + 1], total, first);

    // Sums from the leaves up, each path's children in the reverse of the order stacks reached them:
    // `CallTreeBuilder` sums that way, so fractional weights add up to the same bits.
    const pre = preorderOf(start, children);
    for (let k = paths - 1; k >= 0; k--) {
      const p = pre[k];
      let t = self[p],
        n = length[p];
      for (let c = start[p + 2] - 1; c >= start[p + 1]; c--) {
        t += total[children[c]];
        n += size[children[c]];
      }
      total[p] = t;
      size[p] = n;
    }
    for (let g = 0; g <= paths; g++)
      if (start[g + 1] - start[g] > 1) sortHeaviestFirst(children, start[g], start[g + 1], total, first);

    // The tree, path by path in preorder: a path's nodes are consecutive, each the parent of the next.
    const tree = zeroTree(this.framesUsed);
    const {
      parent: treeParent,
      frame: treeFrame,
      depth: treeDepth,
      size: treeSize,
      self: treeSelf,
      total: treeTotal,
    } = tree;
    const last = new Int32Array(paths);
    const { from, at } = this,
      frames = this.frames;
    const laid = preorderOf(start, children);
    for (let k = 0, next = 0; k < paths; k++) {
      const p = laid[k],
        len = length[p],
        up = parent[p],
        t = total[p],
        from0 = from[p] - next,
        at0 = at[p] - next,
        size0 = size[p] + next;
      treeParent[next] = up >= 0 ? last[up] : -1;
      for (let i = next + 1; i < next + len; i++) treeParent[i] = i - 1;
      for (let i = next; i < next + len; i++) {
        treeFrame[i] = frames[at0 + i];
        treeDepth[i] = from0 + i;
        treeSize[i] = size0 - i;
        treeTotal[i] = t;
      }
      next += len;
      last[p] = next - 1;
      treeSelf[next - 1] = self[p];
    }
    const order = new Int32Array(this.stacks);
    for (let s = 0; s < this.stacks; s++) order[s] = last[this.ends[s]];
    return { tree, order };
  }
}
