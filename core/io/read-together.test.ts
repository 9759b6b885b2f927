import { describe, expect, it } from 'vitest';
import { readTogether } from './read-together';

const blobOf = (n: number, seed: number) =>
  new Blob([Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)]);

describe('blobs read together', () => {
  it('give each blob its own bytes, a large one left to be read alone', async () => {
    const blobs = [blobOf(10, 1), blobOf(0, 2), blobOf(70_000, 3), blobOf(2 << 20, 4), blobOf(5, 5)];
    const read = await readTogether(blobs);
    expect(read[3]).toBe(blobs[3]);
    for (const i of [0, 1, 2, 4]) {
      expect(read[i]).toBeInstanceOf(Uint8Array);
      expect(read[i]).toEqual(new Uint8Array(await blobs[i].arrayBuffer()));
    }
  });

  it('are each left to be read alone when the bytes read together are not what their sizes say', async () => {
    const broken = blobOf(4, 0);
    Object.defineProperty(broken, 'size', { value: 8 });
    const blobs = [blobOf(10, 1), broken];
    const read = await readTogether(blobs);
    expect(read).toEqual(blobs);
    expect(read[0]).toBe(blobs[0]);
  });
});
