import { ProfileError } from '../model/profile';

/** How far decompression may go before it is stopped as a zip bomb or as more than can be read. */
export interface GunzipLimits {
  /** The most decompressed bytes. */
  maxBytes: number;
  /** The highest ratio of decompressed to compressed bytes, once the output passes `ratioAfter`. */
  maxRatio: number;
  ratioAfter: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/**
 * Stack files are read as a stream, so only time bounds their size. Real ones compress a few
 * times to a hundred times; only data made to expand (long runs of the same bytes) passes
 * 500-fold, and it is stopped after 64 MiB.
 */
export const STREAM_LIMITS: GunzipLimits = { maxBytes: 8 * GiB, maxRatio: 500, ratioAfter: 64 * MiB };

/**
 * A pstats file is held whole in one buffer, so memory bounds it: a gigabyte is far beyond the
 * largest programs' profiles, and their dense binary numbers compress a few times, not a hundred.
 */
export const WHOLE_FILE_LIMITS: GunzipLimits = { maxBytes: GiB, maxRatio: 100, ratioAfter: 64 * MiB };

/**
 * Compressed bytes enter the decompressor in pieces this small, so that the bytes counted in are
 * close to the bytes it has used (it holds a piece or two ahead) and each piece's output is small.
 */
const PIECE = 4 * KiB;

function size(bytes: number): string {
  const [unit, name] = bytes >= GiB ? [GiB, 'GiB'] : bytes >= MiB ? [MiB, 'MiB'] : [KiB, 'KiB'];
  return `${+(bytes / unit).toFixed(1)} ${name}`;
}

/**
 * Decompresses a gzip stream, erroring it with a ProfileError as soon as the output passes the
 * limits; the error cancels the source, so nothing more is read or inflated.
 */
export function gunzip(compressed: ReadableStream<Uint8Array>, limits: GunzipLimits): ReadableStream<Uint8Array> {
  let bytesIn = 0;
  let bytesOut = 0;
  const pieces = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      for (let at = 0; at < chunk.length; at += PIECE) controller.enqueue(chunk.subarray(at, at + PIECE));
    },
  });
  const countIn = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytesIn += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const guard = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytesOut += chunk.length;
      if (bytesOut > limits.maxBytes) {
        throw new ProfileError(
          `the gzip data decompresses to more than ${size(limits.maxBytes)}, more than can be read here`,
        );
      }
      if (bytesOut > limits.ratioAfter && bytesOut > limits.maxRatio * bytesIn) {
        throw new ProfileError(
          `the gzip data expands more than ${limits.maxRatio}-fold (${size(bytesOut)} from ${size(bytesIn)}): a zip bomb, not a profile`,
        );
      }
      controller.enqueue(chunk);
    },
  });
  // Byte streams of files and fetches hold plain buffers, never shared ones, as the transform wants.
  const inflate = new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>;
  return compressed.pipeThrough(pieces).pipeThrough(countIn).pipeThrough(inflate).pipeThrough(guard);
}
