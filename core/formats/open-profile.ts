import { WHOLE_FILE_LIMITS, gunzip } from '../io/gunzip';
import { ProfileError, withCalls, type Profile } from '../model/profile';
import type { PstatsReading } from './pstats/read-pstats';
import { looksLikePstats, readPstats } from './pstats/read-pstats';
import { concat, parseStackStream } from './stacks/read-stacks';

export type Progress = (done: number, total: number, phase: 'reading' | 'parsing') => void;

const GZIP = [0x1f, 0x8b];
/** Each report of progress is a message to the page and a render there: this often at most. */
const PROGRESS_INTERVAL_MS = 100;

/** `progress` at most every PROGRESS_INTERVAL_MS while reading; the end of reading and the parsing phase always. */
function throttled(progress: Progress): Progress {
  let last = -Infinity;
  return (done, total, phase) => {
    const now = performance.now();
    if (phase === 'reading' && done < total && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    progress(done, total, phase);
  };
}

/**
 * Reads a profile of any supported format from a Blob, detecting the format from its first bytes.
 * Stack formats are parsed as a stream; pstats needs the whole (decompressed) file at once.
 */
export async function openProfile(blob: Blob, fileName: string, onProgress: Progress = () => {}): Promise<Profile> {
  const opened = await readProfile(blob, fileName, onProgress);
  return 'calls' in opened ? withCalls(opened.profile, opened.calls()) : opened;
}

/** `openProfile`, but a pstats profile comes with its calls pending and what reads them (see `readPstats`). */
export async function readProfile(blob: Blob, fileName: string, onProgress: Progress = () => {}): Promise<Profile | PstatsReading> {
  if (blob.size === 0) throw new ProfileError('the file is empty');
  const progress = throttled(onProgress);
  const head = new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer());
  const gzipped = head[0] === GZIP[0] && head[1] === GZIP[1];
  const first = gzipped ? await firstDecompressedBytes(blob) : head;
  const other = knownOtherKind(first);
  if (other) throw new ProfileError(`this is ${other}, not a profile`);
  if (looksLikePstats(first)) {
    const bytes = await readAll(blob, gzipped, (n) => progress(n, blob.size, 'reading'));
    progress(blob.size, blob.size, 'parsing');
    return readPstats(bytes, fileName);
  }
  return parseStackStream(blob.stream(), fileName, (n) => progress(n, blob.size, 'reading'));
}

const signatures: [string, number[]][] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['a zip archive', [0x50, 0x4b, 0x03, 0x04]],
];

/** Enough of the start to tell a file's kind, an HTML page's leading blank lines included. */
const HEAD_BYTES = 64;
const HTML_START = /^\s*<(!doctype html|html[\s>])/i;

/**
 * Names common files that are not profiles, so the message says what was dropped: an HTML page
 * is what a server sends for an address with nothing there, or a page about the profile.
 */
function knownOtherKind(head: Uint8Array): string | undefined {
  if (head[0] === 0x7b && [0x22, 0x0a, 0x0d, 0x20, 0x09].includes(head[1])) return 'a JSON file';
  if (HTML_START.test(String.fromCharCode(...head.subarray(0, HEAD_BYTES)))) return 'an HTML page';
  return signatures.find(([, magic]) => magic.every((b, i) => head[i] === b))?.[0];
}

async function firstDecompressedBytes(blob: Blob): Promise<Uint8Array> {
  const reader = gunzip(blob.stream(), WHOLE_FILE_LIMITS).getReader();
  try {
    const { value } = await reader.read();
    return value ?? new Uint8Array();
  } catch {
    throw new ProfileError('the file starts like gzip but does not decompress');
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * The whole file as one buffer. A plain file is read in one piece, which copies its bytes once
 * and fast enough that progress would not be seen; gzip'd data is decompressed in chunks.
 */
async function readAll(blob: Blob, gzipped: boolean, onRead: (bytes: number) => void): Promise<Uint8Array> {
  if (!gzipped) {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    onRead(bytes.length);
    return bytes;
  }
  const reader = gunzip(blob.stream(), WHOLE_FILE_LIMITS).getReader();
  const chunks: Uint8Array[] = [];
  try {
    // Decompressed bytes are no measure of the way through the file: no progress is told.
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  } catch (e) {
    if (!(e instanceof ProfileError)) throw new ProfileError('the gzip data is corrupt');
    throw e;
  }
  return concat(chunks);
}
