/** What the fuzz command and its worker threads say to each other. */
import type { Target } from './targets';

/** Seed files up to this size: larger ones add time per case and no format the smaller lack. */
export const SEED_BYTES = 64 * 1024;

/** Memory a worker shares with the main thread: the input being parsed, and a count of cases begun. */
export interface Shared {
  /** Int32: [cases begun, length of the current input]. */
  header: SharedArrayBuffer;
  /** The current input (its first bytes, when it is longer). */
  payload: SharedArrayBuffer;
}

export interface Batch {
  target: Target;
  /** The fast-check seed of this batch, derived from the campaign's seed. */
  seed: number;
  runs: number;
}

export interface Failure {
  error: string;
  /** fast-check's path to the shrunk case, to replay it with the batch seed. */
  path: string;
  seedFile: string;
  /** The shrunk case as JSON. */
  mutations: string;
  bytes: Uint8Array;
  cuts: number[];
  inflated?: number;
}

export interface BatchResult extends Batch {
  tally: { profile: number; rejected: number; slowestMs: number; slowestBytes: number };
  failure?: Failure;
}
