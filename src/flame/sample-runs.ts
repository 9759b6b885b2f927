import { FAILED_NODE, FrameKind, IDLE_NODE, frameKindOf, type Profile } from '~/core/model/profile';

/** Bars of the time-order chart: a frame at one depth held over consecutive samples. */
export interface SampleRuns {
  count: number;
  start: Float64Array;
  end: Float64Array;
  depth: Int32Array;
  /** The frame id, or IDLE_NODE / FAILED_NODE for bars of idle or failed samples. */
  frame: Int32Array;
  samples: Int32Array;
  /** Microseconds from the first sample to the end of the last. */
  duration: number;
  /** Rows the bars take, the empty row after each lane included. */
  rows: number;
}

/**
 * Walks the samples in time order and merges, at each depth, runs of consecutive samples that
 * share the same tree node there. Where the tree's roots are threads or processes, each has a lane
 * of its own, its samples lasting until its next one (at most twice its usual interval, so that a
 * thread not sampled for a while shows a gap). Otherwise a sample lasts until the next time a
 * sample was taken, the last one as long as the median interval, and samples taken at the same time
 * (Pyflame `--threads` writes one per thread) go one above the other: the k-th of each time in lane
 * k. Lanes are stacked down.
 */
export function sampleRuns(p: Profile): SampleRuns {
  const t = p.timeline!;
  const n = t.time.length;
  const median = (gaps: number[]) => (gaps.sort((a, b) => a - b), gaps.length ? gaps[gaps.length >> 1] : 1);
  const gaps: number[] = [];
  for (let k = 1; k < n; k++) if (t.time[k] !== t.time[k - 1]) gaps.push(t.time[k] - t.time[k - 1]);
  const duration = n ? t.time[n - 1] + median(gaps) : 0;

  const lane = new Int32Array(n),
    until = new Float64Array(n);
  const threadLane = threadLanes(p);
  let lanes = n ? 1 : 0;
  if (threadLane) {
    lanes = Math.max(lanes, threadLane.count);
    const last = new Int32Array(threadLane.count).fill(-1);
    const laneGaps: number[][] = Array.from({ length: threadLane.count }, () => []);
    for (let k = 0; k < n; k++) {
      const l = (lane[k] = threadLane.of(t.node[k]));
      if (last[l] >= 0 && t.time[k] > t.time[last[l]]) laneGaps[l].push(t.time[k] - t.time[last[l]]);
      last[l] = k;
    }
    const longest = laneGaps.map((g) => 2 * median(g));
    const next = new Float64Array(threadLane.count).fill(Infinity);
    for (let k = n - 1; k >= 0; k--) {
      const l = lane[k];
      until[k] = Math.min(next[l], t.time[k] + longest[l], duration);
      next[l] = t.time[k];
    }
  } else {
    for (let k = 0; k < n;) {
      let e = k + 1;
      while (e < n && t.time[e] === t.time[k]) e++;
      const next = e < n ? t.time[e] : duration;
      for (let j = k; j < e; j++) {
        lane[j] = j - k;
        until[j] = next;
      }
      lanes = Math.max(lanes, e - k);
      k = e;
    }
  }

  // Samples grouped by lane, each lane in time order (a counting sort), so each lane is one pass.
  const laneStart = new Int32Array(lanes + 1);
  for (let k = 0; k < n; k++) laneStart[lane[k] + 1]++;
  for (let l = 0; l < lanes; l++) laneStart[l + 1] += laneStart[l];
  const byLane = new Int32Array(n);
  const fill = laneStart.slice(0, lanes);
  for (let k = 0; k < n; k++) byLane[fill[lane[k]]++] = k;

  const start: number[] = [],
    end: number[] = [],
    depth: number[] = [],
    frame: number[] = [],
    samples: number[] = [];
  const path: number[] = [];
  let laneTop = 0;
  for (let l = 0; l < lanes; l++) {
    const openRun: number[] = [];
    const openNode: number[] = [];
    let deepest = 0;
    for (let at = laneStart[l]; at < laneStart[l + 1]; at++) {
      const k = byLane[at];
      const leaf = t.node[k];
      path.length = 0;
      if (leaf === IDLE_NODE || leaf === FAILED_NODE) path.push(leaf);
      else for (let i = leaf; i >= 0; i = p.tree.parent[i]) path.push(i);
      path.reverse();
      deepest = Math.max(deepest, path.length);
      let d = 0;
      for (; d < path.length && d < openNode.length && openNode[d] === path[d] && end[openRun[d]] === t.time[k]; d++) {
        end[openRun[d]] = until[k];
        samples[openRun[d]]++;
      }
      openNode.length = d;
      openRun.length = d;
      for (; d < path.length; d++) {
        openRun.push(start.length);
        openNode.push(path[d]);
        start.push(t.time[k]);
        end.push(until[k]);
        depth.push(laneTop + d);
        frame.push(path[d] < 0 ? path[d] : p.tree.frame[path[d]]);
        samples.push(1);
      }
    }
    // An empty row between lanes shows where one thread's stacks end.
    laneTop += deepest + 1;
  }
  return {
    count: start.length,
    start: Float64Array.from(start),
    end: Float64Array.from(end),
    depth: Int32Array.from(depth),
    frame: Int32Array.from(frame),
    samples: Int32Array.from(samples),
    duration,
    rows: laneTop,
  };
}

/**
 * Where every sample's root is a thread or process frame: a lane for each such root, and the lane
 * of a sample's node (idle and failed samples in the first). Null otherwise.
 */
function threadLanes(p: Profile): { count: number; of(node: number): number } | null {
  const { tree } = p;
  // Nodes are in preorder, each after its parent: one pass gives every node its root's lane.
  const laneOfNode = new Int32Array(tree.count);
  let count = 0;
  for (let i = 0; i < tree.count; i++) {
    if (tree.parent[i] >= 0) {
      laneOfNode[i] = laneOfNode[tree.parent[i]];
      continue;
    }
    const kind = frameKindOf(p.frames, tree.frame[i]);
    if (kind !== FrameKind.thread && kind !== FrameKind.process) return null;
    laneOfNode[i] = count++;
  }
  return count < 2 ? null : { count, of: (node) => (node < 0 ? 0 : laneOfNode[node]) };
}
