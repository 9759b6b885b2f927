/**
 * Tachyon (`python -m profiling.sampling`, Python 3.15) writes a pstats dict with one more key,
 * `("__sampled__",)` → `True`: its numbers count samples, not calls. The key is told by its
 * bytes, before it is read as a function key.
 */

const MARKER = '__sampled__';
const FLAG_REF = 0x80;
/** Marshal's string codes with a one-byte length (short ASCII, interned or not) and with a four-byte one. */
const SHORT_STRINGS = new Set([0x7a, 0x5a]);
const LONG_STRINGS = new Set([0x75, 0x74, 0x61, 0x41]);

/** Whether the marshal value at `at` is the tuple `("__sampled__",)`. */
export function isSampledMarker(bytes: Uint8Array, at: number): boolean {
  const tuple = bytes[at] & ~FLAG_REF;
  let p: number;
  if (tuple === 0x29 && bytes[at + 1] === 1) p = at + 2;
  else if (tuple === 0x28 && u32(bytes, at + 1) === 1) p = at + 5;
  else return false;
  const code = bytes[p] & ~FLAG_REF;
  let length: number;
  if (SHORT_STRINGS.has(code)) {
    length = bytes[p + 1];
    p += 2;
  } else if (LONG_STRINGS.has(code)) {
    length = u32(bytes, p + 1);
    p += 5;
  } else {
    return false;
  }
  if (length !== MARKER.length || p + length > bytes.length) return false;
  for (let i = 0; i < length; i++) if (bytes[p + i] !== MARKER.charCodeAt(i)) return false;
  return true;
}

const u32 = (b: Uint8Array, at: number): number =>
  (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
