import { createSHA256 } from 'hash-wasm';

/** Past this size a file is not hashed (nor kept in the library). */
const HASH_LIMIT = 512 * 1024 * 1024;

/** The bytes are read into one buffer of this size, again and again. */
const CHUNK_BYTES = 1 << 20;

/**
 * The SHA-256 of a file's bytes as hex; null when the file is too large. The bytes are hashed as
 * they are read, into one buffer: Web Crypto digests one buffer, so it held the whole file and a
 * copy of it at once (400 MB more for a file of 200 MB, after the file was on screen), and a
 * stream's own chunks are garbage the size of the file, collected late. Reading and hashing take
 * the calling thread for a while: a file being parsed is hashed in the page, a file on screen in
 * the parser's worker.
 */
export async function sha256Hex(blob: Blob): Promise<string | null> {
  if (blob.size > HASH_LIMIT) return null;
  const sha256 = await createSHA256();
  const stream = blob.stream();
  let reader: ReadableStreamBYOBReader;
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    // A browser whose file streams are not byte streams: their chunks, then.
    const chunks = stream.getReader();
    for (let chunk = await chunks.read(); !chunk.done; chunk = await chunks.read()) sha256.update(chunk.value);
    return sha256.digest('hex');
  }
  let buffer = new ArrayBuffer(CHUNK_BYTES);
  for (let chunk = await reader.read(new Uint8Array(buffer)); !chunk.done;) {
    sha256.update(chunk.value);
    buffer = chunk.value.buffer;
    chunk = await reader.read(new Uint8Array(buffer));
  }
  return sha256.digest('hex');
}
