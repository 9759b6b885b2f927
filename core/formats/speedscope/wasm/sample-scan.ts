/**
 * The inner loop of reading speedscope samples from bytes, in AssemblyScript for WebAssembly: the
 * elements of a `samples` array written as samplers write them, arrays of plain non-negative
 * integers, become one column of frame indices and one of lengths, without a call into JavaScript
 * per byte. It stops at what it does not read (the array's end, another kind of element, the bytes
 * ending inside an element) and says where; `core/formats/speedscope/sample-scanner.ts` is the
 * caller, and `SampleTrie.bytes` reads, by the same rules, what this leaves.
 *
 * Built into `core/formats/speedscope/sample-scan-wasm.ts` by `npm run wasm`.
 */

const SPACE: u8 = 32;
const LF: u8 = 10;
const CR: u8 = 13;
const TAB: u8 = 9;
const COMMA: u8 = 44;
const OPEN_BRACKET: u8 = 91;
const CLOSE_BRACKET: u8 = 93;
const ZERO: u8 = 48;
const MAX_INDEX: u64 = 0x7fffffff;

/** Why a scan stopped: at `stoppedAt` is something other than an element read here: the array's end, another element. */
export const OTHER: i32 = 0;
/** The bytes end inside the element at `stoppedAt`. */
export const ENDED: i32 = 1;
/** The output columns are full: take them and scan on from `stoppedAt`. */
export const FULL: i32 = 2;

const OUT_INDICES: i32 = 1 << 18;
const OUT_SAMPLES: i32 = 1 << 14;

let input: usize = 0;
let inputCapacity: usize = 0;
/** Per sample read: its frame indices, one sample's after another's, and how many it has. */
export let outIndices: usize = 0;
export let outLengths: usize = 0;
export let indexCount: i32 = 0;
export let sampleCount: i32 = 0;
/** Where the scan stopped, from the start of the input. */
export let stoppedAt: i32 = 0;

export function init(): void {
  outIndices = heap.alloc(<usize>OUT_INDICES << 2);
  outLengths = heap.alloc(<usize>OUT_SAMPLES << 2);
}

/** Room for `size` bytes of input; returns where to write them. */
export function reserveInput(size: usize): usize {
  if (size > inputCapacity) {
    inputCapacity = max(size, inputCapacity << 1);
    input = input ? heap.realloc(input, inputCapacity) : heap.alloc(inputCapacity);
  }
  return input;
}

// @ts-ignore: decorator
@inline function isSeparator(c: u8): bool {
  return c == SPACE || c == LF || c == CR || c == TAB || c == COMMA;
}

// @ts-ignore: decorator
@inline function isSpace(c: u8): bool {
  return c == SPACE || c == LF || c == CR || c == TAB;
}

/** Reads the elements of the input's bytes `[0, length)`, and the spaces and commas between them, from `from` on. */
export function scan(from: i32, length: i32): i32 {
  indexCount = 0;
  sampleCount = 0;
  const end = input + <usize>length;
  let i = input + <usize>from;
  for (;;) {
    while (i < end && isSeparator(load<u8>(i))) i++;
    stoppedAt = <i32>(i - input);
    if (i >= end) break;
    if (load<u8>(i) != OPEN_BRACKET) return OTHER;
    if (sampleCount == OUT_SAMPLES) return FULL;
    let at = outIndices + (<usize>indexCount << 2);
    const first = at;
    const room = outIndices + (<usize>OUT_INDICES << 2);
    i++;
    while (i < end && isSpace(load<u8>(i))) i++;
    if (i >= end) return ENDED;
    if (load<u8>(i) != CLOSE_BRACKET) {
      for (;;) {
        const digitsFrom = i;
        let v: u64 = 0;
        while (i < end) {
          const d = <u32>load<u8>(i) - <u32>ZERO;
          if (d > 9) break;
          v = v * 10 + <u64>d;
          i++;
        }
        const digits = i - digitsFrom;
        while (i < end && isSpace(load<u8>(i))) i++;
        if (i >= end) return ENDED;
        // JSON allows no leading zero; an index past 2^31 is no frame of any file.
        if (digits == 0 || digits > 10 || v > MAX_INDEX || (digits > 1 && load<u8>(digitsFrom) == ZERO)) return OTHER;
        if (at == room) return sampleCount > 0 ? FULL : OTHER;
        store<i32>(at, <i32>v);
        at += 4;
        const c = load<u8>(i);
        if (c == COMMA) {
          i++;
          while (i < end && isSpace(load<u8>(i))) i++;
          continue;
        }
        if (c != CLOSE_BRACKET) return OTHER;
        break;
      }
    }
    i++;
    const n = <i32>((at - first) >> 2);
    store<i32>(outLengths + (<usize>sampleCount << 2), n);
    sampleCount++;
    indexCount += n;
  }
  return ENDED;
}
