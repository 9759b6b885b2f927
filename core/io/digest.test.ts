import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixtureFiles, readBytes } from '~/test/fixtures';
import { sha256Hex } from './digest';

/** A fixture's bytes in a buffer of their own. */
const fixture = () => new Uint8Array(readBytes(fixtureFiles('pyspy', '.speedscope.json')[0]));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256Hex', () => {
  it('is the SHA-256 of the bytes, read in chunks, whatever their size', async () => {
    const file = fixture();
    const large = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 2654435761) >>> 24);
    for (const bytes of [new Uint8Array(0), new TextEncoder().encode('abc'), file, large])
      expect(await sha256Hex(new Blob([bytes])), `${bytes.length} bytes`).toBe(sha256(bytes));
  });

  it('gives the digest Web Crypto gives of the whole file, so the library knows the files it kept', async () => {
    const bytes = fixture();
    const whole = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    expect(await sha256Hex(new Blob([bytes]))).toBe(Array.from(whole, (b) => b.toString(16).padStart(2, '0')).join(''));
  });
});
