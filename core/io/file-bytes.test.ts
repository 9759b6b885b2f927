import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { FileBytes, HEAD_BYTES, concat } from './file-bytes';

/** A Blob that counts how it is read. */
class CountingBlob extends Blob {
  slices = 0;
  reads = 0;
  streams = 0;
  override slice(...args: Parameters<Blob['slice']>): Blob {
    this.slices++;
    return super.slice(...args);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    this.reads++;
    return super.arrayBuffer();
  }
  override stream(): ReturnType<Blob['stream']> {
    this.streams++;
    return super.stream();
  }
}

async function streamed(file: FileBytes, read: number[]): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = file.stream((n) => read.push(n)).getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return concat(chunks);
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
    for (const n of [10, HEAD_BYTES, HEAD_BYTES + 1, 900_000, 2_100_000]) {
      const data = bytesOf(n);
      const blob = new CountingBlob([data]);
      const file = await FileBytes.of(blob);
      expect(same(file.head, data.subarray(0, HEAD_BYTES))).toBe(true);
      expect(same(await file.bytes(), data)).toBe(true);
      const read: number[] = [];
      expect(same(await streamed(file, read), data)).toBe(true);
      expect(read.at(-1)).toBe(n);
      expect([blob.slices, blob.reads, blob.streams]).toEqual([0, 1, 0]);
    }
  });

  it('undoes the gzip of a small file from the bytes read once', async () => {
    const data = bytesOf(3_000_000);
    const blob = new CountingBlob([gzipSync(data)]);
    const file = await FileBytes.of(blob);
    expect(file.gzipped).toBe(true);
    expect(same(file.head, data.subarray(0, HEAD_BYTES))).toBe(true);
    expect(same(await file.bytes(), data)).toBe(true);
    expect(same(await streamed(file, []), data)).toBe(true);
    expect([blob.slices, blob.reads, blob.streams]).toEqual([0, 1, 0]);
  });

  it('reads only the head of a large file to tell its format, then the whole file', async () => {
    const data = bytesOf(5 << 20);
    const blob = new CountingBlob([data]);
    const file = await FileBytes.of(blob);
    expect(same(file.head, data.subarray(0, HEAD_BYTES))).toBe(true);
    expect(blob.slices).toBe(1);
    expect(same(await file.bytes(), data)).toBe(true);
  });
});
