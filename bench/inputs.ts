/** The files the bench opens, made once into bench/out/ (delete a file there to make it again). */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE, writeFolded, type StackShape } from './folded-gen';
import { FORMAT_EXTENSIONS, writeFormat, type FormatKind } from './format-gen';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = resolve(repoRoot, 'bench/out');
const makeBigPstats = resolve(repoRoot, '../shared/bench/make-big-pstats.py');
const makeImportPstats = resolve(repoRoot, 'bench/make-import-pstats.py');
/** make-big-pstats.py writes about 205 bytes per function, make-import-pstats.py about 760 per module. */
const PSTATS_BYTES_PER_FUNCTION = 205;
const PSTATS_BYTES_PER_MODULE = 760;
const MB = 1e6;

export interface Input {
  kind: 'pstats' | 'folded' | FormatKind;
  path: string;
  /** Bytes. */
  size: number;
}

export interface InputSet {
  pstats: Input[];
  folded: Input[];
  /** A folded file of just over a million tree nodes, for the interaction measurement. */
  interaction: Input;
  /** One file of each other format. */
  formats: Input[];
  /** Reopened from the library after a reload: a folded file at its flame graph, a pstats file at its table. */
  reopen: { flame: Input; table: Input };
}

function input(kind: Input['kind'], path: string): Input {
  return { kind, path, size: statSync(path).size };
}

/**
 * The kinds of stack files: the service of 900 functions the bench began with; a program of
 * 32,000 functions; the same with the executing line in each frame, as samplers record it
 * (hundreds of thousands of distinct frames); that in py-spy's `name (file:line)` syntax; and in
 * Tachyon's, `tid:N;file:qualname:line` with base names.
 */
export const STACK_KINDS: Record<string, StackShape> = {
  folded: SERVICE,
  'folded-many': { functions: 32_000, lineLevel: false, syntax: 'folded' },
  'folded-lines': { functions: 32_000, lineLevel: true, syntax: 'folded' },
  'pyspy-lines': { functions: 32_000, lineLevel: true, syntax: 'py-spy' },
  'tachyon-lines': { functions: 32_000, lineLevel: true, syntax: 'tachyon' },
};

function folded(kind: string, megabytes: number, log: (s: string) => void): Input {
  const path = resolve(outDir, `${kind}-${megabytes}mb.txt`);
  if (!existsSync(path)) {
    log(`writing ${path}`);
    writeFolded(path, megabytes * MB, STACK_KINDS[kind]);
  }
  return input('folded', path);
}

/**
 * Sizes of the other formats' files in the full set: the JSON and binary recordings as large as a
 * long sampled run makes them; a tracer's callgrind and a continuous profiler's pprof (whose size
 * is the protobuf's, before gzip) smaller, as their files are.
 */
const FORMAT_MEGABYTES: Record<FormatKind, number> = {
  speedscope: 100,
  'chrome-trace': 100,
  pyinstrument: 100,
  gecko: 100,
  'tachyon-bin': 100,
  callgrind: 50,
  pprof: 20,
  'austin-mojo': 100,
};

function format(kind: FormatKind, megabytes: number, log: (s: string) => void): Input {
  const path = resolve(outDir, `${kind}-${megabytes}mb.${FORMAT_EXTENSIONS[kind]}`);
  if (!existsSync(path)) {
    log(`writing ${path}`);
    writeFormat(kind, path, megabytes * MB);
  }
  return input(kind, path);
}

/**
 * pstats of two programs, both real cProfile runs: a generated call graph of many functions
 * (`pstats-`), and an import-heavy one (`pstats-imports-`), whose recursion through importlib
 * is what real programs' profiles are full of.
 */
function pstats(kind: 'pstats' | 'pstats-imports', megabytes: number, python: string, log: (s: string) => void): Input {
  const path = resolve(outDir, `${kind}-${megabytes}mb.prof`);
  if (!existsSync(path)) {
    log(`writing ${path}`);
    const [script, perUnit] =
      kind === 'pstats' ? [makeBigPstats, PSTATS_BYTES_PER_FUNCTION] : [makeImportPstats, PSTATS_BYTES_PER_MODULE];
    execFileSync(python, [script, String(Math.max(20, Math.round((megabytes * MB) / perUnit))), path], {
      stdio: 'inherit',
    });
  }
  return input('pstats', path);
}

/**
 * The full set: pstats of both programs of about 2, 10 and 40 MB (needs python3 and
 * make-big-pstats.py), the service's folded stacks of 10, 50 and 200 MB (and 1 GB with `huge`),
 * every other kind of stack file at 50 and 200 MB, one file of each other format (bench/format-gen.ts).
 * The smoke set has every kind, tiny; its pstats of the import-heavy program only where Python is.
 */
export function makeInputs(
  mode: 'smoke' | 'full',
  huge: boolean,
  python: string | null,
  log: (s: string) => void,
): InputSet {
  mkdirSync(outDir, { recursive: true });
  const kinds = Object.keys(STACK_KINDS);
  const formatKinds = Object.keys(FORMAT_MEGABYTES) as FormatKind[];
  if (mode === 'smoke') {
    const sample = input('pstats', resolve(repoRoot, 'public/samples/shop-checkout.prof'));
    const small = kinds.map((kind) => folded(kind, 0.3, log));
    return {
      pstats: [sample, ...(python ? [pstats('pstats-imports', 0.05, python, log)] : [])],
      folded: small,
      interaction: small[0],
      formats: formatKinds.map((kind) => format(kind, 0.3, log)),
      reopen: { flame: small[0], table: sample },
    };
  }
  if (!python || !existsSync(makeBigPstats)) throw new Error(`the full bench needs python3 and ${makeBigPstats}`);
  return lazily<InputSet>({
    pstats: () =>
      (['pstats', 'pstats-imports'] as const).flatMap((kind) => [2, 10, 40].map((mb) => pstats(kind, mb, python, log))),
    folded: () => [
      ...[10, 50, 200, ...(huge ? [1000] : [])].map((mb) => folded('folded', mb, log)),
      ...kinds.slice(1).flatMap((kind) => [50, 200].map((mb) => folded(kind, mb, log))),
    ],
    interaction: () => folded('folded', 110, log),
    formats: () => formatKinds.map((kind) => format(kind, FORMAT_MEGABYTES[kind], log)),
    reopen: () => ({ flame: folded('folded', 200, log), table: pstats('pstats', 40, python, log) }),
  });
}

/** An object whose fields are made when first read: a run of a few cases makes only their files. */
function lazily<T extends object>(makers: { [K in keyof T]: () => T[K] }): T {
  const made = {} as T;
  for (const key of Object.keys(makers) as (keyof T)[]) {
    let value: T[typeof key] | undefined;
    Object.defineProperty(made, key, { enumerable: true, get: () => (value ??= makers[key]()) });
  }
  return made;
}
