/**
 * The inner loop of reading plain folded stacks (`frame;…;frame COUNT`), in AssemblyScript for
 * WebAssembly: lines and frames are found sixteen bytes at a time and frames are looked up by their
 * bytes, so a file's lines become columns of frame ids without a string or a call into JavaScript
 * per frame. A frame not seen before gets the next label index; the caller names each new label
 * and gives it its frame id, and `translate` turns the label indices of the lines read into those
 * ids. Whatever needs a decision (a line to read as text, a limit passed) stops the scan and is
 * told to the caller, which goes on with `next`. `core/formats/stacks/folded-bytes.ts` is the caller
 * and holds the rules' reasons.
 *
 * Built into `core/formats/stacks/folded-scan-wasm.ts` by `npm run wasm`.
 */

const LF: u8 = 10;
const CR: u8 = 13;
const TAB: u8 = 9;
const SPACE: u8 = 32;
const DOT: u8 = 46;
const SEMICOLON: u8 = 59;
const OPEN_PAREN: u8 = 40;
const ZERO: u8 = 48;
const FNV_OFFSET: i32 = <i32>0x811c9dc5;
const FNV_PRIME: i32 = 0x01000193;
/** Loads of sixteen bytes may reach this far past the end of the scanned bytes. */
const SLACK: usize = 16;

/** Why a scan stopped. */
export const DONE: i32 = 0;
/** The output columns are full: take them, then `next`. */
export const FULL: i32 = 1;
/** Line `lineStart..lineEnd` is to be read as text (a frame in it not seen before is not ASCII, for one). */
export const TEXT: i32 = 2;
/** The line holds more frames than allowed. */
export const DEEP: i32 = 3;
/** Frame `frameFrom..frameTo` is longer than allowed in bytes. */
export const LONG_FRAME: i32 = 4;

const COLON: u8 = 58;
/** A slot of a table of byte strings: hash, index (-1 where empty), place in the arena, length. */
const SLOT_BYTES: usize = 16;

const OUT_IDS: i32 = 1 << 18;
/**
 * The memory is grown at the start to this many bytes per byte of the file expected (at most
 * MAX_RESERVED): each later growth costs a call into the host and, there, a garbage collection.
 * Pages not yet written cost nothing.
 */
const RESERVED_PER_BYTE: f64 = 2;
const MAX_RESERVED: f64 = 1073741824;
/** The table of labels starts with room for one label per this many bytes of the file expected. */
const BYTES_PER_LABEL: f64 = 512;
const MAX_START_LABELS: i32 = 1 << 20;
/**
 * The label columns start with room for one label per this many bytes, and the arena with room
 * for all the file's bytes (distinct labels cannot hold more), each at most so many: unlike the
 * table, which is filled when made, they cost only the pages written, while growing one copies it.
 */
const BYTES_PER_COLUMN_LABEL: f64 = 128;
const MAX_COLUMN_LABELS: i32 = 1 << 21;
const MAX_START_ARENA: f64 = 268435456;
const OUT_LINES: i32 = 1 << 14;

let maxFrames: i32 = 0;
let maxFrameBytes: i32 = 0;
let longLineBytes: i32 = 0;
let maxCountDigits: i32 = 0;
/** Whether a line whose first frame may be a thread or a process (py-spy's) is read as text. */
let rootFramesAsText = false;

let input: usize = 0;
let inputCapacity: usize = 0;
/** Where the caller writes a label for `knownLabel`, apart from the input, which a stopped scan still reads. */
let labelInput: usize = 0;
let labelInputCapacity: usize = 0;

/** The labels of the frames seen, their bytes one after another. */
export let arena: usize = 0;
let arenaUsed: usize = 0;
let arenaCapacity: usize = 0;
/** Per label, in the order seen: where it is in the arena, its length and its frame id (the caller's). */
export let labelAt: usize = 0;
export let labelLength: usize = 0;
export let labelId: usize = 0;
/**
 * Per label, its parts read as `file:name:line` (the caller's `splitColonFrame`): the file is the
 * label's first `labelFileEnd` bytes, the name `[labelNameAt, labelNameEnd)`, each with its part
 * index (one per distinct text); the line, or -1.
 */
export let labelFile: usize = 0;
export let labelFileEnd: usize = 0;
export let labelName: usize = 0;
export let labelNameAt: usize = 0;
export let labelNameEnd: usize = 0;
export let labelLine: usize = 0;
export let labels: i32 = 0;
let labelCapacity: i32 = 0;
/** Labels by their bytes: a table of SLOT_BYTES slots (see `findIn`), kept at most half full. */
let slots: usize = 0;
let slotCount: i32 = 0;
/** The distinct files and names of the labels, by their bytes, in a table like the labels'. */
export let parts: i32 = 0;
let partSlots: usize = 0;
let partSlotCount: i32 = 0;

/** The lines read: their label indices (frame ids after `translate`), one line after another, and each line's count of frames and weight. */
export let outIds: usize = 0;
export let outLengths: usize = 0;
export let outWeights: usize = 0;
export let outIdCount: i32 = 0;
/** Per frame of the line being read, where it ends and its hash (see `frames`). */
let frameEnds: usize = 0;
let frameHashes: usize = 0;
/** Where the reads that bring a line's slots and labels into the cache go, so that they are kept. */
let lookupSink: i32 = 0;
export let outLines: i32 = 0;

let pos: usize = 0;
let regionEnd: usize = 0;
/** Lines taken since `scan`, the one a stop is about included. */
export let lineCount: i32 = 0;
export let lineStart: usize = 0;
export let lineEnd: usize = 0;
export let frameFrom: usize = 0;
export let frameTo: usize = 0;

export function init(stackFrames: i32, frameBytes: i32, lineBytes: i32, countDigits: i32, expectedBytes: f64): void {
  const pages = <i32>(min(expectedBytes * RESERVED_PER_BYTE, MAX_RESERVED) / 65536);
  // Where the memory cannot grow that far now, it grows as it fills, as it would have anyway.
  if (pages > memory.size()) memory.grow(pages - memory.size());
  maxFrames = stackFrames;
  maxFrameBytes = frameBytes;
  longLineBytes = lineBytes;
  maxCountDigits = countDigits;
  outIds = heap.alloc(<usize>OUT_IDS << 2);
  outLengths = heap.alloc(<usize>OUT_LINES << 2);
  outWeights = heap.alloc(<usize>OUT_LINES << 3);
  frameEnds = heap.alloc(<usize>stackFrames << 2);
  frameHashes = heap.alloc(<usize>stackFrames << 2);
  const tableLabels = max(256, nextPowerOfTwo(<i32>min(expectedBytes / BYTES_PER_LABEL, <f64>MAX_START_LABELS)));
  labelCapacity = max(tableLabels, nextPowerOfTwo(<i32>min(expectedBytes / BYTES_PER_COLUMN_LABEL, <f64>MAX_COLUMN_LABELS)));
  arenaCapacity = max(1 << 16, <usize>min(expectedBytes, MAX_START_ARENA));
  arena = heap.alloc(arenaCapacity);
  labelAt = heap.alloc(<usize>labelCapacity << 2);
  labelLength = heap.alloc(<usize>labelCapacity << 2);
  labelId = heap.alloc(<usize>labelCapacity << 2);
  labelFile = heap.alloc(<usize>labelCapacity << 2);
  labelFileEnd = heap.alloc(<usize>labelCapacity << 2);
  labelName = heap.alloc(<usize>labelCapacity << 2);
  labelNameAt = heap.alloc(<usize>labelCapacity << 2);
  labelNameEnd = heap.alloc(<usize>labelCapacity << 2);
  labelLine = heap.alloc(<usize>labelCapacity << 3);
  slotCount = max(1024, tableLabels << 1);
  slots = emptyTable(slotCount);
  partSlotCount = 1024;
  partSlots = emptyTable(partSlotCount);
}

function nextPowerOfTwo(n: i32): i32 {
  return n <= 1 ? 1 : 1 << (32 - clz(n - 1));
}

function emptyTable(count: i32): usize {
  const table = heap.alloc(<usize>count * SLOT_BYTES);
  memory.fill(table, 0xff, <usize>count * SLOT_BYTES);
  return table;
}

/**
 * Lines whose first frame may name a thread or a process (`thread (`, `Thread `, `tid:`,
 * `process `, any case) are to be read as text, where the frames they start with are told apart.
 */
export function readRootFramesAsText(): void {
  rootFramesAsText = true;
}

/** Whether the `n` bytes at `s` start with the ASCII `prefix`, its letters in any case when `anyCase`. */
function startsWith(s: usize, n: usize, prefix: string, anyCase: bool): bool {
  const m = <usize>prefix.length;
  if (n < m) return false;
  for (let i: usize = 0; i < m; i++) {
    let c = <u32>load<u8>(s + i);
    const p = <u32>prefix.charCodeAt(<i32>i);
    if (anyCase && c >= 65 && c <= 90) c += 32;
    if (c != p) return false;
  }
  return true;
}

// @ts-ignore: decorator
@inline function mayBeRootFrame(s: usize, n: usize): bool {
  return startsWith(s, n, 'thread (', false) || startsWith(s, n, 'Thread ', false) || startsWith(s, n, 'tid:', false) || startsWith(s, n, 'process ', true);
}

/** Where `size` bytes to scan go; the bytes already there are kept. */
export function reserveInput(size: usize): usize {
  if (size + SLACK > inputCapacity) {
    inputCapacity = max(size + SLACK, inputCapacity << 1);
    input = input ? heap.realloc(input, inputCapacity) : heap.alloc(inputCapacity);
  }
  return input;
}

/**
 * A hash of the label `[s, e)` from its length and a few of its 4-byte groups: frames share long
 * starts (their paths), so the groups are taken mostly from the end.
 */
// @ts-ignore: decorator
@inline function hashOf(s: usize, e: usize): i32 {
  const n = <i32>(e - s);
  let h = (FNV_OFFSET ^ n) * FNV_PRIME;
  if (n < 4) {
    for (let i = s; i < e; i++) h = (h ^ <i32>load<u8>(i)) * FNV_PRIME;
  } else {
    h = (h ^ load<i32>(e - 4)) * FNV_PRIME;
    h = (h ^ load<i32>(s + <usize>((n - 4) >> 1))) * FNV_PRIME;
    if (n >= 8) h = (h ^ load<i32>(e - 8)) * FNV_PRIME;
    if (n >= 12) h = (h ^ load<i32>(e - 12)) * FNV_PRIME;
  }
  return h ^ (h >>> 16);
}

/** The first byte `c` in `[i, end)`, or `end`; reads up to SLACK bytes past `end`. */
// @ts-ignore: decorator
@inline function byteAt(i: usize, end: usize, c: u8): usize {
  const wanted = i8x16.splat(c);
  for (; i < end; i += 16) {
    const found = i8x16.bitmask(i8x16.eq(v128.load(i), wanted));
    if (found) return min(i + <usize>ctz(found), end);
  }
  return end;
}

/** Whether the `n` bytes at `a` and at `b` are the same; reads none past either. */
function same(a: usize, b: usize, n: usize): bool {
  if (n >= 16) {
    let i: usize = 0;
    for (; i + 16 <= n; i += 16) if (v128.any_true(v128.xor(v128.load(a + i), v128.load(b + i)))) return false;
    return i == n || !v128.any_true(v128.xor(v128.load(a + n - 16), v128.load(b + n - 16)));
  }
  if (n >= 8) return load<u64>(a) == load<u64>(b) && load<u64>(a + n - 8) == load<u64>(b + n - 8);
  if (n >= 4) return load<u32>(a) == load<u32>(b) && load<u32>(a + n - 4) == load<u32>(b + n - 4);
  for (let i: usize = 0; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

/**
 * The index of the string `[s, s + n)`, whose hash is `h`, in a table of `count` slots, or -1. A
 * slot holds what the lookup compares (hash, length, where the bytes are), so a miss reads one slot.
 */
function findIn(table: usize, count: i32, s: usize, n: i32, h: i32): i32 {
  const mask = count - 1;
  let at = h & mask;
  for (let k = load<i32>(table + <usize>at * SLOT_BYTES, 4); k >= 0; k = load<i32>(table + <usize>at * SLOT_BYTES, 4)) {
    const slot = table + <usize>at * SLOT_BYTES;
    if (load<i32>(slot) == h && load<i32>(slot, 12) == n && same(arena + <usize>load<i32>(slot, 8), s, <usize>n)) return k;
    at = (at + 1) & mask;
  }
  return -1;
}

/** Puts string `k` (hash `h`, `n` bytes at `at` in the arena) in the first empty slot from its own. */
function placeIn(table: usize, count: i32, h: i32, k: i32, at: i32, n: i32): void {
  const mask = count - 1;
  let i = h & mask;
  while (load<i32>(table + <usize>i * SLOT_BYTES, 4) >= 0) i = (i + 1) & mask;
  const slot = table + <usize>i * SLOT_BYTES;
  store<i32>(slot, h);
  store<i32>(slot, k, 4);
  store<i32>(slot, at, 8);
  store<i32>(slot, n, 12);
}

/** The table of `count` slots, doubled. */
function doubled(table: usize, count: i32): usize {
  const bigger = emptyTable(count << 1);
  for (let i = 0; i < count; i++) {
    const slot = table + <usize>i * SLOT_BYTES;
    if (load<i32>(slot, 4) >= 0) placeIn(bigger, count << 1, load<i32>(slot), load<i32>(slot, 4), load<i32>(slot, 8), load<i32>(slot, 12));
  }
  heap.free(table);
  return bigger;
}

/** Whether the bytes `[s, e)` are all ASCII. */
function isAscii(s: usize, e: usize): bool {
  let high: u8 = 0;
  for (let i = s; i < e; i++) high |= load<u8>(i);
  return high < 0x80;
}

/** Keeps the label `[s, e)`, whose hash is `h`, as the next label index, with its parts. */
function addLabel(s: usize, e: usize, h: i32): i32 {
  const n = e - s;
  if (arenaUsed + n > arenaCapacity) {
    arenaCapacity = max(arenaCapacity << 1, arenaUsed + n);
    arena = heap.realloc(arena, arenaCapacity);
  }
  memory.copy(arena + arenaUsed, s, n);
  if (labels == labelCapacity) {
    labelCapacity <<= 1;
    labelAt = heap.realloc(labelAt, <usize>labelCapacity << 2);
    labelLength = heap.realloc(labelLength, <usize>labelCapacity << 2);
    labelId = heap.realloc(labelId, <usize>labelCapacity << 2);
    labelFile = heap.realloc(labelFile, <usize>labelCapacity << 2);
    labelFileEnd = heap.realloc(labelFileEnd, <usize>labelCapacity << 2);
    labelName = heap.realloc(labelName, <usize>labelCapacity << 2);
    labelNameAt = heap.realloc(labelNameAt, <usize>labelCapacity << 2);
    labelNameEnd = heap.realloc(labelNameEnd, <usize>labelCapacity << 2);
    labelLine = heap.realloc(labelLine, <usize>labelCapacity << 3);
  }
  const k = labels++, kk = <usize>k << 2, at = <i32>arenaUsed;
  store<i32>(labelAt + kk, at);
  store<i32>(labelLength + kk, <i32>n);
  arenaUsed += n;
  if (2 * labels > slotCount) {
    slots = doubled(slots, slotCount);
    slotCount <<= 1;
  }
  placeIn(slots, slotCount, h, k, at, <i32>n);
  splitLabel(k, at, <i32>n);
  return k;
}

/**
 * Reads label `k`, the `n` bytes at `at` in the arena, as `file:name:line` or `file:name` from the
 * right, as `splitColonFrame` does: no colon, a name; digits after the last colon, a line.
 */
function splitLabel(k: i32, at: i32, n: i32): void {
  const s = arena + <usize>at;
  let last = n - 1;
  while (last >= 0 && load<u8>(s + <usize>last) != COLON) last--;
  let fileEnd = 0, nameAt = 0, nameEnd = n, line: f64 = -1;
  if (last >= 0) {
    let digits = last + 1 < n;
    for (let i = last + 1; i < n && digits; i++) digits = isDigit(load<u8>(s + <usize>i));
    if (digits) {
      line = 0;
      for (let i = last + 1; i < n; i++) line = line * 10 + <f64>(load<u8>(s + <usize>i) - ZERO);
      let prev = last - 1;
      while (prev >= 0 && load<u8>(s + <usize>prev) != COLON) prev--;
      nameEnd = last;
      if (prev >= 0) {
        fileEnd = prev;
        nameAt = prev + 1;
      }
    } else {
      fileEnd = last;
      nameAt = last + 1;
    }
  }
  const kk = <usize>k << 2;
  store<i32>(labelFile + kk, partOf(at, fileEnd));
  store<i32>(labelFileEnd + kk, fileEnd);
  store<i32>(labelName + kk, partOf(at + nameAt, nameEnd - nameAt));
  store<i32>(labelNameAt + kk, nameAt);
  store<i32>(labelNameEnd + kk, nameEnd);
  store<f64>(labelLine + (<usize>k << 3), line);
}

/** The part index of the `n` bytes at `at` in the arena, a new one the first time those bytes are seen. */
function partOf(at: i32, n: i32): i32 {
  const s = arena + <usize>at, h = hashOf(s, s + <usize>n);
  const found = findIn(partSlots, partSlotCount, s, n, h);
  if (found >= 0) return found;
  const k = parts++;
  if (2 * parts > partSlotCount) {
    partSlots = doubled(partSlots, partSlotCount);
    partSlotCount <<= 1;
  }
  placeIn(partSlots, partSlotCount, h, k, at, n);
  return k;
}

/** Where the `size` bytes of a label for `knownLabel` go. */
export function reserveLabel(size: usize): usize {
  if (size + SLACK > labelInputCapacity) {
    labelInputCapacity = max(size + SLACK, labelInputCapacity << 1);
    if (labelInput) heap.free(labelInput);
    labelInput = heap.alloc(labelInputCapacity);
  }
  return labelInput;
}

/**
 * The label index of `[start, end)`, a label the caller already has a frame for, made if the
 * scanner has not seen it (the caller then sets its `labelId`).
 */
export function knownLabel(start: usize, end: usize): i32 {
  const h = hashOf(start, end), k = findIn(slots, slotCount, start, <i32>(end - start), h);
  return k >= 0 ? k : addLabel(start, end, h);
}

/** Turns the label indices of the lines read into the frame ids the caller has set in `labelId`. */
export function translate(): void {
  for (let p = outIds, end = outIds + (<usize>outIdCount << 2); p < end; p += 4) store<i32>(p, load<i32>(labelId + (<usize>load<i32>(p) << 2)));
}

// @ts-ignore: decorator
@inline function isDigit(c: u8): bool {
  return <u8>(c - ZERO) <= 9;
}

// @ts-ignore: decorator
@inline function isSpace(c: u8): bool {
  return c == SPACE || (c >= TAB && c <= CR);
}

/** Reads the lines of `[start, end)`, which ends with a line feed; the output columns start empty. */
export function scan(start: usize, end: usize): i32 {
  pos = start;
  regionEnd = end;
  lineCount = 0;
  emptied();
  return next();
}

/** The output columns were taken. */
export function emptied(): void {
  outIdCount = 0;
  outLines = 0;
}

/** Goes on with the line after the one the last stop was about. */
export function next(): i32 {
  while (pos < regionEnd) {
    if (outIdCount + maxFrames > OUT_IDS || outLines == OUT_LINES) return FULL;
    const s = pos;
    lineStart = s;
    lineEnd = byteAt(s, regionEnd, LF);
    pos = lineEnd + 1;
    lineCount++;
    const e = lineEnd > s && load<u8>(lineEnd - 1) == CR ? lineEnd - 1 : lineEnd;
    if (e == s) continue;
    const first = load<u8>(s);
    if (first <= SPACE || first == OPEN_PAREN || <i32>(lineEnd - s) > longLineBytes) return TEXT;
    let i = e;
    while (i > s && isDigit(load<u8>(i - 1))) i--;
    const countStart = i;
    if (countStart == e || <i32>(e - countStart) > maxCountDigits || countStart == s || load<u8>(countStart - 1) == DOT) return TEXT;
    while (i > s && isSpace(load<u8>(i - 1))) i--;
    if (i == countStart || i == s) return TEXT;
    const stackEnd = i;
    if (rootFramesAsText && mayBeRootFrame(s, stackEnd - s)) return TEXT;
    let weight: f64 = 0;
    for (let k = countStart; k < e; k++) weight = weight * 10 + <f64>(load<u8>(k) - ZERO);
    if (<i32>(stackEnd - s) >= maxFrames) {
      let count = 1;
      for (let k = byteAt(s, stackEnd, SEMICOLON); k < stackEnd && count <= maxFrames; k = byteAt(k + 1, stackEnd, SEMICOLON)) count++;
      if (count > maxFrames) return DEEP;
    }
    const stop = frames(s, stackEnd, weight);
    if (stop != DONE) return stop;
  }
  return DONE;
}

/**
 * Reads the frames of the stack `[from, stackEnd)` and adds it with `weight`, once all are known.
 * Each frame's slot in the table, and the bytes of the label there, are read once for all the
 * line's frames before any is looked up: those reads miss the cache for most frames of a file of
 * many labels, and read this way, independently of each other, the misses overlap instead of
 * coming one after another.
 */
function frames(from: usize, stackEnd: usize, weight: f64): i32 {
  let count = 0;
  for (let f = from; ; ) {
    const to = byteAt(f, stackEnd, SEMICOLON),
      at = <usize>count << 2;
    store<i32>(frameEnds + at, <i32>to);
    count++;
    if (<i32>(to - f) > maxFrameBytes) break;
    store<i32>(frameHashes + at, hashOf(f, to));
    if (to == stackEnd) break;
    f = to + 1;
  }
  const mask = slotCount - 1;
  let touched: i32 = 0;
  for (let i = 0; i < count; i++) touched += load<i32>(slots + <usize>(load<i32>(frameHashes + (<usize>i << 2)) & mask) * SLOT_BYTES, 8);
  for (let i = 0; i < count; i++) {
    const slot = slots + <usize>(load<i32>(frameHashes + (<usize>i << 2)) & mask) * SLOT_BYTES;
    if (load<i32>(slot, 4) >= 0) touched += <i32>load<u8>(arena + <usize>load<i32>(slot, 8));
  }
  lookupSink = touched;
  const ids = outIds + (<usize>outIdCount << 2);
  for (let i = 0; i < count; i++) {
    const to = <usize>load<i32>(frameEnds + (<usize>i << 2));
    if (<i32>(to - from) > maxFrameBytes) {
      frameFrom = from;
      frameTo = to;
      return LONG_FRAME;
    }
    const h = load<i32>(frameHashes + (<usize>i << 2));
    let k = findIn(slots, slotCount, from, <i32>(to - from), h);
    if (k < 0) {
      // Only ASCII labels are kept, so a label found is ASCII.
      if (!isAscii(from, to)) return TEXT;
      k = addLabel(from, to, h);
    }
    store<i32>(ids + (<usize>i << 2), k);
    from = to + 1;
  }
  store<i32>(outLengths + (<usize>outLines << 2), count);
  store<f64>(outWeights + (<usize>outLines << 3), weight);
  outLines++;
  outIdCount += count;
  return DONE;
}
