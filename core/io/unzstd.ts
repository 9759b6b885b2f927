import { Decompress } from 'fzstd';
import { ProfileError } from '../model/profile';
import type { GunzipLimits } from './gunzip';

/** Compressed bytes enter the decompressor in pieces this small, so the limits are checked often. */
const PIECE = 4 * 1024;

const MiB = 1024 * 1024;

/**
 * Decompresses zstd data, stopping as soon as the output passes `limits` (as gzip is stopped):
 * through the platform's DecompressionStream where it knows zstd, else through fzstd.
 */
export async function unzstd(compressed: Uint8Array, limits: GunzipLimits): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  let bytesIn = 0,
    bytesOut = 0;
  const take = (chunk: Uint8Array) => {
    bytesOut += chunk.length;
    if (bytesOut > limits.maxBytes) {
      throw new ProfileError(
        `the zstd data decompresses to more than ${limits.maxBytes / MiB} MiB, more than can be read here`,
      );
    }
    if (bytesOut > limits.ratioAfter && bytesOut > limits.maxRatio * bytesIn) {
      throw new ProfileError(`the zstd data expands more than ${limits.maxRatio}-fold: a bomb, not a profile`);
    }
    out.push(chunk);
  };
  const platform = platformZstd();
  if (platform) {
    const writer = platform.writable.getWriter();
    const feeding = (async () => {
      for (let at = 0; at < compressed.length; at += PIECE) {
        bytesIn = Math.min(compressed.length, at + PIECE);
        await writer.write(compressed.slice(at, at + PIECE));
      }
      await writer.close();
    })();
    const reader = platform.readable.getReader();
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) take(r.value);
      await feeding;
    } catch (e) {
      await reader.cancel().catch(() => undefined);
      await writer.abort().catch(() => undefined);
      await feeding.catch(() => undefined);
      throw e instanceof ProfileError ? e : new ProfileError(`the zstd data is damaged: ${String(e)}`);
    }
  } else {
    try {
      const d = new Decompress((chunk) => take(chunk));
      for (let at = 0; at < compressed.length; at += PIECE) {
        bytesIn = Math.min(compressed.length, at + PIECE);
        d.push(compressed.subarray(at, at + PIECE), at + PIECE >= compressed.length);
      }
    } catch (e) {
      throw e instanceof ProfileError ? e : new ProfileError(`the zstd data is damaged: ${String(e)}`);
    }
  }
  const whole = new Uint8Array(bytesOut);
  let at = 0;
  for (const chunk of out) {
    whole.set(chunk, at);
    at += chunk.length;
  }
  return whole;
}

function platformZstd(): ReadableWritablePair<Uint8Array, Uint8Array> | null {
  try {
    return new DecompressionStream('zstd' as CompressionFormat) as unknown as ReadableWritablePair<
      Uint8Array,
      Uint8Array
    >;
  } catch {
    return null;
  }
}
