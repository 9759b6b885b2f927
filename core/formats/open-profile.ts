import { FileBytes } from '../io/file-bytes';
import { withCalls, type Profile } from '../model/profile';
import type { Reading } from './format-reader';
import { formatOf } from './registry';

export type Progress = (done: number, total: number, phase: 'reading' | 'parsing') => void;

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

/** Reads a profile of any supported format from a Blob, the format told by its content. */
export async function openProfile(blob: Blob, fileName: string, onProgress: Progress = () => {}): Promise<Profile> {
  const opened = await readProfile(blob, fileName, onProgress);
  return 'calls' in opened ? withCalls(opened.profile, opened.calls()) : opened;
}

/** `openProfile`, but a pstats profile comes with its calls pending and what reads them (see `readPstats`). */
export async function readProfile(blob: Blob, fileName: string, onProgress: Progress = () => {}): Promise<Reading> {
  const progress = throttled(onProgress);
  const data = await FileBytes.of(blob);
  const format = formatOf(data.head);
  if (format.input === 'stream')
    return format.read(
      data.stream((n) => progress(n, blob.size, 'reading')),
      fileName,
      blob.size,
    );
  // Read in one piece: its end is the start of the parse, told once (each report is a message and a render on the page).
  const bytes = await data.bytes();
  progress(blob.size, blob.size, 'parsing');
  return format.read(bytes, fileName);
}
