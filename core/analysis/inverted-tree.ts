import { grown, sortHeaviestFirst } from '../model/builders';
import type { CallTree } from '../model/profile';
import type { TreeNodes } from './tree-nodes';

/**
 * The call tree turned upside down: at the root the functions that hold self time, below each its
 * callers, and theirs below them. A node stands for samples whose stacks end with its path read
 * upward; it holds them as members, pairs of (a node of the top-down tree, weight). A node's
 * children are made when first asked for, by moving each member to its parent and grouping by
 * frame, so the tree costs what is opened of it, not the sum of all stack depths.
 */
/** A typed array that grows at its end. */
class Column<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(public data: T) {}

  /** Makes room for `n` more values and returns where they start. */
  extend(n: number): number {
    const at = this.length;
    this.length += n;
    if (this.length > this.data.length) this.data = grown(this.data, this.length);
    return at;
  }
}

/** What the inverted tree reads of a tree: each node's parent, frame and self weight. */
export type Stacks = Pick<CallTree, 'count' | 'parent' | 'frame' | 'self'>;

const ints = () => new Column(new Int32Array(256));
const floats = () => new Column(new Float64Array(256));

export class InvertedTree implements TreeNodes {
  private readonly parents = ints();
  private readonly depths = ints();
  private readonly frames = ints();
  private readonly totals = floats();
  /** Each node's members are `memberNode/memberWeight[memberStart[v], memberStart[v] + memberCount[v])`. */
  private readonly memberStart = ints();
  private readonly memberCount = ints();
  private readonly memberNode = ints();
  private readonly memberWeight = floats();
  /** The top-down node each member's weight is the self weight of: where it began, at a root. */
  private readonly memberLeaf = ints();
  private readonly made = new Map<number, Int32Array>();
  /** The frame's slot in the groups being made; -1 when it has none. */
  private readonly groupOf: Int32Array;

  /** `tree`: the columns read, of a call tree or of any tree of stacks (a node per stack, not merged). */
  constructor(private readonly tree: Stacks) {
    let maxFrame = -1;
    for (let i = 0; i < tree.count; i++) if (tree.frame[i] > maxFrame) maxFrame = tree.frame[i];
    this.groupOf = new Int32Array(maxFrame + 1).fill(-1);
  }

  children(node: number): Int32Array {
    let kids = this.made.get(node);
    if (!kids) {
      kids = node < 0 ? this.makeRoots() : this.makeChildren(node);
      this.made.set(node, kids);
    }
    return kids;
  }

  /** A node has callers below it unless every one of its members is at a root of the top-down tree. */
  hasChildren(node: number): boolean {
    const made = this.made.get(node);
    if (made) return made.length > 0;
    const start = this.memberStart.data[node];
    const end = start + this.memberCount.data[node];
    for (let k = start; k < end; k++) if (this.tree.parent[this.memberNode.data[k]] >= 0) return true;
    return false;
  }

  /** Nodes made so far. */
  get count(): number {
    return this.frames.length;
  }

  parent = (node: number) => this.parents.data[node];
  depth = (node: number) => this.depths.data[node];
  frame = (node: number) => this.frames.data[node];
  total = (node: number) => this.totals.data[node];
  /** A root's self time is all of it; a caller below holds none of it itself. */
  self = (node: number) => (this.depths.data[node] === 0 ? this.totals.data[node] : 0);

  /** The top-down nodes whose self weight `node` holds (each once), `depth(node)` calls below its members. */
  leaves(node: number): Int32Array {
    const start = this.memberStart.data[node];
    return this.memberLeaf.data.subarray(start, start + this.memberCount.data[node]);
  }

  private makeRoots(): Int32Array {
    const { tree } = this;
    const members: number[] = [];
    for (let i = 0; i < tree.count; i++) if (tree.self[i] > 0) members.push(i);
    return this.group(
      -1,
      members.length,
      (k) => members[k],
      (k) => tree.self[members[k]],
      (k) => members[k],
      (n) => n,
    );
  }

  private makeChildren(node: number): Int32Array {
    const { tree } = this;
    const start = this.memberStart.data[node];
    // Read through the columns at each call: making the children grows them.
    const nodes = this.memberNode;
    const weights = this.memberWeight;
    const leaves = this.memberLeaf;
    return this.group(
      node,
      this.memberCount.data[node],
      (k) => nodes.data[start + k],
      (k) => weights.data[start + k],
      (k) => leaves.data[start + k],
      (n) => tree.parent[n],
    );
  }

  /**
   * Makes the children of `parent` from `count` members: member k is top-down node `at(k)` of weight
   * `weight(k)` that began at `leaf(k)`, moved to `move(node)` (dropped when that is -1) and grouped
   * by that node's frame.
   */
  private group(
    parent: number,
    count: number,
    at: (k: number) => number,
    weight: (k: number) => number,
    leaf: (k: number) => number,
    move: (n: number) => number,
  ): Int32Array {
    const { tree, groupOf } = this;
    const groupFrames: number[] = [];
    const sizes: number[] = [];
    for (let k = 0; k < count; k++) {
      const n = move(at(k));
      if (n < 0) continue;
      const f = tree.frame[n];
      if (groupOf[f] < 0) {
        groupOf[f] = groupFrames.length;
        groupFrames.push(f);
        sizes.push(0);
      }
      sizes[groupOf[f]]++;
    }
    const groups = groupFrames.length;
    const first = this.frames.extend(groups);
    this.parents.extend(groups);
    this.depths.extend(groups);
    this.totals.extend(groups);
    this.memberStart.extend(groups);
    this.memberCount.extend(groups);
    const depth = parent < 0 ? 0 : this.depths.data[parent] + 1;
    const fill = new Int32Array(groups);
    let base = this.memberNode.length;
    for (let g = 0; g < groups; g++) {
      const v = first + g;
      this.parents.data[v] = parent;
      this.depths.data[v] = depth;
      this.frames.data[v] = groupFrames[g];
      this.totals.data[v] = 0;
      this.memberStart.data[v] = base;
      this.memberCount.data[v] = sizes[g];
      fill[g] = base;
      base += sizes[g];
    }
    this.memberNode.extend(base - this.memberNode.length);
    this.memberWeight.extend(base - this.memberWeight.length);
    this.memberLeaf.extend(base - this.memberLeaf.length);
    for (let k = 0; k < count; k++) {
      const n = move(at(k));
      if (n < 0) continue;
      const g = groupOf[tree.frame[n]];
      const w = weight(k);
      this.memberNode.data[fill[g]] = n;
      this.memberLeaf.data[fill[g]] = leaf(k);
      this.memberWeight.data[fill[g]++] = w;
      this.totals.data[first + g] += w;
    }
    const kids = new Int32Array(groups);
    for (let g = 0; g < groups; g++) {
      kids[g] = first + g;
      groupOf[groupFrames[g]] = -1;
    }
    // Equal siblings by frame: an order the tree of the same stacks gives however its nodes are laid out.
    sortHeaviestFirst(kids, 0, groups, this.totals.data, this.frames.data);
    return kids;
  }
}
