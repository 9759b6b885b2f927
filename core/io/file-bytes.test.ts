import { describe, expect, it } from 'vitest';
import { FileBytes, HEAD_BYTES } from './file-bytes';

/** A Blob that counts how it is read. */
class CountingBlob extends Blob {
  slices = 0;
  reads = 0;
  override slice(...args: Parameters<Blob['slice']>): Blob {
    this.slices++;
    return super.slice(...args);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    this.reads++;
    return super.arrayBuffer();
  }
}

/** Whether two byte arrays hold the same bytes (toEqual walks megabytes one element at a time). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

const bytesOf = (n: number) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + (i >> 8)) & 0x7f;
  return out;
};

describe('FileBytes', () => {
  it('reads a small file once, whole, without slicing it: its head and its bytes are the file', async () => {
    for (const n of [10, HEAD_BYTES, HEAD_BYTES + 1, 900_000]) {
      const data = bytesOf(n);
      const blob = new CountingBlob([data]);
      const file = await FileBytes.of(blob);
      expect(same(file.head, data.subarray(0, HEAD_BYTES))).toBe(true);
      expect(same(await file.bytes(), data)).toBe(true);
      expect([blob.slices, blob.reads]).toEqual([0, 1]);
    }
  });

  it('reads only the head of a large file to tell its format, then the whole file', async () => {
    const data = bytesOf(3 << 20);
    const blob = new CountingBlob([data]);
    const file = await FileBytes.of(blob);
    expect(same(file.head, data.subarray(0, HEAD_BYTES))).toBe(true);
    expect(blob.slices).toBe(1);
    expect(same(await file.bytes(), data)).toBe(true);
  });
});
