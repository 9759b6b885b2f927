import { appendStrings, packedBuffers, type PackedStrings } from './string-pack';

/**
 * The normalized profile: the contract between the format parsers (in the worker) and the views.
 * Columnar on purpose: typed arrays plus one string table, so a profile of millions of nodes is a
 * handful of buffers that the worker transfers to the page without copying.
 */

export const PROFILE_FORMATS = [
  'pstats',
  'folded',
  'pyflame',
  'austin',
  'austin-mojo',
  'py-spy',
  'tachyon',
  'gecko',
  'tachyon-binary',
  'speedscope',
  'chrome-trace',
  'pyinstrument',
  'callgrind',
  'pprof',
  'gprofiler',
  'tachyon-flamegraph',
  'tachyon-jsonl',
] as const;
export type ProfileFormat = (typeof PROFILE_FORMATS)[number];

/** What a weight in the tree and timeline counts; `events`: a count the file names (callgrind's `Ir`). */
export const WEIGHT_UNITS = ['seconds', 'samples', 'microseconds', 'kilobytes', 'events'] as const;
export type WeightUnit = (typeof WEIGHT_UNITS)[number];

/**
 * Distinct frames. For pstats a frame is a function `(file, line, name)` with `line` its `def`
 * line; for sampled formats it is `file:function:line` with `line` the executing line (-1 when
 * the format has none). Built-ins in pstats have file `~` and line 0, as pstats stores them.
 */
export interface FrameTable {
  count: number;
  file: Int32Array;
  line: Int32Array;
  name: Int32Array;
  /** The frame as the profiler wrote it (pstats: as `print_stats` shows it). */
  label: Int32Array;
  /** The `FrameKind` of each frame; absent when every frame is code. */
  kind?: Uint8Array;
}

/**
 * What a frame stands for when it is not code: the thread or process its stacks ran in (a root
 * frame, one per thread or process), or a frame the profiler made up (`<GC>`, `<native>`).
 */
export const FrameKind = { code: 0, thread: 1, process: 2, synthetic: 3 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export const frameKindOf = (frames: FrameTable, f: number): FrameKind =>
  (frames.kind?.[f] ?? FrameKind.code) as FrameKind;

/**
 * Caller edges grouped by callee: the callers of frame f are edges edgeStart[f]..edgeStart[f+1]-1,
 * in the order the file lists them. The `profile` module stores only a call count per edge:
 * then edgeNc = edgeCc = that count and edgeTt = edgeCt = NaN.
 */
export interface PstatsEdges {
  edgeStart: Int32Array;
  edgeCaller: Int32Array;
  edgeNc: Float64Array;
  edgeCc: Float64Array;
  edgeTt: Float64Array;
  edgeCt: Float64Array;
}

/** Per-function numbers exactly as `pstats.Stats` holds them; index = frame id. */
export interface PstatsTable extends PstatsEdges {
  /**
   * Tachyon's sampled stats (Python 3.15 `SampledStats`): a function is keyed by its executing
   * line, cc counts samples with it on top, nc samples with it on the stack, tt and ct those times
   * the interval, and each caller edge the samples it was on.
   */
  sampled?: true;
  totalCalls: number;
  primCalls: number;
  totalTt: number;
  cc: Float64Array;
  nc: Float64Array;
  tt: Float64Array;
  ct: Float64Array;
}

/** No edges for `entries` functions. */
export const noEdges = (entries: number): PstatsEdges => ({
  edgeStart: new Int32Array(entries + 1),
  edgeCaller: new Int32Array(0),
  edgeNc: new Float64Array(0),
  edgeCc: new Float64Array(0),
  edgeTt: new Float64Array(0),
  edgeCt: new Float64Array(0),
});

/**
 * A calling-context tree. Nodes are in preorder: a parent comes before its children and a node's
 * subtree is the contiguous range [i, i + size[i]). Roots have parent -1.
 */
export interface CallTree {
  count: number;
  parent: Int32Array;
  frame: Int32Array;
  depth: Int32Array;
  size: Int32Array;
  self: Float64Array;
  total: Float64Array;
}

/** How a pstats profile's estimated tree stands beside pstats' own numbers. */
export interface TreeEstimate {
  /**
   * Per frame, its total summed over its outermost places in the tree: pstats' cumtime where the
   * edges tell the tree enough, and how far from it where they do not.
   */
  outerTotal: Float64Array;
  /** The share of the profile's time on functions shown in several places, their time split between them by estimate. */
  splitShare: number;
}

/** Samples in time order (Pyflame `--flamechart`, traces, evented profiles). */
export interface Timeline {
  /** Microseconds since the first sample. */
  time: Float64Array;
  /** The leaf tree node of each sample; IDLE_NODE or FAILED_NODE for those samples. */
  node: Int32Array;
  /**
   * The weight of each sample in the profile's unit, when samples weigh unlike amounts (an
   * interval of a trace); absent, each weighs 1.
   */
  weight?: Float64Array;
  /** Epoch microseconds of the first sample, as written in the file. */
  firstUs: number;
  /** Each sample's state bits (`SampleStatus`: holds the GIL, on CPU, has an exception), when the format records them. */
  status?: Uint8Array;
}

/** The status bits of a sample (`Timeline.status`), as Tachyon's binary records them. */
export const SampleStatus = { hasGil: 1, onCpu: 2, unknown: 4, gilRequested: 8, hasException: 16 } as const;

/**
 * States over time drawn along the time axis, such as the Firefox Profiler's markers (holds the
 * GIL, on CPU, collecting garbage). Times are on the timeline's axis.
 */
export interface Intervals {
  count: number;
  /** String id of each interval's name. */
  name: Int32Array;
  /** The thread root frame the interval belongs to; -1 for none. */
  thread: Int32Array;
  /** Microseconds since the timeline's first sample. */
  start: Float64Array;
  end: Float64Array;
}

export const IDLE_NODE = -1;
export const FAILED_NODE = -2;

export interface Profile {
  format: ProfileFormat;
  fileName: string;
  strings: PackedStrings;
  frames: FrameTable;
  /** pstats, and callgrind's call graph in its shape (no per-edge self time: `edgeTt` is NaN). */
  pstats?: PstatsTable;
  /**
   * Stacks merged into a tree. Sampled formats: exact. pstats: estimated from caller edges
   * (see `treeIsEstimate`).
   */
  tree: CallTree;
  treeIsEstimate: boolean;
  /** pstats, once its calls are read. */
  treeEstimate?: TreeEstimate;
  /**
   * Set while a pstats profile's calls are still being read: its callers are empty and its tree
   * is empty until `withCalls` completes it. The table needs neither, so it is shown first.
   */
  callsPending?: true;
  unit: WeightUnit;
  /** Total weight of real stacks (excluding idle and failed). */
  samples: number;
  idle: number;
  failed: number;
  /** Lines that could not be read, and the first few of their 1-based line numbers. */
  invalidLines: number;
  invalidLineNumbers: number[];
  timeline?: Timeline;
  intervals?: Intervals;
  /** Things the user should know that did not stop the parse. */
  warnings: string[];
  /**
   * The profile this one is compared with, when the file holds both (Tachyon's differential page,
   * flamegraph.pl's two-count lines): the file opens as a comparison, this its baseline. A
   * baseline has none of its own.
   */
  baseline?: Profile;
}

/** What a pstats profile read table first lacks (see `callsPending`), read after it. */
export interface PstatsCalls {
  edges: PstatsEdges;
  /** The whole frame table when callers name functions that are not entries; else the profile's stands. */
  frames?: FrameTable;
  /** Strings after the profile's own. */
  strings: string[];
  tree: CallTree;
  /** None when the callers could not be read. */
  treeEstimate?: TreeEstimate;
  /** All of the profile's warnings. */
  warnings: string[];
}

export const emptyTree = (): CallTree => ({
  count: 0,
  parent: new Int32Array(0),
  frame: new Int32Array(0),
  depth: new Int32Array(0),
  size: new Int32Array(0),
  self: new Float64Array(0),
  total: new Float64Array(0),
});

/** The profile whose calls were pending, with them. */
export function withCalls(p: Profile, calls: PstatsCalls): Profile {
  const { callsPending: _, ...rest } = p;
  return {
    ...rest,
    pstats: { ...p.pstats!, ...calls.edges },
    frames: calls.frames ?? p.frames,
    strings: appendStrings(p.strings, calls.strings),
    tree: calls.tree,
    treeEstimate: calls.treeEstimate,
    warnings: calls.warnings,
  };
}

/** The buffers of what a pending profile lacked, for transferring it. */
export const callsBuffers = (c: PstatsCalls): ArrayBuffer[] => [
  ...new Set([
    ...[c.edges.edgeStart, c.edges.edgeCaller, c.edges.edgeNc, c.edges.edgeCc, c.edges.edgeTt, c.edges.edgeCt].map(
      (a) => a.buffer as ArrayBuffer,
    ),
    ...(c.frames
      ? [c.frames.file, c.frames.line, c.frames.name, c.frames.label].map((a) => a.buffer as ArrayBuffer)
      : []),
    ...treeBuffers(c.tree),
    ...(c.treeEstimate ? [c.treeEstimate.outerTotal.buffer as ArrayBuffer] : []),
  ]),
];

export const pstatsArrays = (s: PstatsTable): ArrayBufferView[] => [
  s.cc,
  s.nc,
  s.tt,
  s.ct,
  s.edgeStart,
  s.edgeCaller,
  s.edgeNc,
  s.edgeCc,
  s.edgeTt,
  s.edgeCt,
];

export const treeBuffers = (t: CallTree): ArrayBuffer[] =>
  [t.parent, t.frame, t.depth, t.size, t.self, t.total].map((a) => a.buffer as ArrayBuffer);

/** The error every parser throws for input it cannot read. */
export class ProfileError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'ProfileError';
  }
}

/** The buffers of a profile, for transferring it between threads without copying. */
export function profileBuffers(p: Profile): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [p.frames.file, p.frames.line, p.frames.name, p.frames.label];
  if (p.frames.kind) arrays.push(p.frames.kind);
  if (p.pstats) arrays.push(...pstatsArrays(p.pstats));
  if (p.timeline) arrays.push(p.timeline.time, p.timeline.node);
  if (p.treeEstimate) arrays.push(p.treeEstimate.outerTotal);
  if (p.timeline?.status) arrays.push(p.timeline.status);
  if (p.intervals) arrays.push(p.intervals.name, p.intervals.thread, p.intervals.start, p.intervals.end);
  if (p.timeline?.weight) arrays.push(p.timeline.weight);
  const seen = new Set<ArrayBuffer>(treeBuffers(p.tree));
  for (const a of arrays) seen.add(a.buffer as ArrayBuffer);
  for (const b of packedBuffers(p.strings)) seen.add(b);
  if (p.baseline) for (const b of profileBuffers(p.baseline)) seen.add(b);
  return [...seen];
}
