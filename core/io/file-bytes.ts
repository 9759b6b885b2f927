import { ProfileError } from '../model/profile';
import { STREAM_LIMITS, WHOLE_FILE_LIMITS, gunzip } from './gunzip';

/** Enough of a file's start to tell its format. */
export const HEAD_BYTES = 64 * 1024;

/**
 * A file up to this size is read whole at once, never sliced, and its format told from the bytes
 * read: in Chromium each `Blob.slice` is a synchronous round trip to the browser process, which
 * cost a set of 1,000 small files more than reading them, and a second read of a 2 MB profile
 * kept its worker waiting for the browser process about as long as parsing it took. A 10 MB
 * profile read so was shown later, not sooner (bench/results.md).
 */
const READ_WHOLE_BYTES = 4 << 20;

/** The size of the pieces a file read whole is streamed in, so that progress is still told. */
const STREAM_PIECE_BYTES = 1 << 20;

/** `bytes` as a stream of pieces of it (views, not copies). */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, (at += STREAM_PIECE_BYTES)));
    },
  });
}

const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** The chunks as one array (the chunk itself when there is one). */
export function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A file's bytes with gzip undone, the one place where it is: readers see the data as the
 * profiler wrote it. `onRead` counts the file's own (compressed) bytes, the measure of the way
 * through it.
 */
export class FileBytes {
  private constructor(
    private readonly blob: Blob,
    readonly gzipped: boolean,
    /** The first bytes of the data, up to HEAD_BYTES. */
    readonly head: Uint8Array,
    /** The whole file as stored (gzip'd or not), when it was read whole to find its head. */
    private readonly whole: Uint8Array | null = null,
  ) {}

  static async of(blob: Blob): Promise<FileBytes> {
    if (blob.size === 0) throw new ProfileError('the file is empty');
    const whole = blob.size <= READ_WHOLE_BYTES ? new Uint8Array(await blob.arrayBuffer()) : null;
    const start = whole ? whole.subarray(0, HEAD_BYTES) : new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer());
    if (!isGzip(start)) return new FileBytes(blob, false, start, whole);
    return new FileBytes(
      blob,
      true,
      await firstBytes(gunzip(whole ? streamOf(whole) : blob.stream(), WHOLE_FILE_LIMITS)),
      whole,
    );
  }

  /** The file's own bytes, from those read already when it was read whole. */
  private raw(): ReadableStream<Uint8Array> {
    return this.whole ? streamOf(this.whole) : this.blob.stream();
  }

  /** The data as it arrives. A stream may be read far past what a buffer could hold, so its limits are wider. */
  stream(onRead: (bytes: number) => void = () => {}): ReadableStream<Uint8Array> {
    let read = 0;
    const counted = this.raw().pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          read += chunk.length;
          onRead(read);
          controller.enqueue(chunk);
        },
      }),
    );
    return this.gzipped ? damagedAsProfileError(gunzip(counted, STREAM_LIMITS)) : counted;
  }

  /**
   * The whole data as one buffer. A plain file is read in one piece, which copies its bytes once
   * and fast enough that progress would not be seen; gzip'd data is decompressed in chunks, and
   * its decompressed bytes are no measure of the way through the file: no progress is told.
   */
  async bytes(): Promise<Uint8Array> {
    if (!this.gzipped) return this.whole ?? new Uint8Array(await this.blob.arrayBuffer());
    const reader = gunzip(this.raw(), WHOLE_FILE_LIMITS).getReader();
    const chunks: Uint8Array[] = [];
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    } catch (e) {
      throw e instanceof ProfileError ? e : new ProfileError('the gzip data is corrupt');
    }
    return concat(chunks);
  }
}

async function firstBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < HEAD_BYTES) {
      const r = await reader.read();
      if (r.done) break;
      chunks.push(r.value);
      length += r.value.length;
    }
  } catch (e) {
    // A fault past the first bytes is the reader's to report, when it gets there.
    if (length === 0)
      throw e instanceof ProfileError ? e : new ProfileError('the file starts like gzip but does not decompress');
  } finally {
    reader.cancel().catch(() => {});
  }
  if (length === 0) throw new ProfileError('the file is empty');
  return concat(chunks).subarray(0, HEAD_BYTES);
}

/** The decompressor's own errors (a cut or corrupt stream) said as what they mean to the user. */
function damagedAsProfileError(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const r = await reader.read();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      } catch (e) {
        throw e instanceof ProfileError
          ? e
          : new ProfileError(`the gzip data is damaged: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
