/**
 * Writes stack files that look like a sampled Python service: frames of application code,
 * site-packages and the standard library, stacks 20–80 frames deep, many distinct stacks with
 * skewed counts. The shape sets how many functions the program has and whether each frame holds
 * the line being executed (as samplers record it, so one function is many frames); the syntax is
 * how a profiler writes the frames. Deterministic: the same shape, seed and size give the same bytes.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** A small, fast, seedable PRNG (mulberry32): the file must not depend on Math.random. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APP = [
  'orders',
  'payments',
  'catalog',
  'users',
  'search',
  'api',
  'tasks',
  'models',
  'views',
  'pricing',
  'inventory',
  'shipping',
];
const THIRD_PARTY = [
  'django/db/models',
  'django/core/handlers',
  'django/template',
  'sqlalchemy/orm',
  'sqlalchemy/engine',
  'requests',
  'urllib3',
  'jinja2',
  'celery/app',
  'redis',
  'pydantic',
  'psycopg2',
];
const STDLIB = [
  'json',
  're',
  'socket',
  'ssl',
  'threading',
  'logging',
  'http',
  'email',
  'collections',
  'asyncio',
  'concurrent/futures',
  'importlib',
  'decimal',
  'datetime',
];
const ROOT_FILES = [
  '/srv/shop/manage.py',
  '/srv/shop/app/main.py',
  '/usr/lib/python3.11/threading.py',
  '/usr/lib/python3.11/threading.py',
];
const VERBS = [
  'get',
  'load',
  'save',
  'build',
  'render',
  'parse',
  'compute',
  'validate',
  'resolve',
  'fetch',
  'apply',
  'handle',
  'dispatch',
  'encode',
  'decode',
  'send',
  'read',
  'update',
  'check',
  'process',
];
const NOUNS = [
  'order',
  'item',
  'price',
  'user',
  'session',
  'query',
  'row',
  'response',
  'request',
  'template',
  'cart',
  'token',
  'payload',
  'record',
  'field',
  'cache',
  'result',
  'batch',
  'event',
  'line',
];

export interface Fn {
  file: string;
  name: string;
  def: number;
  /** Functions it calls, most frequent first, and the line of each call. */
  callees: number[];
  callLines: number[];
  level: number;
}

const LEVELS = 120;

export interface StackShape {
  functions: number;
  /** Each call site's line drawn at every sample from a function's body, not fixed per call site. */
  lineLevel: boolean;
  syntax: 'folded' | 'py-spy' | 'tachyon';
}

/** A call graph layered by depth, so that walks down it make deep stacks that share their tops. */
export function program(rand: () => number, functions: number): Fn[] {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const fns: Fn[] = [];
  for (let i = 0; i < functions; i++) {
    const level = i < 4 ? 0 : 1 + Math.floor(rand() * (LEVELS - 1));
    const family = level < 10 ? 1 : rand();
    const file =
      i < 4
        ? ROOT_FILES[i]
        : family < 0.45
          ? `/srv/shop/app/${pick(APP)}/${pick(NOUNS)}s.py`
          : family < 0.8
            ? `/usr/lib/python3.11/site-packages/${pick(THIRD_PARTY)}/${pick(NOUNS)}.py`
            : `/usr/lib/python3.11/${pick(STDLIB)}/${pick(NOUNS)}s.py`;
    const name =
      i < 4
        ? ['<module>', 'main', 'run', '_bootstrap_inner'][i]
        : `${pick(VERBS)}_${pick(NOUNS)}${rand() < 0.3 ? `_${pick(NOUNS)}` : ''}`;
    fns.push({ file, name, def: 10 + Math.floor(rand() * 900), callees: [], callLines: [], level });
  }
  const byLevel: number[][] = Array.from({ length: LEVELS + 4 }, () => []);
  fns.forEach((f, i) => byLevel[f.level].push(i));
  for (const f of fns) {
    const n = f.level < 25 ? 1 + Math.floor(rand() * 2) : 2 + Math.floor(rand() * 5);
    for (let k = 0; k < n; k++) {
      let level = f.level + 1 + Math.floor(rand() * 3);
      while (level < LEVELS && byLevel[level].length === 0) level++;
      if (level >= LEVELS) break;
      f.callees.push(pick(byLevel[level]));
      f.callLines.push(f.def + 1 + Math.floor(rand() * 60));
    }
  }
  return fns;
}

/** Index into a list of `n`, skewed toward the front (Zipf-like), so a few paths are hot. */
function skewed(rand: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(n * rand() ** 3));
}

/** One stack walked down the call graph, root first: each frame's function and line. */
export interface Walk {
  fns: number[];
  lines: number[];
}

/**
 * Walks one stack 20–80 frames deep into `walk`, from one of the program's four roots down its
 * call graph, hot callees more often; false when the walk ended above 20 frames (drawn again).
 */
export function walkStack(rand: () => number, fns: Fn[], shape: StackShape, walk: Walk): boolean {
  const depth = 20 + Math.floor(rand() * 61);
  let f = Math.floor(rand() * 4);
  walk.fns.length = 0;
  walk.lines.length = 0;
  for (let d = 0; d < depth; d++) {
    const fn = fns[f];
    walk.fns.push(f);
    if (d === depth - 1 || fn.callees.length === 0) {
      walk.lines.push(fn.def + 1 + Math.floor(rand() * (shape.lineLevel ? 40 : 3)));
      break;
    }
    const k = skewed(rand, fn.callees.length);
    walk.lines.push(shape.lineLevel ? fn.def + 1 + Math.floor(rand() * 40) : fn.callLines[k]);
    f = fn.callees[k];
  }
  return walk.fns.length >= 20;
}

/** How many samples a distinct stack gets: mostly a few, now and then thousands. */
export function stackCount(rand: () => number): number {
  return 1 + Math.floor(-Math.log(1 - rand()) * 4) + (rand() < 0.01 ? Math.floor(rand() * 5000) : 0);
}

/** FNV-1a over a string, two seeds, combined into one 53-bit number for spotting repeated stacks. */
export function stackKey(s: string): number {
  let a = 0x811c9dc5,
    b = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b ^ c, 2246822519);
  }
  return (a >>> 0) * 2097152 + ((b >>> 0) & 0x1fffff);
}

export interface FoldedStats {
  bytes: number;
  lines: number;
}

/** The first shape, the bench's from the start: 900 functions, each call site at one line. */
export const SERVICE: StackShape = { functions: 900, lineLevel: false, syntax: 'folded' };

/** Threads Tachyon's `-a` would see in a service: a main thread and a few workers. */
export const TIDS = [2412, 2419, 2420, 2421, 2422];
export const basename = (file: string) => file.slice(file.lastIndexOf('/') + 1);

/** How the profiler writes a frame, and what precedes the first (py-spy: nothing; Tachyon: the thread). */
function frameWriter(shape: StackShape, fns: Fn[]): { frame: (f: number, line: number) => string; head: () => string } {
  if (shape.syntax === 'py-spy')
    return { frame: (f, line) => `${fns[f].name} (${fns[f].file}:${line})`, head: () => '' };
  if (shape.syntax === 'tachyon') {
    let n = 0;
    return {
      frame: (f, line) => `${basename(fns[f].file)}:${fns[f].name}:${line}`,
      head: () => `tid:${TIDS[n++ % TIDS.length]};`,
    };
  }
  const labels = fns.map((f) => `${f.file}:${f.name}:`);
  return { frame: (f, line) => labels[f] + line, head: () => '' };
}

/** Writes about `targetBytes` of stacks to `path` (whole lines, so slightly more). */
export function writeFolded(path: string, targetBytes: number, shape: StackShape = SERVICE, seed = 7): FoldedStats {
  const rand = random(seed);
  const fns = program(rand, shape.functions);
  const { frame, head } = frameWriter(shape, fns);
  const seen = new Set<number>();
  const fd = openSync(path, 'w');
  let buffer = '';
  let bytes = 0,
    lines = 0;
  try {
    const walk: Walk = { fns: [], lines: [] };
    while (bytes < targetBytes) {
      if (!walkStack(rand, fns, shape, walk)) continue;
      const parts = walk.fns.map((f, d) => frame(f, walk.lines[d]));
      const stack = head() + parts.join(';');
      const key = stackKey(stack);
      if (seen.has(key)) continue;
      seen.add(key);
      const count = stackCount(rand);
      const line = `${stack} ${count}\n`;
      buffer += line;
      bytes += line.length;
      lines++;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
  return { bytes, lines };
}
