import type { Profile, WeightUnit } from '../model/profile';
import { sampledStats } from './sampled-stats';
import { stringAt } from '../model/string-pack';

/**
 * A profile put as functions with a self and a total cost, whatever its format: pstats gives
 * tottime / cumtime / ncalls, sampled formats self / total samples. A function is its key
 * (`functionKey`).
 */
interface FunctionCosts {
  keys: string[];
  /** A frame id showing each function. */
  frame: Int32Array;
  /** The function of each frame id; -1 for a frame that counts in none (no sample reaches it). */
  functionOf: Int32Array;
  self: Float64Array;
  total: Float64Array;
  /** pstats only. */
  calls: Float64Array | null;
  /** The whole profile's cost: pstats' total time, or all non-idle samples. */
  grandTotal: number;
  unit: WeightUnit;
}

const SITE_PACKAGES = /[\\/](?:site|dist)-packages[\\/](.*)$/;
const STDLIB = /[\\/]lib[\\/](?:python|pypy)\d*(?:\.\d+)?[\\/](.*)$/i;

/**
 * Where a function lives, as comparable between two runs: the standard library and installed
 * packages by their path inside it, so that two Python versions or virtualenvs still match.
 */
export function comparableFile(file: string): string {
  const pkg = SITE_PACKAGES.exec(file);
  if (pkg) return `site-packages/${pkg[1]}`;
  const std = STDLIB.exec(file);
  return std ? `stdlib/${std[1]}` : file;
}

/**
 * A function's name as comparable between two runs: Python 3 names a C function
 * `<built-in method time.sleep>` (`builtins.` for the builtins module) where Python 2 wrote
 * `<time.sleep>`.
 */
export function comparableName(file: string, name: string): string {
  if (file !== '~') return name;
  // The address of a type object changes from run to run: `… of type object at 0x7f31f885ea00>`.
  return name.replace(/^<built-in method (?:builtins\.)?/, '<').replace(/ at 0x[0-9a-f]+>$/i, '>');
}

/**
 * A function, comparable between two runs: its file and name, and for pstats its `def` line,
 * which tells apart the functions of one file that share a name (`<listcomp>`, `__init__`).
 * A sampled frame is a line of code, not a function, so its line is no part of the key.
 */
export function functionKey(p: Profile, frame: number): string {
  const file = stringAt(p.strings, p.frames.file[frame]);
  const key = `${comparableFile(file)}\0${comparableName(file, stringAt(p.strings, p.frames.name[frame]))}`;
  return p.pstats ? `${key}\0${p.frames.line[frame]}` : key;
}

/** The unit a profile's weights are compared in, and what turns them into it: times in seconds. */
export function comparedUnit(p: Profile): { unit: WeightUnit; scale: number } {
  return p.unit === 'microseconds' ? { unit: 'seconds', scale: 1e-6 } : { unit: p.unit, scale: 1 };
}

function functionCosts(p: Profile): FunctionCosts {
  const index = new Map<string, number>();
  const keys: string[] = [],
    frame: number[] = [],
    self: number[] = [],
    total: number[] = [],
    calls: number[] = [];
  const functionOf = new Int32Array(p.frames.count).fill(-1);
  const add = (f: number, s: number, t: number, c: number): number => {
    const key = functionKey(p, f);
    let row = index.get(key);
    if (row === undefined) {
      row = keys.length;
      index.set(key, row);
      keys.push(key);
      frame.push(f);
      self.push(0);
      total.push(0);
      calls.push(0);
    }
    self[row] += s;
    total[row] += t;
    calls[row] += c;
    return row;
  };
  if (p.pstats) {
    const s = p.pstats;
    for (let f = 0; f < s.cc.length; f++) functionOf[f] = add(f, s.tt[f], s.ct[f], s.nc[f]);
  } else {
    const s = sampledStats(p);
    const functionOfRow = Int32Array.from({ length: s.count }, (_, r) => add(s.frame[r], s.self[r], s.total[r], 0));
    for (let f = 0; f < functionOf.length; f++)
      if (s.rowOfFrame[f] >= 0) functionOf[f] = functionOfRow[s.rowOfFrame[f]];
  }
  // Times are compared in seconds, so that austin's microseconds meet pstats' seconds.
  const { unit, scale } = comparedUnit(p);
  return {
    keys,
    frame: Int32Array.from(frame),
    functionOf,
    self: Float64Array.from(self, (v) => v * scale),
    total: Float64Array.from(total, (v) => v * scale),
    calls: p.pstats ? Float64Array.from(calls) : null,
    grandTotal: (p.pstats ? p.pstats.totalTt : p.samples) * scale,
    unit,
  };
}

export const BASE_ONLY = 1;
export const NEW_ONLY = 2;
export const BOTH = 3;

/** Two profiles side by side, one row per function found in either; NaN where a side lacks it. */
export interface Comparison {
  count: number;
  keys: string[];
  /** Which side has the function: BASE_ONLY, NEW_ONLY or BOTH. */
  presence: Uint8Array;
  /** A frame id per row in the new profile, or -1. */
  newFrame: Int32Array;
  /** A frame id per row in the baseline, or -1. */
  baseFrame: Int32Array;
  /** The row of each frame id of the baseline, and of the new profile; -1 for a frame no row counts. */
  baseRowOfFrame: Int32Array;
  newRowOfFrame: Int32Array;
  base: { self: Float64Array; total: Float64Array; calls: Float64Array | null; grandTotal: number };
  next: { self: Float64Array; total: Float64Array; calls: Float64Array | null; grandTotal: number };
  /**
   * Whether the two are in the same unit. When not (seconds against samples, or samples of
   * runs of different length) deltas are best read as shares of each side's total.
   */
  sameUnit: boolean;
  /** The unit of both sides' costs when they share one (times in seconds); the new profile's otherwise. */
  unit: WeightUnit;
  /** Per row, what pairing its two sides by a looser key assumed (see `matchRows`); empty for an exact match. */
  pairing: string[];
}

/** A function's key without its line: its file and name. */
function withoutLine(key: string): string {
  const second = key.indexOf('\0', key.indexOf('\0') + 1);
  return second < 0 ? key : key.slice(0, second);
}

/** A function's key with its file cut to the file's name, as `Stats.strip_dirs()` writes it, and no line. */
function strippedKey(key: string): string {
  const end = key.indexOf('\0');
  return withoutLine(key).slice(Math.max(key.lastIndexOf('/', end), key.lastIndexOf('\\', end)) + 1);
}

/** A pstats key's `def` line, or null for a sampled function's key, which has none. */
function lineIn(key: string): number | null {
  const rest = key.slice(withoutLine(key).length);
  return rest ? Number(rest.slice(1)) : null;
}

/**
 * What a pairing by a looser key took on trust, as its row says it: the `def` line that moved
 * (`line 61 → 68`), a file found under another path; empty when the keys differ in nothing else.
 */
function pairingNote(a: string, b: string): string {
  const notes: string[] = [];
  if (a.slice(0, a.indexOf('\0')) !== b.slice(0, b.indexOf('\0'))) notes.push('path differs');
  const [la, lb] = [lineIn(a), lineIn(b)];
  if (la !== null && lb !== null && la !== lb) notes.push(`line ${la} → ${lb}`);
  return notes.join(', ');
}

/**
 * The row of each of `b`'s functions among `a`'s (a's function i is row i), new rows after them.
 * A function is matched by its key (file, name and pstats' `def` line). Those left over are then
 * grouped by their file and name, then by their file's name and their name; where a group has
 * as many left on each side, they are paired in the order of their lines. So functions whose
 * lines moved, a `strip_dirs()` profile, a run from another directory, or pstats against samples
 * still meet their functions; `notes` says, for each of `b`'s, what such a pairing assumed.
 */
export function matchRows(a: string[], b: string[]): { rows: Int32Array; keys: string[]; notes: string[] } {
  const exact = new Map<string, number>();
  a.forEach((k, i) => exact.set(k, i));
  const rows = new Int32Array(b.length).fill(-1);
  const notes = new Array<string>(b.length).fill('');
  const matchedA = new Uint8Array(a.length);
  b.forEach((k, j) => {
    const i = exact.get(k);
    if (i === undefined) return;
    rows[j] = i;
    matchedA[i] = 1;
  });
  const lineOf = (k: string) => lineIn(k) ?? 0;
  /** The functions not yet matched, grouped by `looser` key, each group in the order of their lines. */
  const groups = (keys: string[], matched: (i: number) => boolean, looser: (key: string) => string) => {
    const found = new Map<string, number[]>();
    keys.forEach((k, i) => {
      if (matched(i)) return;
      const s = looser(k);
      let same = found.get(s);
      if (!same) found.set(s, (same = []));
      same.push(i);
    });
    for (const same of found.values()) same.sort((x, y) => lineOf(keys[x]) - lineOf(keys[y]));
    return found;
  };
  for (const looser of [withoutLine, strippedKey]) {
    const leftA = groups(a, (i) => matchedA[i] === 1, looser);
    for (const [s, js] of groups(b, (j) => rows[j] >= 0, looser)) {
      const is = leftA.get(s);
      if (is?.length !== js.length) continue;
      js.forEach((j, n) => {
        rows[j] = is[n];
        matchedA[is[n]] = 1;
        notes[j] = pairingNote(a[is[n]], b[j]);
      });
    }
  }
  const keys = [...a];
  b.forEach((k, j) => {
    if (rows[j] < 0) rows[j] = keys.push(k) - 1;
  });
  return { rows, keys, notes };
}

export function compareProfiles(baseline: Profile, next: Profile): Comparison {
  const a = functionCosts(baseline),
    b = functionCosts(next);
  const { rows: rowOfB, keys, notes } = matchRows(a.keys, b.keys);
  const n = keys.length;
  const pairing = new Array<string>(n).fill('');
  notes.forEach((note, j) => (pairing[rowOfB[j]] = note));
  const side = (c: FunctionCosts, rowOf: (i: number) => number) => {
    const self = new Float64Array(n).fill(NaN),
      total = new Float64Array(n).fill(NaN);
    const calls = c.calls ? new Float64Array(n).fill(NaN) : null;
    const frame = new Int32Array(n).fill(-1);
    for (let i = 0; i < c.keys.length; i++) {
      const r = rowOf(i);
      self[r] = c.self[i];
      total[r] = c.total[i];
      if (calls) calls[r] = c.calls![i];
      frame[r] = c.frame[i];
    }
    return { self, total, calls, frame, grandTotal: c.grandTotal };
  };
  const base = side(a, (i) => i),
    nxt = side(b, (j) => rowOfB[j]);
  const presence = new Uint8Array(n);
  for (let r = 0; r < n; r++) presence[r] = (base.frame[r] >= 0 ? BASE_ONLY : 0) | (nxt.frame[r] >= 0 ? NEW_ONLY : 0);
  return {
    count: n,
    keys,
    presence,
    newFrame: nxt.frame,
    baseFrame: base.frame,
    baseRowOfFrame: a.functionOf,
    newRowOfFrame: b.functionOf.map((i) => (i < 0 ? -1 : rowOfB[i])),
    base: { self: base.self, total: base.total, calls: base.calls, grandTotal: base.grandTotal },
    next: { self: nxt.self, total: nxt.total, calls: nxt.calls, grandTotal: nxt.grandTotal },
    sameUnit: a.unit === b.unit,
    unit: b.unit,
    pairing,
  };
}

/** The change from a to b, with a missing side counted as zero. */
export const delta = (a: number, b: number): number => (Number.isNaN(b) ? 0 : b) - (Number.isNaN(a) ? 0 : a);

/** The change as a percentage of a; NaN when a is missing or zero. */
export const deltaPercent = (a: number, b: number): number =>
  Number.isNaN(a) || a === 0 ? NaN : (100 * delta(a, b)) / a;
