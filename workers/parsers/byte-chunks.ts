/**
 * Reads a byte stream chunk by chunk. A file's stream is read into two buffers in turn (a BYOB
 * reader), the next read under way while the caller uses a chunk: a new buffer for each chunk,
 * as a default reader makes, is new memory, and touching new memory costs more than copying the
 * bytes into it. A stream that is not a byte stream is read with a default reader.
 */
export interface ByteChunks {
  /** The next chunk, or undefined at the end. It is valid until `next` is called again. */
  next(): Promise<Uint8Array | undefined>;
  cancel(reason?: unknown): Promise<void>;
}

/** Large enough that a read takes all the browser has ready; small enough to stay in the cache. */
const BUFFER_BYTES = 1 << 20;

export function byteChunks(stream: ReadableStream<Uint8Array>): ByteChunks {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    return defaultChunks(stream.getReader());
  }
  let spare = new ArrayBuffer(BUFFER_BYTES);
  let reading = byob.read(new Uint8Array(BUFFER_BYTES));
  let done = false;
  return {
    async next() {
      if (done) return undefined;
      const r = await reading;
      if (r.done) {
        done = true;
        return undefined;
      }
      reading = byob.read(new Uint8Array(spare));
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
