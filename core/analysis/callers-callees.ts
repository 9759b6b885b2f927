import type { CallTree } from '../model/profile';

/** A function next to the selected one, with the weight that passed between them. */
export interface Neighbour {
  /** The frame standing for the function (see `functionOf`). */
  frame: number;
  /** Weight spent in the callee itself on this edge. */
  self: number;
  /** Weight spent in the callee and below on this edge, recursion counted once. */
  total: number;
}

export interface CallersCallees {
  callers: Neighbour[];
  callees: Neighbour[];
  /** Weight of the selected function's calls at the roots of the tree: no caller. */
  fromRoot: number;
}

/**
 * The callers and callees of function `fn[frame]` with the weight on each edge, merged over every
 * place the function appears in the tree: for an edge caller → callee, `self` sums the callee's
 * self weight at places where the caller called it, and `total` sums the callee's total there,
 * skipping places below another place of the same edge, so no sample counts twice. Heaviest first.
 */
export function callersCallees(tree: CallTree, fn: Int32Array, frame: number): CallersCallees {
  const target = fn[frame];
  const callers = new Edges(fn.length);
  const callees = new Edges(fn.length);
  let fromRoot = 0;
  let rootOpen = 0;
  // The edge each node on the path to the current one opened, to close it when the walk leaves it.
  const pathKind = new Uint8Array(tree.count);
  const pathFn = new Int32Array(tree.count);
  let depth = 0;
  for (let i = 0; i < tree.count; i++) {
    const d = tree.depth[i];
    while (depth > d) {
      depth--;
      if (pathKind[depth] === Edge.root) rootOpen--;
      else if (pathKind[depth] === Edge.caller) callers.open[pathFn[depth]]--;
      else if (pathKind[depth] === Edge.callee) callees.open[pathFn[depth]]--;
    }
    const f = fn[tree.frame[i]];
    const p = tree.parent[i];
    const caller = p < 0 ? -1 : fn[tree.frame[p]];
    let kind: Edge = Edge.none;
    let other = -1;
    if (f === target && p < 0) {
      if (rootOpen++ === 0) fromRoot += tree.total[i];
      kind = Edge.root;
    } else if (f === target) {
      callers.add(caller, tree.self[i], tree.total[i]);
      kind = Edge.caller;
      other = caller;
    } else if (caller === target) {
      callees.add(f, tree.self[i], tree.total[i]);
      kind = Edge.callee;
      other = f;
    }
    pathKind[depth] = kind;
    pathFn[depth++] = other;
  }
  return { callers: callers.list(), callees: callees.list(), fromRoot };
}

const enum Edge {
  none,
  root,
  caller,
  callee,
}

/** The weights on the edges to or from one function, by the function at the other end. */
class Edges {
  readonly open: Int32Array;
  private readonly self = new Map<number, number>();
  private readonly total = new Map<number, number>();

  constructor(functions: number) {
    this.open = new Int32Array(functions);
  }

  /** A place of the edge to `other`: its total counts unless a place of the same edge is open above it. */
  add(other: number, self: number, total: number): void {
    this.self.set(other, (this.self.get(other) ?? 0) + self);
    if (this.open[other]++ === 0) this.total.set(other, (this.total.get(other) ?? 0) + total);
  }

  list(): Neighbour[] {
    return [...this.self.keys()]
      .map((f) => ({ frame: f, self: this.self.get(f)!, total: this.total.get(f)! }))
      .sort((a, b) => b.total - a.total || a.frame - b.frame);
  }
}
