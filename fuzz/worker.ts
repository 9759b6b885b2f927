/**
 * Runs batches of one fuzz campaign in a worker thread. Before each case it copies the input into
 * memory shared with the main thread and counts the case there, so that the main thread can tell a
 * parse that never ends and save the input that caused it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { parserProperty, seedsFor } from './campaign';
import type { Seed } from './corpus';
import { inputOf, type Case } from './mutations';
import type { Outcome, Target } from './targets';
import { SEED_BYTES, type Batch, type BatchResult, type Shared } from './protocol';

const shared = workerData as Shared;
const header = new Int32Array(shared.header);
const payload = new Uint8Array(shared.payload);
const seeds = new Map<Target, Seed[]>();

function record(bytes: Uint8Array): void {
  const n = Math.min(bytes.length, payload.length);
  payload.set(bytes.subarray(0, n));
  Atomics.store(header, 1, bytes.length);
  Atomics.add(header, 0, 1);
}

async function run(batch: Batch): Promise<BatchResult> {
  const corpus = seeds.get(batch.target) ?? seedsFor(batch.target, SEED_BYTES);
  seeds.set(batch.target, corpus);
  const tally: BatchResult['tally'] = { profile: 0, rejected: 0, slowestMs: 0, slowestBytes: 0 };
  let bytes = 0;
  const onOutcome = (o: Outcome) => {
    tally[o.kind]++;
    if (o.ms > tally.slowestMs) Object.assign(tally, { slowestMs: o.ms, slowestBytes: bytes });
  };
  const property = parserProperty(batch.target, corpus, {
    onInput: (input) => {
      bytes = input.bytes.length;
      record(input.bytes);
    },
    onOutcome,
  });
  const details = await fc.check(property, { seed: batch.seed, numRuns: batch.runs });
  if (!details.failed || !details.counterexample) return { ...batch, tally };
  const [found] = details.counterexample as [Case];
  const input = inputOf(found, corpus);
  return {
    ...batch,
    tally,
    failure: {
      error: details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance),
      path: details.counterexamplePath ?? '',
      seedFile: corpus[found.seed].name,
      mutations: JSON.stringify(found, (_, v) => (v instanceof Uint8Array ? Array.from(v) : v)),
      bytes: input.bytes,
      cuts: input.cuts,
      inflated: input.inflated,
    },
  };
}

parentPort!.on('message', (batch: Batch) => {
  run(batch).then((result) => parentPort!.postMessage(result));
});
