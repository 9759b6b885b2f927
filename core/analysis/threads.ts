import { CallTreeBuilder } from '../model/builders';
import { FrameKind, frameKindOf, type Profile } from '../model/profile';

/** The thread (or process) root frames of a profile, heaviest first, with their totals. */
export interface ThreadRoots {
  frame: Int32Array;
  total: Float64Array;
}

const isThreadKind = (k: FrameKind) => k === FrameKind.thread || k === FrameKind.process;

/** The root frames of the tree that stand for a thread or a process; none when the format has none. */
export function threadRoots(p: Pick<Profile, 'frames' | 'tree'>): ThreadRoots {
  const { tree } = p;
  const frames: number[] = [],
    totals: number[] = [];
  for (let i = 0; i < tree.count; i += tree.size[i]) {
    if (!isThreadKind(frameKindOf(p.frames, tree.frame[i]))) continue;
    frames.push(tree.frame[i]);
    totals.push(tree.total[i]);
  }
  return { frame: Int32Array.from(frames), total: Float64Array.from(totals) };
}

/** Which threads to show and how: `only` the chosen thread root frames (null: all of them), and
 * with `merge` their identical stacks summed, the thread level dropped. */
export interface ThreadChoice {
  only: readonly number[] | null;
  merge: boolean;
}

/**
 * The profile as if only the chosen threads had been sampled. Frame ids stay the same; the timeline
 * keeps the samples of the chosen threads (and the idle and failed ones, which name no thread),
 * each on its node in the new tree, and the intervals those of the chosen threads.
 *
 * Merging drops the thread root level: what each thread ran below its root becomes a root, and
 * identical stacks of different threads are one. Samples on a thread's root itself (a stack with
 * no frame below the thread) stay on that root, so the totals do not change.
 */
export function restrictToThreads(p: Profile, choice: ThreadChoice): Profile {
  if (choice.only === null && !choice.merge) return p;
  const { tree } = p;
  const chosen = new Uint8Array(p.frames.count);
  if (choice.only === null) chosen.fill(1);
  else for (const f of choice.only) if (f >= 0 && f < chosen.length) chosen[f] = 1;

  const b = new CallTreeBuilder();
  // The builder's node of each tree node; -1 at the root level (a merged thread root), -2 not kept.
  const DROPPED = -2;
  const node = new Int32Array(tree.count).fill(DROPPED);
  let samples = 0;
  for (let i = 0; i < tree.count; i++) {
    const parent = tree.parent[i];
    const f = tree.frame[i];
    if (parent < 0) {
      const isThread = isThreadKind(frameKindOf(p.frames, f));
      // Roots that are not threads (a format mixing both) are kept only when all threads are.
      const keep = isThread ? chosen[f] === 1 : choice.only === null;
      if (!keep) {
        i += tree.size[i] - 1;
        continue;
      }
      node[i] = isThread && choice.merge && tree.self[i] === 0 ? -1 : b.step(-1, f);
    } else {
      // Under a merged thread root, even one kept for its own samples, children go to the root level.
      const underMerged =
        choice.merge && tree.parent[parent] < 0 && isThreadKind(frameKindOf(p.frames, tree.frame[parent]));
      node[i] = b.step(underMerged ? -1 : node[parent], f);
    }
    if (tree.self[i] > 0) {
      b.addSelf(node[i], tree.self[i]);
      samples += tree.self[i];
    }
  }
  const { tree: restricted, order } = b.build();

  const out: Profile = { ...p, tree: restricted, samples };
  const t = p.timeline;
  if (t) {
    let n = 0;
    const time = new Float64Array(t.time.length),
      leaf = new Int32Array(t.time.length),
      status = t.status && new Uint8Array(t.time.length);
    for (let k = 0; k < t.time.length; k++) {
      const old = t.node[k];
      const to = old < 0 ? old : node[old];
      if (to === DROPPED || to === -1) continue;
      time[n] = t.time[k];
      leaf[n] = old < 0 ? old : order[to];
      if (status) status[n] = t.status![k];
      n++;
    }
    out.timeline = {
      ...t,
      time: time.slice(0, n),
      node: leaf.slice(0, n),
      ...(status && { status: status.slice(0, n) }),
    };
  }
  const iv = p.intervals;
  if (iv && choice.only !== null) {
    const keep: number[] = [];
    for (let k = 0; k < iv.count; k++) if (iv.thread[k] < 0 || chosen[iv.thread[k]] === 1) keep.push(k);
    const pick = <T extends Int32Array | Float64Array>(a: T): T => {
      const out = new (a.constructor as new (n: number) => T)(keep.length);
      for (let j = 0; j < keep.length; j++) out[j] = a[keep[j]];
      return out;
    };
    out.intervals = {
      count: keep.length,
      name: pick(iv.name),
      thread: pick(iv.thread),
      start: pick(iv.start),
      end: pick(iv.end),
    };
  }
  return out;
}
