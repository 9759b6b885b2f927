import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fixturesDir, testDataDir } from '~/test/fixtures';
import { pprofBytes, webServerPprof } from '~/test/pprof-writer';
import { splitColonFrame } from '~/core/formats/stacks/frame-parts';

/** A real profile that mutations start from. */
export interface Seed {
  name: string;
  bytes: Uint8Array;
}

export const SEED_KINDS = [
  'pstats',
  'stacks',
  'gecko',
  'tachyon-binary',
  'speedscope',
  'chrome-trace',
  'pyinstrument',
  'callgrind',
  'pprof',
  'tachyon-flamegraph',
  'tachyon-jsonl',
  'austin-mojo',
] as const;
export type SeedKind = (typeof SEED_KINDS)[number];

const isProfile: Record<Exclude<SeedKind, 'pprof' | 'austin-mojo'>, (path: string) => boolean> = {
  pstats: (path) => path.endsWith('.prof'),
  stacks: (path) =>
    (/\.(samp|folded|txt)$/.test(path) &&
      !path.endsWith('.truth.json') &&
      /\/(pyflame|folded|austin)\//.test(path) &&
      !path.includes('-dump.')) ||
    /\/tachyon\/.*\.collapsed$/.test(path),
  gecko: (path) => path.endsWith('.gecko.json'),
  'tachyon-binary': (path) => /\/tachyon\/.*\.bin$/.test(path),
  speedscope: (path) => path.endsWith('.speedscope.json'),
  'chrome-trace': (path) => path.endsWith('.chrometrace.json'),
  pyinstrument: (path) =>
    /\/pyinstrument\/[^/]*\.(pyisession|json|html)$/.test(path) && !/speedscope|truth|-pstats/.test(path),
  callgrind: (path) => path.endsWith('.callgrind'),
  'tachyon-flamegraph': (path) => /\/tachyon\/.*\.flamegraph\.html$/.test(path),
  'tachyon-jsonl': (path) => /\/tachyon\/.*\.jsonl$/.test(path),
};

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

/**
 * The fixture profiles of one kind no larger than `maxBytes`, smallest first. Mutating real files
 * reaches far deeper into a parser than random bytes, which the first check turns away.
 */
export function loadSeeds(kind: SeedKind, maxBytes: number): Seed[] {
  // No fixture holds a pprof profile: the seed is written with the schema the reader decodes with.
  if (kind === 'pprof') return [{ name: 'pprof web server (written)', bytes: webServerPprof() }, labelledPprof()];
  // The shared fixtures hold no MOJO file: the real recordings are the repository's own.
  if (kind === 'austin-mojo') return austinRecordings(maxBytes);
  if (kind === 'tachyon-flamegraph') {
    const diffPage = join(testDataDir, 'tachyon-diff/diff.html.gz');
    return [
      ...filesBelow(fixturesDir)
        .filter(isProfile[kind])
        .map((path) => slimPage({ name: relative(fixturesDir, path), bytes: new Uint8Array(readFileSync(path)) })),
      slimPage({ name: 'tachyon-diff/diff.html', bytes: new Uint8Array(gunzipSync(readFileSync(diffPage))) }),
    ].filter((s) => s.bytes.length <= maxBytes);
  }
  const files = filesBelow(fixturesDir).filter(isProfile[kind]);
  if (kind === 'callgrind') return files.map((path) => callgrindHead(path, maxBytes));
  const seeds = files
    .map((path) => ({ path, size: statSync(path).size }))
    .filter((f) => f.size > 0 && f.size <= maxBytes)
    .sort((a, b) => a.size - b.size || a.path.localeCompare(b.path))
    .map(({ path }) => ({ name: relative(fixturesDir, path), bytes: new Uint8Array(readFileSync(path)) }));
  if (kind === 'speedscope' || kind === 'chrome-trace' || kind === 'pyinstrument')
    return [...seeds, ...hostileJson(kind)];
  if (kind !== 'stacks') return seeds;
  const folded = seeds.find((s) => s.name.startsWith('folded/'));
  return folded ? [...seeds, ...otherDialects(folded)] : seeds;
}

/** A pprof profile whose samples name their process and threads in labels, as Pyroscope and Datadog write them. */
function labelledPprof(): Seed {
  const worker = { pid: '4242', thread_id: '4660', thread_name: 'worker-0' };
  const bytes = pprofBytes({
    samples: [
      [['serve@app.py:20', 'handle@app.py:31'], 30, worker],
      [['tick@metrics.py:5'], 5, { 'thread id': 140, 'thread native id': 2412, 'thread name': 'MainThread' }],
    ],
  });
  return { name: 'pprof with thread labels (written)', bytes };
}

const austinDir = join(testDataDir, 'austin');

function austinRecordings(maxBytes: number): Seed[] {
  return readdirSync(austinDir)
    .filter((name) => name.endsWith('.mojo') && statSync(join(austinDir, name)).size <= maxBytes)
    .sort()
    .map((name) => ({ name: `austin/${name}`, bytes: new Uint8Array(readFileSync(join(austinDir, name))) }));
}

/**
 * A callgrind file, or its start up to the last function block that fits in `maxBytes`: the
 * fixtures are larger than a seed, and a file cut between blocks is still a whole file.
 */
function callgrindHead(path: string, maxBytes: number): Seed {
  const bytes = new Uint8Array(readFileSync(path));
  const name = relative(fixturesDir, path);
  if (bytes.length <= maxBytes) return { name, bytes };
  const text = utf8.decode(bytes.subarray(0, maxBytes));
  return { name: `${name} (head)`, bytes: enc.encode(text.slice(0, text.lastIndexOf('\n\n') + 1)) };
}

const utf8 = new TextDecoder();
const enc = new TextEncoder();

/**
 * The stacks of a real folded file written as py-spy raw output, austin 3 output and a gProfiler
 * collapsed file, the dialects the fixtures hold no file of.
 */
function otherDialects(folded: Seed): Seed[] {
  const lines = utf8
    .decode(folded.bytes)
    .split('\n')
    .filter((l) => l.trim());
  const stacks = lines.map((line) => {
    const space = line.lastIndexOf(' ');
    const frames = line.slice(0, space).split(';').map(splitColonFrame);
    return { frames, count: line.slice(space + 1) };
  });
  const pyspy = stacks.map((s) => `${s.frames.map((f) => `${f.name} (${f.file}:${f.line})`).join(';')} ${s.count}`);
  const austin = [
    '# austin: 3.6.0',
    '# mode: wall',
    ...stacks.map(
      (s) =>
        `P4242;T0:4242;${s.frames.map((f) => `${f.file}:${f.name}:${f.line}`).join(';')} ${Number(s.count) * 1000}`,
    ),
  ];
  const gprofiler = [
    '# {"containers": [], "container_names_enabled": false, "metadata": {"hostname": "h"}, "application_metadata": [null], "application_metadata_enabled": true, "profiling_mode": "cpu"}',
    ...stacks.map(
      (s, i) =>
        `0;${i % 2 ? 'web-1' : ''};python3;${s.frames.map((f) => `${f.name} (${f.file}:${f.line})_[p]`).join(';')};do_syscall_64_[k] ${s.count}`,
    ),
  ];
  // difffolded.pl's lines: this file against itself with some stacks gone from either side.
  const twoCount = lines.map((line, i) => {
    const space = line.lastIndexOf(' ');
    const count = line.slice(space + 1);
    return `${line.slice(0, space)} ${i % 3 === 1 ? 0 : count} ${i % 3 === 2 ? 0 : count}`;
  });
  return [
    { name: `${folded.name} as two-count lines`, bytes: enc.encode(twoCount.join('\n') + '\n') },
    { name: `${folded.name} as py-spy`, bytes: enc.encode(pyspy.join('\n') + '\n') },
    { name: `${folded.name} as gProfiler`, bytes: enc.encode(gprofiler.join('\n') + '\n') },
    { name: `${folded.name} as austin 3`, bytes: enc.encode(austin.join('\n') + '\n') },
  ];
}

/**
 * JSON made to break a reader: nesting deep enough to overflow a recursive one, an array far longer
 * than any real list, and `__proto__` keys where the format's objects go.
 */
function hostileJson(kind: SeedKind): Seed[] {
  const deep = 200_000;
  const nested = '['.repeat(deep) + ']'.repeat(deep);
  const bodies: Record<string, (inner: string) => string> = {
    speedscope: (inner) =>
      `{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[{"name":"a"}]},"profiles":[{"type":"sampled","name":"p","unit":"none","startValue":0,"endValue":1,"samples":${inner},"weights":[1]}]}`,
    'chrome-trace': (inner) =>
      `{"traceEvents":[{"ph":"B","name":"a","pid":1,"tid":1,"ts":0,"args":${inner}},${inner}]}`,
    pyinstrument: (inner) => `{"start_time":0,"root_frame":{"function":"a","time":1,"children":${inner}}}`,
  };
  const body = bodies[kind];
  const long = `[${'[0],'.repeat(250_000)}[0]]`;
  const proto = '{"__proto__":{"__proto__":[]},"constructor":{"prototype":{}}}';
  return [
    { name: `${kind}: deep nesting`, bytes: enc.encode(body(nested)) },
    { name: `${kind}: a long array`, bytes: enc.encode(body(long)) },
    { name: `${kind}: __proto__ keys`, bytes: enc.encode(body(`[${proto}]`)) },
  ];
}

/**
 * A Tachyon flame graph page cut down to what its reader looks at: the page's start, and its data
 * without the inlined scripts, the source lines and names each frame shows, or its statistics but
 * those of a differential page's baseline.
 */
function slimPage(page: Seed): Seed {
  const text = utf8.decode(page.bytes);
  const marker = 'const EMBEDDED_DATA = ';
  const from = text.indexOf(marker) + marker.length;
  const data = JSON.parse(text.slice(from, text.indexOf('\n', from)).replace(/;$/, '')) as PageTree & {
    stats?: { is_differential?: boolean; elided_flamegraph?: PageTree };
  };
  const head = text.slice(0, text.indexOf('</title>') + '</title>'.length);
  const slim = slimTree(data);
  const stats = data.stats;
  if (stats?.is_differential) {
    const { baseline_samples, baseline_scale, elided_flamegraph: elided } = stats as Record<string, unknown>;
    const baseline = { is_differential: true, baseline_samples, baseline_scale };
    Object.assign(slim, {
      stats: elided ? { ...baseline, elided_flamegraph: slimTree(elided as PageTree) } : baseline,
    });
  }
  return {
    name: `${page.name} (its data)`,
    bytes: enc.encode(`${head}\n<script>\n${marker}${JSON.stringify(slim)};\n`),
  };
}

type PageTree = FlameNode & { strings: string[] };

/** A page's tree with only the strings its frames name, and without what the reader does not read. */
function slimTree(data: PageTree): object {
  const kept = new Map<number, number>();
  const strings: string[] = [];
  const keep = (i: unknown) => {
    if (typeof i !== 'number') return i;
    if (!kept.has(i)) kept.set(i, strings.push(data.strings[i]) - 1);
    return kept.get(i);
  };
  const todo: FlameNode[] = [data];
  while (todo.length) {
    const node = todo.pop()!;
    for (const key of ['source', 'name', 'label', 'module', 'threads']) delete node[key];
    for (const key of ['filename', 'funcname']) if (key in node) node[key] = keep(node[key]);
    todo.push(...(node.children ?? []));
  }
  // The root is a frame when one frame held every sample.
  const root = ROOT_KEYS.filter((key) => key in data).map((key) => [key, data[key]]);
  return { ...Object.fromEntries(root), children: data.children, strings };
}

const ROOT_KEYS = ['value', 'filename', 'funcname', 'lineno', 'self', 'thread_values', 'baseline'];

interface FlameNode {
  [key: string]: unknown;
  children?: FlameNode[];
}
