/**
 * The long fuzz campaign: `npm run fuzz -- [--cases N] [--seed N] [--target T] [--workers N] [--out DIR]`
 * feeds mutated fixtures to every parser in worker threads, and `--replay FILE.json` feeds one
 * saved failing input again. The same seed and case count run the same cases.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { TARGETS, feed, type Target } from './targets';
import type { Batch, BatchResult, Failure, Shared } from './protocol';

const BATCH_RUNS = 2000;
/** A case still running after this long is reported as a parse that does not end. */
const HANG_MS = 60_000;
const PAYLOAD_BYTES = 16 * 1024 * 1024;
const PROGRESS_MS = 10_000;

/** The worker is TypeScript too: Node starts worker threads without the loader this script runs under. */
const workerScript = `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}))`;

const usage =
  'usage: npm run fuzz -- [--cases N] [--seed N] [--target NAME] [--workers N] [--out DIR] | --replay FILE.json';

interface Options {
  cases: number;
  seed: number;
  targets: Target[];
  workers: number;
  out: string;
}

interface SavedFailure {
  kind: 'failure' | 'hang' | 'crash';
  target: Target;
  campaignSeed: number;
  batchSeed: number;
  error: string;
  path?: string;
  seedFile?: string;
  case?: unknown;
  cuts: number[];
  inflated?: number;
  input: string;
}

/** A 32-bit mix of the campaign seed, the target and the batch number, so batches differ. */
function batchSeed(seed: number, target: number, k: number): number {
  let h = (seed ^ Math.imul(target + 1, 0x9e3779b9) ^ Math.imul(k + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) | 0;
}

function batches(o: Options): Batch[] {
  const perTarget = Math.ceil(o.cases / o.targets.length);
  const lists = o.targets.map((target) => {
    const list: Batch[] = [];
    for (let k = 0, left = perTarget; left > 0; k++, left -= BATCH_RUNS) {
      list.push({ target, seed: batchSeed(o.seed, TARGETS.indexOf(target), k), runs: Math.min(BATCH_RUNS, left) });
    }
    return list;
  });
  // Interleaved, so that every target advances from the start.
  const out: Batch[] = [];
  for (let k = 0; lists.some((l) => k < l.length); k++) for (const l of lists) if (k < l.length) out.push(l[k]);
  return out;
}

function save(o: Options, failure: Omit<SavedFailure, 'input' | 'campaignSeed'>, bytes: Uint8Array): string {
  mkdirSync(o.out, { recursive: true });
  const base = join(o.out, `${failure.target}-${failure.batchSeed >>> 0}-${failure.kind}`);
  writeFileSync(`${base}.bin`, bytes);
  const saved: SavedFailure = { ...failure, campaignSeed: o.seed, input: `${base.split('/').pop()}.bin` };
  writeFileSync(`${base}.json`, JSON.stringify(saved, null, 2) + '\n');
  return `${base}.json`;
}

interface Slot {
  worker: Worker;
  header: Int32Array;
  payload: Uint8Array;
  batch: Batch | null;
  begun: number;
  since: number;
}

async function campaign(o: Options): Promise<number> {
  const queue = batches(o);
  const total = queue.reduce((n, b) => n + b.runs, 0);
  console.log(
    `fuzz: seed ${o.seed}, ${total.toLocaleString('en')} cases over ${o.targets.join(', ')}, ${o.workers} worker thread(s)`,
  );
  console.log(
    `      the same cases again: npm run fuzz -- --seed ${o.seed} --cases ${o.cases}${o.targets.length < TARGETS.length ? ` --target ${o.targets.join(',')}` : ''}`,
  );
  const started = Date.now();
  const tally = new Map<Target, BatchResult['tally'] & { runs: number }>();
  const saved: string[] = [];
  let done = 0;
  let finish: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const slots = new Set<Slot>();

  const account = (r: BatchResult) => {
    const t = tally.get(r.target) ?? { runs: 0, profile: 0, rejected: 0, slowestMs: 0, slowestBytes: 0 };
    t.runs += r.runs;
    t.profile += r.tally.profile;
    t.rejected += r.tally.rejected;
    if (r.tally.slowestMs > t.slowestMs)
      Object.assign(t, { slowestMs: r.tally.slowestMs, slowestBytes: r.tally.slowestBytes });
    tally.set(r.target, t);
    done += r.runs;
  };
  const report = (path: string, what: string) => {
    saved.push(path);
    console.log(`  ${what}\n    saved: ${path}`);
  };

  const next = (slot: Slot) => {
    slot.batch = queue.shift() ?? null;
    slot.since = Date.now();
    if (slot.batch) slot.worker.postMessage(slot.batch);
    else {
      slots.delete(slot);
      slot.worker.terminate();
      if (slots.size === 0) finish();
    }
  };

  /** Ends a worker that hung or crashed: saves the input it was on and starts another in its place. */
  const replace = (slot: Slot, kind: 'hang' | 'crash', error: string) => {
    const batch = slot.batch!;
    const length = Atomics.load(slot.header, 1);
    const bytes = slot.payload.slice(0, Math.min(length, slot.payload.length));
    report(
      save(o, { kind, target: batch.target, batchSeed: batch.seed, error, cuts: [] }, bytes),
      `${batch.target}: ${error}`,
    );
    account({ ...batch, tally: { profile: 0, rejected: 0, slowestMs: 0, slowestBytes: 0 } });
    slots.delete(slot);
    slot.batch = null;
    slot.worker.terminate();
    start();
  };

  const start = () => {
    const shared: Shared = { header: new SharedArrayBuffer(8), payload: new SharedArrayBuffer(PAYLOAD_BYTES) };
    const slot: Slot = {
      worker: new Worker(workerScript, { eval: true, workerData: shared }),
      header: new Int32Array(shared.header),
      payload: new Uint8Array(shared.payload),
      batch: null,
      begun: 0,
      since: Date.now(),
    };
    slots.add(slot);
    slot.worker.on('message', (r: BatchResult) => {
      account(r);
      if (r.failure) report(save(o, failureOf(r, r.failure), r.failure.bytes), `${r.target}: ${r.failure.error}`);
      next(slot);
    });
    slot.worker.on('error', (e) => {
      if (slot.batch) replace(slot, 'crash', `the worker thread died: ${e.message}`);
    });
    next(slot);
  };

  for (let i = 0; i < o.workers; i++) start();
  const watch = setInterval(() => {
    for (const slot of slots) {
      const begun = Atomics.load(slot.header, 0);
      if (begun !== slot.begun) Object.assign(slot, { begun, since: Date.now() });
      else if (slot.batch && Date.now() - slot.since > HANG_MS) {
        replace(slot, 'hang', `a case ran for more than ${HANG_MS / 1000} s`);
      }
    }
  }, 1000);
  const progress = setInterval(() => {
    const rate = done / ((Date.now() - started) / 1000);
    console.log(
      `  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} cases, ${Math.round(rate)}/s, ${saved.length} failing`,
    );
  }, PROGRESS_MS);
  await finished;
  clearInterval(watch);
  clearInterval(progress);

  console.log(
    `fuzz: ${done.toLocaleString('en')} cases in ${((Date.now() - started) / 1000).toFixed(0)} s, seed ${o.seed}`,
  );
  for (const [target, t] of tally) {
    const share = (n: number) => `${((100 * n) / Math.max(1, t.profile + t.rejected)).toFixed(0)} %`;
    console.log(
      `  ${target.padEnd(17)} ${t.runs.toLocaleString('en').padStart(9)} cases: ${share(t.profile)} read, ${share(t.rejected)} rejected;` +
        ` slowest ${t.slowestMs.toFixed(0)} ms (${t.slowestBytes.toLocaleString('en')} bytes)`,
    );
  }
  if (saved.length === 0) return 0;
  console.log(`${saved.length} failing input(s) in ${o.out}; replay one with: npm run fuzz -- --replay FILE.json`);
  return 1;
}

function failureOf(r: BatchResult, f: Failure): Omit<SavedFailure, 'input' | 'campaignSeed'> {
  return {
    kind: 'failure',
    target: r.target,
    batchSeed: r.seed,
    error: f.error,
    path: f.path,
    seedFile: f.seedFile,
    case: JSON.parse(f.mutations),
    cuts: f.cuts,
    inflated: f.inflated,
  };
}

async function replay(file: string): Promise<number> {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedFailure;
  const bytes = new Uint8Array(readFileSync(join(dirname(file), saved.input)));
  console.log(`feeding ${bytes.length} bytes to ${saved.target} (saved as: ${saved.error})`);
  try {
    const outcome = await feed(saved.target, { bytes, cuts: saved.cuts, inflated: saved.inflated });
    console.log(
      outcome.kind === 'profile'
        ? `read in ${outcome.ms.toFixed(0)} ms`
        : `rejected in ${outcome.ms.toFixed(0)} ms: ${outcome.message}`,
    );
    return 0;
  } catch (e) {
    console.log((e as Error).message);
    console.log((e as Error).cause ?? e);
    return 1;
  }
}

function options(args: string[]): Options | string {
  const { values } = parseArgs({
    args,
    options: {
      cases: { type: 'string', default: '1000000' },
      seed: { type: 'string' },
      target: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string', default: 'fuzz-failures' },
      replay: { type: 'string' },
    },
  });
  if (values.replay) return values.replay;
  const cases = Number(values.cases);
  const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
  const targets = (values.target?.split(',') ?? [...TARGETS]) as Target[];
  const workers = values.workers === undefined ? Math.max(1, availableParallelism() - 1) : Number(values.workers);
  if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed) || !Number.isInteger(workers) || workers < 1)
    throw new Error(usage);
  if (!targets.every((t) => TARGETS.includes(t))) throw new Error(`${usage}\n  targets: ${TARGETS.join(', ')}`);
  return { cases, seed, targets, workers, out: resolve(values.out) };
}

async function main(): Promise<number> {
  let o: Options | string;
  try {
    o = options(process.argv.slice(2));
  } catch (e) {
    console.error(
      (e as Error).message.startsWith('usage') ? (e as Error).message : `${(e as Error).message}\n${usage}`,
    );
    return 2;
  }
  return typeof o === 'string' ? replay(o) : campaign(o);
}

process.exitCode = await main();
