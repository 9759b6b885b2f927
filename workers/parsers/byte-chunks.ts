/**
 * Reads bytes chunk by chunk. A file is read into two buffers in turn (a BYOB reader of its
 * stream), the next read under way while the caller uses a chunk: a new buffer for each chunk,
 * as a default reader makes, is new memory, and touching new memory costs more than copying the
 * bytes into it. Any other stream is read with a default reader.
 */
export interface ByteChunks {
  /** The next chunk, or undefined at the end. It is valid until `next` is called again. */
  next(): Promise<Uint8Array | undefined>;
  cancel(reason?: unknown): Promise<void>;
}

/** Large enough that a read takes all the browser has ready; small enough to stay in the cache. */
const BUFFER_BYTES = 1 << 20;

export function byteChunks(source: Blob | ReadableStream<Uint8Array>): ByteChunks {
  if (!(source instanceof Blob)) return defaultChunks(source.getReader());
  const stream = source.stream();
  let byob: ReadableStreamBYOBReader;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    return defaultChunks(stream.getReader());
  }
  // A file's last byte ends the reading: Chromium may leave a read asked for after it unanswered
  // when the stream closes, rather than answer that the stream is done.
  let left = source.size;
  let spare = new ArrayBuffer(BUFFER_BYTES);
  let reading = left > 0 ? byob.read(new Uint8Array(BUFFER_BYTES)) : undefined;
  return {
    async next() {
      if (!reading) return undefined;
      const r = await reading;
      reading = undefined;
      if (r.done) return undefined;
      left -= r.value.length;
      if (left > 0) reading = byob.read(new Uint8Array(spare));
      else byob.cancel().catch(() => undefined);
      spare = r.value.buffer as ArrayBuffer;
      return r.value;
    },
    cancel: (reason) => byob.cancel(reason),
  };
}

function defaultChunks(reader: ReadableStreamDefaultReader<Uint8Array>): ByteChunks {
  return {
    async next() {
      const r = await reader.read();
      return r.done ? undefined : r.value;
    },
    cancel: (reason) => reader.cancel(reason),
  };
}
