import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { STREAM_LIMITS, gunzip } from './gunzip';
import { ProfileError } from '../model/profile';
import { openProfile } from '../formats/open-profile';
import { fixturesDir } from '~/test/fixtures';

const MiB = 1024 * 1024;

/** `bytes` as a file's stream gives them, in 64 KiB chunks. */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + 65536));
      at += 65536;
    },
  });
}

/** `head` followed by `n` copies of `fill`, gzip'd: a few hundred KiB that expand a thousandfold. */
const bomb = (head: string, fill: number, n: number) =>
  gzipSync(Buffer.concat([Buffer.from(head), Buffer.alloc(n, fill)]), { level: 9 });

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for (const reader = stream.getReader(); ;) {
    const r = await reader.read();
    if (r.done) return n;
    n += r.value.length;
  }
}

describe('decompression limits', () => {
  // Decompressors read ahead of what they have inflated (Node's reads all it is given), so a bomb
  // is stopped once its output passes the ratio to the input read so far, 64 MiB at the earliest.
  const stoppedAt = (message: string) => Number(/ \((\d+(?:\.\d)?) MiB from /.exec(message)?.[1]);

  it('stops a text bomb streamed to the stack parser before it has expanded', async () => {
    const gz = bomb('a.py:f:1 1\n', 0x61, 100 * MiB);
    const error = await openProfile(new Blob([gz]), 'bomb.folded.gz').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as Error).message).toMatch(
      /^the gzip data expands more than 500-fold \(.*\): a zip bomb, not a profile$/,
    );
    expect(stoppedAt((error as Error).message)).toBeGreaterThanOrEqual(64);
    expect(stoppedAt((error as Error).message)).toBeLessThan(100);
  });

  it('stops a pstats-shaped bomb before it is held in memory', async () => {
    const gz = bomb('{', 0, 100 * MiB);
    const error = await openProfile(new Blob([gz]), 'bomb.prof.gz').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as Error).message).toMatch(
      /^the gzip data expands more than 100-fold \(.*\): a zip bomb, not a profile$/,
    );
    expect(stoppedAt((error as Error).message)).toBeLessThan(65);
  });

  it('stops at the size cap, whatever the ratio', async () => {
    const gz = readFileSync(`${fixturesDir}/pyflame/cpu-py36-flamechart-large.samp.gz`);
    const limits = { ...STREAM_LIMITS, maxBytes: MiB };
    await expect(drain(gunzip(chunked(gz), limits))).rejects.toThrow(
      new ProfileError('the gzip data decompresses to more than 1 MiB, more than can be read here'),
    );
    await expect(drain(gunzip(chunked(gz), STREAM_LIMITS))).resolves.toBe(1_261_421);
  });

  it('lets through a stack file of 77 MiB that repeats itself a hundredfold and more', async () => {
    const folded = readFileSync(`${fixturesDir}/folded/sampler-py311.folded`);
    const whole = folded.length * 12_000;
    const gz = gzipSync(Buffer.concat(new Array(12_000).fill(folded)), { level: 9 });
    expect(whole).toBeGreaterThan(STREAM_LIMITS.ratioAfter);
    expect(whole / gz.length).toBeGreaterThan(100);
    await expect(drain(gunzip(chunked(gz), STREAM_LIMITS))).resolves.toBe(whole);
  });
});
