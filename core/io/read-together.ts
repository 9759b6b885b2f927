/** Files past this size are read alone: holding several of them at once would cost more than their reads. */
const TOGETHER_BYTES = 1 << 20;

/**
 * The bytes of each blob, the small ones read as one Blob of them all: one read through the
 * browser process and one message back instead of one each. A blob read alone, or left for its
 * reader when the read together fails (a file gone or changed, which its own read then tells), is
 * given back as it is.
 */
export async function readTogether(blobs: Blob[]): Promise<(Uint8Array<ArrayBuffer> | Blob)[]> {
  const sizes = blobs.map((b) => b.size);
  const together = blobs.filter((_, i) => sizes[i] <= TOGETHER_BYTES);
  if (together.length < 2) return blobs;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await new Blob(together).arrayBuffer());
  } catch {
    return blobs;
  }
  if (bytes.length !== together.reduce((n, b) => n + b.size, 0)) return blobs;
  let at = 0;
  return blobs.map((b, i) => {
    if (sizes[i] > TOGETHER_BYTES) return b;
    at += sizes[i];
    return bytes.subarray(at - sizes[i], at);
  });
}
