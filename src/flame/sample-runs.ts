import { FAILED_NODE, IDLE_NODE, type Profile } from '../../workers/model';

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
 * share the same tree node there. A sample lasts until the next one; the last one as long as the
 * median interval.
 */
export function sampleRuns(p: Profile): SampleRuns {
  const t = p.timeline!;
  const n = t.time.length;
  const gaps: number[] = [];
  for (let k = 1; k < n; k++) gaps.push(t.time[k] - t.time[k - 1]);
  gaps.sort((a, b) => a - b);
  const duration = n ? t.time[n - 1] + (gaps.length ? gaps[gaps.length >> 1] : 1) : 0;

  const start: number[] = [], end: number[] = [], depth: number[] = [], frame: number[] = [], samples: number[] = [];
  const openRun: number[] = [];
  const openNode: number[] = [];
  const path: number[] = [];
  for (let k = 0; k < n; k++) {
    const next = k + 1 < n ? t.time[k + 1] : duration;
    const leaf = t.node[k];
    path.length = 0;
    if (leaf === IDLE_NODE || leaf === FAILED_NODE) path.push(leaf);
    else for (let i = leaf; i >= 0; i = p.tree.parent[i]) path.push(i);
    path.reverse();
    let d = 0;
    for (; d < path.length && d < openNode.length && openNode[d] === path[d]; d++) {
      end[openRun[d]] = next;
      samples[openRun[d]]++;
    }
    openNode.length = d;
    openRun.length = d;
    for (; d < path.length; d++) {
      openRun.push(start.length);
      openNode.push(path[d]);
      start.push(t.time[k]);
      end.push(next);
      depth.push(d);
      frame.push(path[d] < 0 ? path[d] : p.tree.frame[path[d]]);
      samples.push(1);
    }
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
