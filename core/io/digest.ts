/** Web Crypto digests a file in one piece, so past this size a file is not hashed (nor kept in the library). */
const HASH_LIMIT = 512 * 1024 * 1024;

/**
 * The SHA-256 of a file's bytes as hex; null where it cannot be computed (too large, or no Web
 * Crypto outside HTTPS). Reading and hashing take the calling thread for a while: a file being
 * parsed is hashed in the page, a file on screen in the parser's worker.
 */
export async function sha256Hex(blob: Blob): Promise<string | null> {
  if (blob.size > HASH_LIMIT || !crypto.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
