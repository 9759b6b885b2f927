import { FAILED_NODE, IDLE_NODE, type Profile } from '~/core/model/profile';

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
}

/**
 * Walks the samples in time order and merges, at each depth, runs of consecutive samples that
 * share the same tree node there. A sample lasts until the next time a sample was taken; the last
 * one as long as the median interval. Samples taken at the same time (Pyflame `--threads` writes
 * one per thread) go one above the other: the k-th of each time in lane k, lanes stacked down.
 */
export function sampleRuns(p: Profile): SampleRuns {
  const t = p.timeline!;
  const n = t.time.length;
  const gaps: number[] = [];
  for (let k = 1; k < n; k++) if (t.time[k] !== t.time[k - 1]) gaps.push(t.time[k] - t.time[k - 1]);
  gaps.sort((a, b) => a - b);
  const duration = n ? t.time[n - 1] + (gaps.length ? gaps[gaps.length >> 1] : 1) : 0;

  // The lane of each sample, and when the next time step after it starts.
  const lane = new Int32Array(n),
    until = new Float64Array(n);
  let lanes = n ? 1 : 0;
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
  };
}
