/** The files the bench opens, made once into bench/out/ (delete a file there to make it again). */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFolded } from './folded-gen';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = resolve(repoRoot, 'bench/out');
const makeBigPstats = resolve(repoRoot, '../shared/bench/make-big-pstats.py');
/** make-big-pstats.py writes about 205 bytes per function. */
const PSTATS_BYTES_PER_FUNCTION = 205;
const MB = 1e6;

export interface Input {
  kind: 'pstats' | 'folded';
  path: string;
  /** Bytes. */
  size: number;
}

export interface InputSet {
  pstats: Input[];
  folded: Input[];
  /** A folded file of just over a million tree nodes, for the interaction measurement. */
  interaction: Input;
}

function input(kind: Input['kind'], path: string): Input {
  return { kind, path, size: statSync(path).size };
}

function folded(megabytes: number, log: (s: string) => void): Input {
  const path = resolve(outDir, `folded-${megabytes}mb.txt`);
  if (!existsSync(path)) {
    log(`writing ${path}`);
    writeFolded(path, megabytes * MB);
  }
  return input('folded', path);
}

function pstats(megabytes: number, python: string, log: (s: string) => void): Input {
  const path = resolve(outDir, `pstats-${megabytes}mb.prof`);
  if (!existsSync(path)) {
    log(`writing ${path}`);
    const functions = Math.round((megabytes * MB) / PSTATS_BYTES_PER_FUNCTION);
    execFileSync(python, [makeBigPstats, String(functions), path], { stdio: 'inherit' });
  }
  return input('pstats', path);
}

/**
 * The full set: pstats of about 2, 10 and 40 MB (needs python3 and make-big-pstats.py), folded
 * stacks of 10, 50 and 200 MB (and 1 GB with `huge`). The smoke set is tiny and needs no Python.
 */
export function makeInputs(
  mode: 'smoke' | 'full',
  huge: boolean,
  python: string | null,
  log: (s: string) => void,
): InputSet {
  mkdirSync(outDir, { recursive: true });
  if (mode === 'smoke') {
    const sample = input('pstats', resolve(repoRoot, 'public/samples/shop-checkout.prof'));
    const small = folded(0.3, log);
    return { pstats: [sample], folded: [small], interaction: small };
  }
  if (!python || !existsSync(makeBigPstats)) throw new Error(`the full bench needs python3 and ${makeBigPstats}`);
  return {
    pstats: [2, 10, 40].map((mb) => pstats(mb, python, log)),
    folded: [10, 50, 200, ...(huge ? [1000] : [])].map((mb) => folded(mb, log)),
    interaction: folded(110, log),
  };
}
