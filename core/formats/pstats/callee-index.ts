import type { PstatsTable } from '~/core/model/profile';

/** Caller→callee edges indexed by caller: the callees of frame f are outEdge[outStart[f]..outStart[f+1]). */
export interface CalleeIndex {
  /** The callee of each edge (edges are stored grouped by callee). */
  callee: Int32Array;
  outStart: Int32Array;
  outEdge: Int32Array;
}

export function calleeIndex(s: PstatsTable, frameCount: number): CalleeIndex {
  const edges = s.edgeCaller.length;
  const callee = new Int32Array(edges);
  for (let f = 0; f < s.cc.length; f++) for (let e = s.edgeStart[f]; e < s.edgeStart[f + 1]; e++) callee[e] = f;
  const outStart = new Int32Array(frameCount + 1);
  for (let e = 0; e < edges; e++) outStart[s.edgeCaller[e] + 1]++;
  for (let f = 0; f < frameCount; f++) outStart[f + 1] += outStart[f];
  const fill = outStart.slice(0, frameCount);
  const outEdge = new Int32Array(edges);
  for (let e = 0; e < edges; e++) outEdge[fill[s.edgeCaller[e]]++] = e;
  return { callee, outStart, outEdge };
}
