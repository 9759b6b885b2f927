/** The bench's results as Markdown tables: printed, and written into bench/results.md. */
import type { MemoryPeaks } from './browser';
import type { DecodeLimit } from './decode';
import type { Input } from './inputs';
import type { InteractionRun, TransformRun } from './interaction';
import type { OpenTimes } from './viewers';

export interface Environment {
  date: string;
  commit: string;
  cores: number;
  cpu: string;
  memoryGiB: number;
  /** The machine's 1-minute load average at the start and at the end of the run. */
  load: [number, number];
  browser: string;
  node: string;
  python: string | null;
  speedscope: string;
  runs: number;
}

export interface KilnResult {
  times: OpenTimes;
  memory: MemoryPeaks;
  /** Why the runs stopped, when they did. */
  error?: string;
}

export interface FoldedRow {
  input: Input;
  kiln: KilnResult;
  speedscope: { flame: number; memory: MemoryPeaks } | { error: string } | { skipped: string };
}

export interface PstatsRow {
  input: Input;
  kiln: KilnResult;
  /** Milliseconds of `pstats.Stats(file)`; undefined without Python. */
  cpython?: number;
}

/** A folder of per-request pstats files opened as a set, beside `pstats.Stats(*files)`. */
export interface SetResult {
  input: { files: number; bytes: number };
  /** Milliseconds from the hand-off of the folder to its list and merged profile on screen. */
  listedAndMerged: number;
  memory: MemoryPeaks;
  cpython: number;
}

/** A file reopened from the library after a reload, to its first view. */
export interface ReopenRow {
  input: Input;
  first: 'table' | 'flame';
  /** Milliseconds from the click on its library entry to that view painted. */
  ms: number;
  error?: string;
}

/** What a run measured; a case left out by `--only` is empty or absent. */
export interface Results {
  env: Environment;
  folded: FoldedRow[];
  /** The formats other than stack text and pstats, each beside speedscope where it reads them. */
  formats: FoldedRow[];
  pstats: PstatsRow[];
  reopen: ReopenRow[];
  limit?: DecodeLimit & { input: Input };
  interaction?: InteractionRun & { input: Input };
  set?: SetResult;
  /** The call tree opening rows and scrolling, on the same input. */
  callTree?: InteractionRun & { input: Input };
  /** Transforms chosen in that call tree, each timed to the frame that shows its result. */
  transforms?: TransformRun & { input: Input };
  /** The same transforms chosen while the flame graph is shown. */
  flameTransforms?: TransformRun & { input: Input };
}

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)} MB`;
const ms = (t: number | undefined) =>
  t === undefined || !Number.isFinite(t) ? '—' : t < 10_000 ? `${Math.round(t)} ms` : `${(t / 1000).toFixed(1)} s`;
const memory = (bytes: number) =>
  Number.isFinite(bytes) ? (bytes < 1e9 ? `${Math.round(bytes / 1e6)} MB` : `${(bytes / 1e9).toFixed(2)} GB`) : '—';
const rate = (bytes: number, t: number | undefined) => (t ? `${Math.round(bytes / 1e6 / (t / 1000))} MB/s` : '—');
const name = (input: Input) => input.path.split('/').pop()!;
/** Kiln's time as a share of the peer's, and how many times sooner that is. */
const ratio = (kiln: number | undefined, peer: number | undefined) =>
  kiln && peer ? `${(kiln / peer).toFixed(3)} (${(peer / kiln).toFixed(1)}× sooner)` : '—';
const heaps = (m: MemoryPeaks) => memory(m.pageHeap + m.workerHeap);

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function formatResults(r: Results): string {
  const e = r.env;
  const out: string[] = [];
  out.push(
    `${e.date} · commit ${e.commit} · ${e.cores} cores (${e.cpu}), ${e.memoryGiB} GiB · load ${e.load.map((l) => l.toFixed(1)).join(' → ')}` +
      ` · ${e.browser} headless · Node ${e.node} · ${e.python ? `CPython ${e.python}` : 'no Python'} · speedscope ${e.speedscope}` +
      ` · medians of ${e.runs} run${e.runs === 1 ? '' : 's'}`,
  );
  out.push(
    '',
    'Inputs (made into bench/out/ by bench/inputs.ts): `folded-` a sampled service of 900 functions, each call ' +
      'site at one line (bench/folded-gen.ts); `folded-many-` a program of 32,000 functions; `folded-lines-` the ' +
      'same with the executing line in each frame, drawn at every sample (hundreds of thousands of distinct ' +
      "frames); `pyspy-lines-` that in py-spy's `name (file:line)` syntax; `tachyon-lines-` in Tachyon's " +
      '`tid:N;file:qualname:line` with base names and five threads. `pstats-` a real cProfile run of a generated ' +
      'call graph (make-big-pstats.py); `pstats-imports-` a real cProfile run of an import-heavy program ' +
      '(bench/make-import-pstats.py: generated modules importing each other through importlib, then stdlib modules). ' +
      'The other formats (bench/format-gen.ts) hold one recording of the 32,000-function program with lines, as each ' +
      "profiler writes it: py-spy's speedscope JSON and Chrome trace, a pyinstrument session, Tachyon's gecko JSON " +
      "and binary (uncompressed; its run revisits the stacks its collapsed text of the same size holds), yappi's " +
      "callgrind (function level, the program as large as the size asks), a continuous profiler's pprof (its size " +
      "the protobuf's, the file gzip'd) and austin's MOJO.",
  );
  if (r.set) {
    const s = r.set;
    out.push('', '### A folder of per-request pstats files: listed and merged', '');
    out.push(
      table(
        [
          'files',
          'size',
          'Kiln list and merge on screen',
          'CPython pstats.Stats(*files)',
          'JS heap peak page / worker',
        ],
        [
          [
            String(s.input.files),
            mb(s.input.bytes),
            ms(s.listedAndMerged),
            ms(s.cpython),
            `${mb(s.memory.pageHeap)} / ${mb(s.memory.workerHeap)}`,
          ],
        ],
      ),
    );
  }
  if (r.folded.length > 0) {
    out.push('', '### Folded stacks and their dialects: from hand-off of the file', '');
    out.push(openTable(r.folded));
  }
  if (r.formats.length > 0) {
    out.push('', '### Other formats: from hand-off of the file (speedscope where it reads the format)', '');
    out.push(openTable(r.formats));
  }
  if (r.pstats.length > 0) {
    out.push('', '### pstats: from hand-off of the file; CPython: `pstats.Stats(file)`', '');
    out.push(
      table(
        [
          'file',
          'size',
          'Kiln model ready',
          'Kiln table painted',
          'Kiln flame graph painted',
          'CPython pstats.Stats',
          'Kiln ÷ CPython (table)',
          'Kiln MB/s (table)',
          'Kiln JS heap peak',
          'Kiln renderer memory peak',
        ],
        r.pstats.map((row) => {
          const k = row.kiln;
          return [
            name(row.input),
            mb(row.input.size),
            k.error ? `failed: ${k.error}` : ms(k.times.model),
            ms(k.times.table),
            ms(k.times.flame),
            ms(row.cpython),
            ratio(k.times.table, row.cpython),
            rate(row.input.size, k.times.table),
            heaps(k.memory),
            memory(k.memory.rendererRss),
          ];
        }),
      ),
    );
  }
  if (r.reopen.length > 0) {
    out.push('', '### Reopened from the library after a reload: from the click on its entry', '');
    out.push(
      table(
        ['file', 'size', 'first view', 'Kiln painted'],
        r.reopen.map((row) => [
          name(row.input),
          mb(row.input.size),
          row.first === 'flame' ? 'flame graph' : 'table',
          row.error ? `failed: ${row.error}` : ms(row.ms),
        ]),
      ),
    );
  }
  if (r.limit) out.push(...limitSection(r.limit, r.folded));
  if (r.interaction)
    out.push(...interactionSection('Flame graph', r.interaction, 'nodes', 'scripted wheel zoom and pan'));
  if (r.callTree)
    out.push(...interactionSection('Call tree', r.callTree, 'nodes by function', 'scripted opening and scrolling'));
  if (r.transforms) out.push(...transformSection(r.transforms));
  if (r.flameTransforms) out.push(...flameTransformSection(r.flameTransforms));
  return out.join('\n');
}

function limitSection(limit: DecodeLimit & { input: Input }, folded: FoldedRow[]): string[] {
  const bothMBps = 1 / (1 / limit.read + 1 / limit.decode);
  const limitRow = folded.find((row) => row.input.path === limit.input.path);
  const out: string[] = [];
  out.push('', `### The browser's own limit, on ${name(limit.input)} (${mb(limit.input.size)})`, '');
  out.push(
    table(
      [
        'File → ArrayBuffer',
        'TextDecoder (UTF-8)',
        'both, one after the other',
        'Kiln to model ready',
        'Kiln to flame graph painted',
      ],
      [
        [
          `${Math.round(limit.read)} MB/s`,
          `${Math.round(limit.decode)} MB/s`,
          `${Math.round(bothMBps)} MB/s`,
          limitRow
            ? `${rate(limitRow.input.size, limitRow.kiln.times.model)} (${share(limitRow.input.size, limitRow.kiln.times.model, bothMBps)})`
            : '—',
          limitRow
            ? `${rate(limitRow.input.size, limitRow.kiln.times.flame)} (${share(limitRow.input.size, limitRow.kiln.times.flame, bothMBps)})`
            : '—',
        ],
      ],
    ),
  );
  return out;
}

function interactionSection(
  what: string,
  run: InteractionRun & { input: Input },
  nodes: string,
  moves: string,
): string[] {
  return [
    '',
    `### ${what} interaction: ${name(run.input)}, ${run.nodes.toLocaleString('en')} ${nodes}, ${run.frames} frames of ${moves}`,
    '',
    table(
      ['frame time p50', 'p95', 'max'],
      [[`${run.p50.toFixed(1)} ms`, `${run.p95.toFixed(1)} ms`, `${run.max.toFixed(1)} ms`]],
    ),
  ];
}

/** Opens of files beside speedscope's: times, ratio, rate and memory, the renderer's peak also per byte of the file. */
/** A transform as the menu words it, without the function's name. */
function transformName(transform: string): string {
  return transform.replace(/ \S+ into/, ' a function into').replace(/through \S+$/, 'through a function');
}

/** Transforms chosen in the call tree, each timed to the frame that shows it. */
function transformSection(t: TransformRun & { input: Input }): string[] {
  return [
    '',
    `### Transforms: ${name(t.input)}, ${t.nodes.toLocaleString('en')} nodes by function, from choosing one in the call tree to the frame that shows it`,
    '',
    table(
      ['transform', 'time'],
      t.times.map(({ transform, ms }) => [transformName(transform), `${ms.toFixed(0)} ms`]),
    ),
  ];
}

/** Transforms chosen in the flame graph: to the frame that shows it, and to the whole tree drawn. */
function flameTransformSection(t: TransformRun & { input: Input }): string[] {
  return [
    '',
    `### Transforms in the flame graph: ${name(t.input)}, ${t.nodes.toLocaleString('en')} nodes, from choosing one to the frame that shows it`,
    '',
    table(
      ['transform', 'time', 'whole tree drawn (zoom, hover)'],
      t.times.map(({ transform, ms, wholeMs }) => [
        transformName(transform),
        `${ms.toFixed(0)} ms`,
        `${wholeMs.toFixed(0)} ms`,
      ]),
    ),
  ];
}

function openTable(rows: FoldedRow[]): string {
  return table(
    [
      'file',
      'size',
      'Kiln model ready',
      'Kiln table painted',
      'Kiln flame graph painted',
      'speedscope flame graph painted',
      'Kiln ÷ speedscope (flame graph)',
      'Kiln MB/s (flame graph)',
      'JS heap peak Kiln / speedscope',
      'renderer memory peak Kiln / speedscope',
      'Kiln renderer peak ÷ file size',
    ],
    rows.map((row) => {
      const k = row.kiln;
      const s = 'flame' in row.speedscope ? row.speedscope : undefined;
      return [
        name(row.input),
        mb(row.input.size),
        k.error ? `failed: ${k.error}` : ms(k.times.model),
        ms(k.times.table),
        ms(k.times.flame),
        s
          ? ms(s.flame)
          : 'error' in row.speedscope
            ? `failed: ${row.speedscope.error}`
            : 'skipped' in row.speedscope
              ? row.speedscope.skipped
              : '—',
        ratio(k.times.flame, s?.flame),
        rate(row.input.size, k.times.flame),
        `${heaps(k.memory)} / ${s ? heaps(s.memory) : '—'}`,
        `${memory(k.memory.rendererRss)} / ${s ? memory(s.memory.rendererRss) : '—'}`,
        Number.isFinite(k.memory.rendererRss) ? `${(k.memory.rendererRss / row.input.size).toFixed(2)}×` : '—',
      ];
    }),
  );
}

function share(bytes: number, t: number | undefined, limitMBps: number): string {
  return t ? `${Math.round((100 * bytes) / 1e6 / (t / 1000) / limitMBps)} % of it` : '—';
}
