import { buildPreorder, grown, sortHeaviestFirst } from '~/core/model/builders';
import type { CallTree, PstatsTable, TreeEstimate } from '~/core/model/profile';
import { calleeIndex } from './callee-index';

/** Places lighter than this share of the total are not made, unless their functions have none yet. */
const MIN_SHARE = 1e-6;
const NODE_LIMIT = 2_000_000;
/** Larger times are no measurement; leaving them out keeps every sum of weights finite. */
const MAX_WEIGHT = 1e100;

/** A time the tree can be laid out by: a file may hold negative times (clock steps), NaN or infinities. */
const usable = (w: number): number => (w > 0 && w <= MAX_WEIGHT ? w : 0);

/**
 * pstats keeps caller→callee edges, not stacks. This estimates the calling-context tree so that
 * it never contradicts the table: each function's self time, summed over every place it appears,
 * is its tottime, and each node's total is its self plus its children's totals.
 *
 * Recursion is collapsed, not cut: the functions of each strongly connected component of the call
 * graph (a recursive function, mutual recursion, the import machinery re-entering itself) are laid
 * out once per place the component is entered, as a tree of its heaviest internal calls from the
 * function it is entered by. Each such place gets a share of the component: its parent's share
 * times the part of the component's incoming calls (by cumulative time on the edge; for the
 * `profile` module, by call counts) that the edge carries, so that with every place made the
 * shares of each function sum to one. Places too light to show are not made, except where a
 * function has no place yet; each function's tottime is then split over the places it has by
 * their shares, and totals are summed bottom-up.
 */
export function estimateCallTree(
  s: PstatsTable,
  frameCount: number,
): { tree: CallTree; estimate: TreeEstimate; warnings: string[] } {
  const graph = callGraph(s, frameCount);
  const parts = componentsOf(graph);
  const places = makePlaces(s, graph, parts);
  // Each function's tottime over its places by their shares; where they all have none, on its first.
  const { count: n, frame, parent, share } = places;
  const shareSum = new Float64Array(frameCount),
    firstPlace = new Int32Array(frameCount).fill(-1);
  for (let i = 0; i < n; i++) {
    shareSum[frame[i]] += share[i];
    if (firstPlace[frame[i]] < 0) firstPlace[frame[i]] = i;
  }
  // Places are already a tree, each parent before its children and no two siblings of one frame,
  // so they are laid out as they are: finding each one's node again by (parent, frame) was most
  // of the time on deep call graphs of a million places.
  const own = graph.own,
    self = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = frame[i];
    self[i] = shareSum[f] > 0 ? own[f] * (share[i] / shareSum[f]) : firstPlace[f] === i ? own[f] : 0;
  }
  const { tree } = buildPreorder(parent, frame, self);
  const warnings = places.truncated
    ? [
        `the estimated call tree was cut at ${NODE_LIMIT.toLocaleString('en')} nodes; lighter places of functions placed elsewhere are left out`,
      ]
    : [];
  return { tree, estimate: estimateOf(tree, own, frameCount), warnings };
}

/** The call graph by caller: the callees of frame f are `callee[outStart[f], outStart[f + 1])`. */
interface CallGraph {
  frames: number;
  outStart: Int32Array;
  callee: Int32Array;
  /** The time each edge carries: its cumulative time, or for the `profile` module the callee's split by call counts. */
  weight: Float64Array;
  /** Each frame's tottime (0 for those that are not entries). */
  own: Float64Array;
}

function callGraph(s: PstatsTable, frameCount: number): CallGraph {
  const { callee: calleeOfEdge, outStart, outEdge } = calleeIndex(s, frameCount);
  const { nc, ct, tt, edgeCt, edgeNc } = s;
  const edges = outEdge.length;
  const callee = new Int32Array(edges),
    weight = new Float64Array(edges);
  for (let k = 0; k < edges; k++) {
    const e = outEdge[k],
      g = calleeOfEdge[e];
    callee[k] = g;
    weight[k] = usable(Number.isNaN(edgeCt[e]) ? (nc[g] ? (ct[g] * edgeNc[e]) / nc[g] : 0) : edgeCt[e]);
  }
  const own = new Float64Array(frameCount);
  for (let f = 0; f < tt.length; f++) own[f] = usable(tt[f]);
  return { frames: frameCount, outStart, callee, weight, own };
}

/** The strongly connected components of a call graph and what each would weigh in the tree. */
interface Components {
  comp: Int32Array;
  count: number;
  memberStart: Int32Array;
  members: Int32Array;
  /** Per out-edge: its part of its callee's component (0 inside a component). */
  part: Float64Array;
  /** Edges into each component from outside. */
  inEdges: Int32Array;
  /** What each component would weigh with every place below it made. */
  full: Float64Array;
  /** Whether any time lies in or below each component (which no underflow can lose). */
  live: Uint8Array;
}

/**
 * The components of `graph`, with each out-edge's part and each component's weight. Sorts each
 * function's callees heaviest first by what their place would weigh, so the walk makes heavy
 * places first.
 */
function componentsOf(graph: CallGraph): Components {
  const { frames, outStart, callee, weight, own } = graph;
  const { comp, comps: count, memberStart, members } = components(frames, outStart, callee);
  // Each edge into a component from outside carries its part of the component's incoming weight
  // (equal parts when none weighs anything).
  const inWeight = new Float64Array(count),
    inEdges = new Int32Array(count);
  for (let f = 0; f < frames; f++) {
    for (let k = outStart[f]; k < outStart[f + 1]; k++) {
      const c = comp[callee[k]];
      if (c === comp[f]) continue;
      inWeight[c] += weight[k];
      inEdges[c]++;
    }
  }
  const part = new Float64Array(callee.length);
  for (let f = 0; f < frames; f++) {
    for (let k = outStart[f]; k < outStart[f + 1]; k++) {
      const c = comp[callee[k]];
      if (c !== comp[f]) part[k] = inWeight[c] > 0 ? weight[k] / inWeight[c] : 1 / inEdges[c];
    }
  }
  // Components come sinks first: those below a component are weighed before it.
  const full = new Float64Array(count),
    live = new Uint8Array(count);
  for (let c = 0; c < count; c++) {
    let w = 0,
      alive = 0;
    for (let m = memberStart[c]; m < memberStart[c + 1]; m++) {
      const f = members[m];
      w += own[f];
      if (own[f] > 0) alive = 1;
      for (let k = outStart[f]; k < outStart[f + 1]; k++) {
        const d = comp[callee[k]];
        if (d === c || part[k] === 0) continue;
        w += part[k] * full[d];
        alive |= live[d];
      }
    }
    full[c] = w;
    live[c] = alive;
  }
  const key = new Float64Array(callee.length),
    order = new Int32Array(callee.length);
  for (let k = 0; k < callee.length; k++) {
    key[k] = part[k] * full[comp[callee[k]]];
    order[k] = k;
  }
  for (let f = 0; f < frames; f++)
    if (outStart[f + 1] - outStart[f] > 1) sortHeaviestFirst(order, outStart[f], outStart[f + 1], key);
  const sorted = (a: Int32Array | Float64Array) => {
    const copy = a.slice();
    for (let k = 0; k < order.length; k++) a[k] = copy[order[k]];
  };
  sorted(callee);
  sorted(weight);
  sorted(part);
  return { comp, count, memberStart, members, part, inEdges, full, live };
}

/** The places of the tree as parent links, each parent before its children, with their shares. */
interface Places {
  count: number;
  parent: Int32Array;
  frame: Int32Array;
  share: Float64Array;
  truncated: boolean;
}

/**
 * Walks down from the components nobody outside calls, making a place for each component entered
 * that weighs enough or has no place yet.
 */
function makePlaces(s: PstatsTable, graph: CallGraph, parts: Components): Places {
  const { outStart, callee, weight } = graph;
  const { comp, count: comps, memberStart, members, part, inEdges, full, live } = parts;
  // Roots: components nobody outside calls, heaviest first, each entered by its function of the
  // largest cumulative time (under `python -m cProfile` the script runs in `exec`, which the
  // import machinery it starts calls again: that cycle is entered at `exec`).
  const roots: number[] = [];
  for (let c = 0; c < comps; c++) if (inEdges[c] === 0 && live[c]) roots.push(c);
  roots.sort((a, b) => full[b] - full[a] || a - b);
  let grand = 0;
  for (const c of roots) grand += full[c];
  const minWeight = grand * MIN_SHARE;
  const ct = (f: number) => (f < s.ct.length ? usable(s.ct[f]) : 0);
  const rootEntry = (c: number): number => {
    let best = members[memberStart[c]];
    for (let m = memberStart[c] + 1; m < memberStart[c + 1]; m++) {
      const f = members[m];
      if (ct(f) > ct(best) || (ct(f) === ct(best) && f < best)) best = f;
    }
    return best;
  };

  const layouts = new Layouts(comp, memberStart, outStart, callee, weight);
  let parent = new Int32Array(1024),
    frame = new Int32Array(1024),
    share = new Float64Array(1024),
    n = 0;
  const placed = new Uint8Array(comps);
  // Places to make, last first: parent node, the function the component is entered by, share, and
  // whether it is made only because its component has no place yet.
  let todoParent = new Int32Array(1024),
    todoEntry = new Int32Array(1024),
    todoShare = new Float64Array(1024),
    todoForced = new Uint8Array(1024);
  let pending = 0,
    truncated = false;
  const todo = (p: number, entry: number, w: number, forced: boolean) => {
    if (pending === todoParent.length) {
      todoParent = grown(todoParent);
      todoEntry = grown(todoEntry);
      todoShare = grown(todoShare);
      todoForced = grown(todoForced);
    }
    todoParent[pending] = p;
    todoEntry[pending] = entry;
    todoShare[pending] = w;
    todoForced[pending++] = forced ? 1 : 0;
  };

  for (let r = roots.length - 1; r >= 0; r--) todo(-1, rootEntry(roots[r]), 1, false);
  while (pending > 0) {
    const t = --pending;
    const p = todoParent[t],
      entry = todoEntry[t],
      w = todoShare[t],
      c = comp[entry];
    if (todoForced[t] && placed[c]) continue;
    placed[c] = 1;
    const first = n;
    const layout = memberStart[c + 1] - memberStart[c] > 1 ? layouts.of(c, entry) : null;
    const size = layout ? layout.frames.length : 1;
    if (n + size > parent.length) {
      parent = grown(parent, n + size);
      frame = grown(frame, n + size);
      share = grown(share, n + size);
    }
    for (let i = 0; i < size; i++) {
      parent[n] = layout && layout.parent[i] >= 0 ? first + layout.parent[i] : p;
      frame[n] = layout ? layout.frames[i] : entry;
      share[n++] = w;
    }
    for (let i = size - 1; i >= 0; i--) {
      const f = layout ? layout.frames[i] : entry;
      for (let k = outStart[f + 1] - 1; k >= outStart[f]; k--) {
        const g = callee[k],
          d = comp[g];
        if (d === c || !live[d]) continue;
        const sub = w * part[k];
        const heavy = sub * full[d] > minWeight;
        if (heavy && n < NODE_LIMIT) todo(first + i, g, sub, false);
        else if (!placed[d]) todo(first + i, g, sub, true);
        else if (heavy) truncated = true;
      }
    }
  }
  return {
    count: n,
    parent: parent.subarray(0, n),
    frame: frame.subarray(0, n),
    share: share.subarray(0, n),
    truncated,
  };
}

/**
 * What the tree says beside pstats' numbers: each function's total over its outermost places (to
 * set beside its cumtime), and the share of the time on functions it shows in several places.
 */
function estimateOf(tree: CallTree, own: Float64Array, frameCount: number): TreeEstimate {
  const outerTotal = new Float64Array(frameCount),
    onPath = new Int32Array(frameCount),
    places = new Int32Array(frameCount);
  const path: number[] = [];
  for (let i = 0; i < tree.count; i++) {
    while (path.length > tree.depth[i]) onPath[tree.frame[path.pop()!]]--;
    const f = tree.frame[i];
    if (onPath[f] === 0) outerTotal[f] += tree.total[i];
    onPath[f]++;
    places[f]++;
    path.push(i);
  }
  let time = 0,
    split = 0;
  for (let f = 0; f < frameCount; f++) {
    time += own[f];
    if (places[f] > 1) split += own[f];
  }
  return { outerTotal, splitShare: time > 0 ? split / time : 0 };
}

/**
 * Strongly connected components of the call graph (Tarjan's, without recursion), numbered sinks
 * first, with their members.
 */
function components(n: number, outStart: Int32Array, callee: Int32Array) {
  const index = new Int32Array(n).fill(-1),
    low = new Int32Array(n),
    comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n),
    work = new Int32Array(n),
    next = new Int32Array(n);
  let counter = 0,
    comps = 0,
    top = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    let depth = 0;
    work[0] = root;
    next[root] = outStart[root];
    index[root] = low[root] = counter++;
    stack[top++] = root;
    while (depth >= 0) {
      const v = work[depth];
      if (next[v] < outStart[v + 1]) {
        const w = callee[next[v]++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack[top++] = w;
          next[w] = outStart[w];
          work[++depth] = w;
        } else if (comp[w] < 0 && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--top];
          comp[w] = comps;
        } while (w !== v);
        comps++;
      }
      depth--;
      if (depth >= 0 && low[v] < low[work[depth]]) low[work[depth]] = low[v];
    }
  }
  const memberStart = new Int32Array(comps + 1);
  for (let f = 0; f < n; f++) memberStart[comp[f] + 1]++;
  for (let c = 0; c < comps; c++) memberStart[c + 1] += memberStart[c];
  const fill = memberStart.slice(0, comps),
    members = new Int32Array(n);
  for (let f = 0; f < n; f++) members[fill[comp[f]]++] = f;
  return { comp, comps, memberStart, members };
}

/** How a component is laid out from the function it is entered by: its members, each after its parent. */
interface Layout {
  frames: Int32Array;
  /** Index in `frames` of each member's parent; -1 for the entry. */
  parent: Int32Array;
}

/**
 * The layouts of components, made when first needed. A member's parent is the member with the
 * heaviest call to it among those already laid out (the tree of widest paths from the entry), so
 * that the heavy recursive calls are the ones the graph shows.
 */
class Layouts {
  /** By the function a component is entered by. */
  private readonly made = new Map<number, Layout>();
  /** Where each frame is in the layout being made, or -1. */
  private readonly at: Int32Array;

  constructor(
    private readonly comp: Int32Array,
    private readonly memberStart: Int32Array,
    private readonly outStart: Int32Array,
    private readonly callee: Int32Array,
    private readonly weight: Float64Array,
  ) {
    this.at = new Int32Array(comp.length).fill(-1);
  }

  of(c: number, entry: number): Layout {
    const size = this.memberStart[c + 1] - this.memberStart[c];
    const known = this.made.get(entry);
    if (known) return known;
    const frames = new Int32Array(size),
      parent = new Int32Array(size);
    // Prim's algorithm for the widest-path tree: the heaviest edge from a laid-out member to one
    // not yet laid out comes next, kept in a binary heap of candidate edges.
    const heapWeight: number[] = [],
      heapFrom: number[] = [],
      heapTo: number[] = [];
    const push = (w: number, from: number, to: number) => {
      let i = heapWeight.length;
      heapWeight.push(w);
      heapFrom.push(from);
      heapTo.push(to);
      while (i > 0) {
        const up = (i - 1) >> 1;
        if (heapWeight[up] >= w) break;
        swap(i, up);
        i = up;
      }
    };
    const swap = (i: number, j: number) => {
      [heapWeight[i], heapWeight[j]] = [heapWeight[j], heapWeight[i]];
      [heapFrom[i], heapFrom[j]] = [heapFrom[j], heapFrom[i]];
      [heapTo[i], heapTo[j]] = [heapTo[j], heapTo[i]];
    };
    const pop = () => {
      const last = heapWeight.length - 1;
      swap(0, last);
      const out = { from: heapFrom.pop()!, to: heapTo.pop()! };
      heapWeight.pop();
      for (let i = 0; ;) {
        const l = 2 * i + 1,
          r = l + 1;
        let big = i;
        if (l < heapWeight.length && heapWeight[l] > heapWeight[big]) big = l;
        if (r < heapWeight.length && heapWeight[r] > heapWeight[big]) big = r;
        if (big === i) break;
        swap(i, big);
        i = big;
      }
      return out;
    };
    const add = (f: number, from: number, k: number) => {
      this.at[f] = k;
      frames[k] = f;
      parent[k] = from;
      for (let j = this.outStart[f]; j < this.outStart[f + 1]; j++) {
        const g = this.callee[j];
        if (this.comp[g] === c && this.at[g] < 0) push(this.weight[j], k, g);
      }
    };
    add(entry, -1, 0);
    for (let k = 1; k < size;) {
      const { from, to } = pop();
      if (this.at[to] < 0) add(to, from, k++);
    }
    for (const f of frames) this.at[f] = -1;
    const layout = { frames, parent };
    this.made.set(entry, layout);
    return layout;
  }
}
