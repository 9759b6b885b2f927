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

/** The threads a reader can choose among: each thread with the process it ran in, in tree order. */
export interface ThreadList {
  frame: Int32Array;
  total: Float64Array;
  /** The process frame of each thread; -1 for a thread (or a process without threads) at the root. */
  process: Int32Array;
}

/**
 * The threads of a profile: thread root frames, and the threads one level below a process root
 * (austin, pprof with process labels), each once per process it ran in. A process with no thread
 * below it stands for itself.
 */
export function threadList(p: Pick<Profile, 'frames' | 'tree'>): ThreadList {
  const { tree } = p;
  const frames: number[] = [],
    totals: number[] = [],
    processes: number[] = [];
  const add = (i: number, process: number) => {
    frames.push(tree.frame[i]);
    totals.push(tree.total[i]);
    processes.push(process);
  };
  for (let i = 0; i < tree.count; i += tree.size[i]) {
    const kind = frameKindOf(p.frames, tree.frame[i]);
    if (!isThreadKind(kind)) continue;
    const before = frames.length;
    if (kind === FrameKind.process) {
      for (let c = i + 1; c < i + tree.size[i]; c += tree.size[c])
        if (frameKindOf(p.frames, tree.frame[c]) === FrameKind.thread) add(c, tree.frame[i]);
    }
    if (frames.length === before) add(i, -1);
  }
  return { frame: Int32Array.from(frames), total: Float64Array.from(totals), process: Int32Array.from(processes) };
}

/** Which threads to show and how: `only` the chosen thread (or process) frames (null: all of them),
 * and with `merge` their identical stacks summed, the thread and process levels dropped. */
export interface ThreadChoice {
  only: readonly number[] | null;
  merge: boolean;
}

/**
 * The profile as if only the chosen threads had been sampled. Frame ids stay the same; the timeline
 * keeps the samples of the chosen threads (and the idle and failed ones, which name no thread),
 * each on its node in the new tree, and the intervals those of the chosen threads.
 *
 * The thread levels are the thread and process frames at the top of the tree: a thread root, or a
 * process root and the threads right below it. A process is kept with the threads of it that are chosen,
 * and a chosen process with all of its threads.
 *
 * Merging drops the thread levels: what each thread ran becomes a root, and identical stacks of
 * different threads are one. Samples on a thread or process frame itself (a stack with no code
 * below it) stay on that frame, at the root, so the totals do not change.
 */
export function restrictToThreads(p: Profile, choice: ThreadChoice): Profile {
  if (choice.only === null && !choice.merge) return p;
  const { tree } = p;
  const chosen = new Uint8Array(p.frames.count);
  if (choice.only === null) chosen.fill(1);
  else for (const f of choice.only) if (f >= 0 && f < chosen.length) chosen[f] = 1;

  // 1 for a node of the thread levels (a thread or process root, a thread right below one), 2 for
  // one that is chosen or has a chosen one below it. Only the roots and their children are read.
  const level = new Uint8Array(tree.count);
  const mark = (i: number) => (level[i] = chosen[tree.frame[i]] === 1 ? 2 : 1);
  for (let i = 0; i < tree.count; i += tree.size[i]) {
    if (!isThreadKind(frameKindOf(p.frames, tree.frame[i]))) continue;
    mark(i);
    for (let c = i + 1; c < i + tree.size[i]; c += tree.size[c])
      if (isThreadKind(frameKindOf(p.frames, tree.frame[c])) && mark(c) === 2) level[i] = 2;
  }
  const keptThread = new Uint8Array(p.frames.count);

  const b = new CallTreeBuilder();
  // The builder's node of each tree node; -1 at the root level (a merged thread level), -2 not kept.
  const DROPPED = -2;
  const node = new Int32Array(tree.count).fill(DROPPED);
  // Whether each node of the thread levels is chosen or lies below a chosen one.
  const inChosen = new Uint8Array(tree.count);
  let samples = 0;
  for (let i = 0; i < tree.count; i++) {
    const parent = tree.parent[i];
    const f = tree.frame[i];
    if (level[i] > 0) {
      inChosen[i] = chosen[f] === 1 || (parent >= 0 && inChosen[parent] === 1) ? 1 : 0;
      if (level[i] === 1 && inChosen[i] === 0) {
        i += tree.size[i] - 1;
        continue;
      }
      keptThread[f] = 1;
      if (choice.merge) node[i] = tree.self[i] === 0 ? -1 : b.step(-1, f);
      else node[i] = b.step(parent < 0 ? -1 : node[parent], f);
    } else if (parent < 0) {
      // Roots that are not threads (a format mixing both) are kept only when all threads are.
      if (choice.only !== null) {
        i += tree.size[i] - 1;
        continue;
      }
      node[i] = b.step(-1, f);
    } else {
      // Below a merged thread level, even a thread kept for its own samples, code goes to the root level.
      node[i] = b.step(choice.merge && level[parent] > 0 ? -1 : node[parent], f);
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
    for (let k = 0; k < iv.count; k++) if (iv.thread[k] < 0 || keptThread[iv.thread[k]] === 1) keep.push(k);
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
