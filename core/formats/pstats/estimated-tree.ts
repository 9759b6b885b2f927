import { GrowableArray, floats, ints, sortHeaviestFirst } from '~/core/model/builders';
import type { CallTree, PstatsTable } from '~/core/model/profile';
import { calleeIndex } from './callee-index';

/** Subtrees lighter than this share of the total are not expanded. */
const MIN_SHARE = 1e-6;
const NODE_LIMIT = 2_000_000;
/** Larger times are no measurement; leaving them out keeps every sum of weights finite. */
const MAX_WEIGHT = 1e100;

/** A time the tree can be laid out by: a file may hold negative times (clock steps), NaN or infinities. */
const usable = (w: number): number => (w > 0 && w <= MAX_WEIGHT ? w : 0);

/**
 * pstats keeps caller→callee edges, not stacks. This estimates the calling-context tree: walk down
 * from the functions nobody called, giving each callee the part of its parent's time that the
 * edge `(caller → callee)` carries (its cumulative time on that edge, or for the `profile` module
 * the callee's time split by call counts), heaviest callee first, each at most what its parent
 * has not yet given, so children never exceed their parent.
 * A function already on the path is not entered again (recursion cycles are cut), and what a
 * node does not hand to its children is its self time.
 */
export function estimateCallTree(s: PstatsTable, frameCount: number): { tree: CallTree; warnings: string[] } {
  const entries = s.cc.length;
  const edges = s.edgeCaller.length;
  const { callee, outStart, outEdge } = calleeIndex(s, frameCount);
  const edgeWeight = new Float64Array(edges);
  for (let e = 0; e < edges; e++) {
    const g = callee[e];
    edgeWeight[e] = usable(Number.isNaN(s.edgeCt[e]) ? (s.nc[g] ? (s.ct[g] * s.edgeNc[e]) / s.nc[g] : 0) : s.edgeCt[e]);
  }

  // Callees heaviest first, so the walk emits siblings in display order.
  for (let f = 0; f < frameCount; f++)
    if (outStart[f + 1] - outStart[f] > 1) sortHeaviestFirst(outEdge, outStart[f], outStart[f + 1], edgeWeight);
  // The callee and weight of each out-edge in walking order, so the walk reads memory in sequence.
  const outCallee = new Int32Array(edges),
    outWeight = new Float64Array(edges);
  for (let k = 0; k < edges; k++) {
    outCallee[k] = callee[outEdge[k]];
    outWeight[k] = edgeWeight[outEdge[k]];
  }
  const outSum = new Float64Array(frameCount);
  for (let e = 0; e < edges; e++) outSum[s.edgeCaller[e]] += edgeWeight[e];

  // The `profile` module's own root records no time of its own: it then weighs what it called.
  const ownTime = (f: number) => (f < entries ? usable(s.ct[f]) || outSum[f] : outSum[f]);
  const roots: { frame: number; weight: number }[] = [];
  const reached = new Uint8Array(frameCount);
  const queue: number[] = [];
  const addRoot = (f: number) => {
    roots.push({ frame: f, weight: ownTime(f) });
    reached[f] = 1;
    queue.push(f);
    while (queue.length) {
      const g = queue.pop()!;
      for (let k = outStart[g]; k < outStart[g + 1]; k++) {
        const h = outCallee[k];
        if (!reached[h]) {
          reached[h] = 1;
          queue.push(h);
        }
      }
    }
  };
  for (let f = 0; f < frameCount; f++) {
    const isEntry = f < entries;
    if (isEntry && s.edgeStart[f + 1] > s.edgeStart[f]) continue;
    if (ownTime(f) > 0 || (isEntry && s.nc[f] > 0)) addRoot(f);
  }
  // A cycle that nothing outside it calls has no caller-less function: under `python -m cProfile`
  // the script runs in `exec`, which the import machinery it starts calls again. The heaviest
  // function such a cycle holds is taken as its root.
  const unreached = Array.from({ length: frameCount }, (_, f) => f)
    .filter((f) => !reached[f] && ownTime(f) > 0)
    .sort((a, b) => ownTime(b) - ownTime(a));
  for (const f of unreached) if (!reached[f]) addRoot(f);
  roots.sort((a, b) => b.weight - a.weight);
  let grand = 0;
  for (const r of roots) grand += r.weight;
  const minWeight = grand * MIN_SHARE;

  const parent = new GrowableArray(ints),
    frame = new GrowableArray(ints),
    depth = new GrowableArray(ints);
  const self = new GrowableArray(floats),
    total = new GrowableArray(floats);
  const onPath = new Uint8Array(frameCount);
  // The walk's stack: node, next outgoing edge to try, and the scale from edge weights to node weight.
  const stackNode: number[] = [],
    stackEdge: number[] = [],
    stackScale: number[] = [];
  let truncated = false;

  const enter = (f: number, weight: number, p: number): void => {
    const node = parent.push(p);
    frame.push(f);
    depth.push(p < 0 ? 0 : depth.get(p) + 1);
    total.push(weight);
    self.push(weight);
    onPath[f] = 1;
    const own = ownTime(f);
    const scale = own > 0 ? weight / own : 0;
    stackNode.push(node);
    stackEdge.push(outStart[f]);
    stackScale.push(scale);
  };

  for (const root of roots) {
    enter(root.frame, root.weight, -1);
    while (stackNode.length) {
      const top = stackNode.length - 1;
      const node = stackNode[top];
      const f = frame.get(node);
      const k = stackEdge[top];
      if (k >= outStart[f + 1]) {
        onPath[f] = 0;
        stackNode.pop();
        stackEdge.pop();
        stackScale.pop();
        continue;
      }
      stackEdge[top] = k + 1;
      const g = outCallee[k];
      if (onPath[g]) continue;
      // Callees heaviest first, each given at most what its caller has left: when the out-edges
      // carry more than the caller's time (a recursive caller's edges count its inner calls too;
      // the \`profile\` module rounds), the heavy callees keep their time and the light ones give.
      const w = Math.min(outWeight[k] * stackScale[top], self.get(node));
      if (w <= minWeight && !(w === 0 && grand === 0)) {
        // Out-edges are heaviest first: the rest are lighter still.
        if (grand > 0) stackEdge[top] = outStart[f + 1];
        continue;
      }
      if (parent.length >= NODE_LIMIT) {
        truncated = true;
        continue;
      }
      self.add(node, -w);
      enter(g, w, node);
    }
  }

  const n = parent.length;
  const size = new Int32Array(n).fill(1);
  const parents = parent.view();
  for (let i = n - 1; i > 0; i--) if (parents[i] >= 0) size[parents[i]] += size[i];
  const tree: CallTree = {
    count: n,
    parent: parents,
    frame: frame.view(),
    depth: depth.view(),
    size,
    self: self.view(),
    total: total.view(),
  };
  const warnings = truncated
    ? [`the estimated call tree was cut at ${NODE_LIMIT.toLocaleString('en')} nodes; lighter paths are left out`]
    : [];
  return { tree, warnings };
}
