/**
 * The `samples` arrays of a speedscope file's profiles read straight from its bytes, into typed
 * arrays: they are most of a sampler's file (one array of frame indices per sample), and as JSON
 * values they cost an array object per sample and a number per frame, made and then collected.
 * The rest of the file, those arrays cut out, is parsed as JSON as before. Anything but arrays of
 * non-negative integers there, or a file laid out otherwise, leaves the whole file to JSON.parse.
 */

/** One profile's samples: the frame indices of sample `s` are `frames[start[s], start[s + 1])`. */
export interface PackedSamples {
  frames: Int32Array;
  start: Int32Array;
}

export interface SplitFile {
  /** The file with each profile's `samples` array written as `[]`. */
  rest: Uint8Array;
  /** By the profile's index in `profiles`; absent where that profile has no `samples`. */
  samples: Map<number, PackedSamples>;
}

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COLON = 0x3a,
  COMMA = 0x2c,
  OPEN_BRACE = 0x7b,
  CLOSE_BRACE = 0x7d,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const PROFILES = [0x70, 0x72, 0x6f, 0x66, 0x69, 0x6c, 0x65, 0x73];
const SAMPLES = [0x73, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x73];

/** Grows as it is written; read back as a typed array of what was written. */
class Ints {
  a = new Int32Array(1 << 16);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const grown = new Int32Array(this.a.length * 2);
      grown.set(this.a);
      this.a = grown;
    }
    this.a[this.n++] = v;
  }
  view(): Int32Array {
    return this.a.slice(0, this.n);
  }
}

/** The index of the first byte at or after `i` that is not JSON whitespace. */
function skipSpace(b: Uint8Array, i: number): number {
  while (i < b.length && isSpace(b[i])) i++;
  return i;
}

/**
 * The array of arrays of integers at `at` (its `[`): the samples and the index past its `]`, or
 * null when it holds anything else. The index is a local, never captured, so it stays in a register.
 */
function readSamples(b: Uint8Array, at: number): { samples: PackedSamples; end: number } | null {
  const frames = new Ints(),
    start = new Ints();
  let i = skipSpace(b, at + 1);
  if (b[i] === CLOSE_BRACKET) {
    start.push(0);
    return { samples: { frames: frames.view(), start: start.view() }, end: i + 1 };
  }
  for (;;) {
    i = skipSpace(b, i);
    if (b[i] !== OPEN_BRACKET) return null;
    start.push(frames.n);
    i = skipSpace(b, i + 1);
    if (b[i] === CLOSE_BRACKET) i++;
    else {
      for (;;) {
        const first = i;
        let v = 0;
        while (i < b.length && b[i] >= 0x30 && b[i] <= 0x39) v = v * 10 + b[i++] - 0x30;
        const digits = i - first;
        // JSON allows no leading zero; an index past 2^31 is no frame of any file.
        if (digits === 0 || digits > 10 || v > 0x7fffffff || (digits > 1 && b[first] === 0x30)) return null;
        frames.push(v);
        i = skipSpace(b, i);
        if (b[i] === COMMA) {
          i = skipSpace(b, i + 1);
          continue;
        }
        if (b[i] !== CLOSE_BRACKET) return null;
        i++;
        break;
      }
    }
    i = skipSpace(b, i);
    if (b[i] === COMMA) {
      i++;
      continue;
    }
    if (b[i] !== CLOSE_BRACKET) return null;
    start.push(frames.n);
    return { samples: { frames: frames.view(), start: start.view() }, end: i + 1 };
  }
}

/** Whether the value opened at `at` follows a colon: it is a key's value, not an array's element. */
function afterColon(b: Uint8Array, at: number): boolean {
  let j = at - 1;
  while (j >= 0 && isSpace(b[j])) j--;
  return b[j] === COLON;
}

const sameBytes = (b: Uint8Array, from: number, to: number, word: number[]) =>
  to - from === word.length && word.every((c, k) => b[from + k] === c);

/**
 * Finds `profiles[i].samples` of the top-level object by walking the file's structure (strings
 * skipped, depth counted), and cuts each out. Null when the file is not laid out so (not an
 * object, UTF-16, a key at those levels written with escapes, a profile with two `samples`) or a
 * `samples` array holds anything but arrays of integers: JSON.parse then reads it all.
 */
export function splitSamples(b: Uint8Array): SplitFile | null {
  if (b[0] === 0xff || b[0] === 0xfe) return null;
  const samples = new Map<number, PackedSamples>();
  const kept: Uint8Array[] = [];
  let keptFrom = 0,
    keptBytes = 0;
  /** Depth of open objects and arrays; the key before the value open at depths 1 and 3. */
  let depth = 0;
  let inProfiles = false,
    profilesSeen = false,
    profile = -1;
  let keyFrom = -1,
    keyTo = -1,
    keyEscaped = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    // Only objects in the profiles list, so that the n-th opened is JSON's profiles[n].
    if (depth === 2 && inProfiles && !(isSpace(c) || c === COMMA || c === OPEN_BRACE || c === CLOSE_BRACKET))
      return null;
    if (c === QUOTE) {
      const from = i + 1;
      let escaped = false;
      for (i = from; i < b.length && b[i] !== QUOTE; i++) {
        if (b[i] === BACKSLASH) {
          escaped = true;
          i++;
        }
      }
      keyFrom = from;
      keyTo = i;
      keyEscaped = escaped;
      continue;
    }
    if (c === COLON) {
      if ((depth === 1 || (depth === 3 && inProfiles)) && keyEscaped) return null;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 0 && c !== OPEN_BRACE) return null;
      if (depth === 1) {
        inProfiles = c === OPEN_BRACKET && sameBytes(b, keyFrom, keyTo, PROFILES);
        if (inProfiles && profilesSeen) return null;
        profilesSeen ||= inProfiles;
      }
      if (depth === 2 && inProfiles && c === OPEN_BRACE) profile++;
      if (
        depth === 3 &&
        inProfiles &&
        c === OPEN_BRACKET &&
        afterColon(b, i) &&
        sameBytes(b, keyFrom, keyTo, SAMPLES)
      ) {
        if (samples.has(profile)) return null;
        const read = readSamples(b, i);
        if (!read) return null;
        samples.set(profile, read.samples);
        kept.push(b.subarray(keptFrom, i + 1));
        keptBytes += i + 1 - keptFrom;
        keptFrom = read.end - 1;
        i = read.end - 1;
        continue;
      }
      depth++;
      keyFrom = keyTo = -1;
      continue;
    }
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 1) inProfiles = false;
    }
  }
  if (samples.size === 0) return null;
  kept.push(b.subarray(keptFrom));
  keptBytes += b.length - keptFrom;
  const rest = new Uint8Array(keptBytes);
  let at = 0;
  for (const piece of kept) {
    rest.set(piece, at);
    at += piece.length;
  }
  return { rest, samples };
}
