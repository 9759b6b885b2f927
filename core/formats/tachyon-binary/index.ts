import { ProfileError } from '~/core/model/profile';
import type { FormatReader } from '../format-reader';
import { looksLikeTachyonBinary, parseTachyonBinary } from './read-binary';

/** Most a recording is read into memory whole for. */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** Tachyon's binary recording (`--binary`, magic "TACH"), plain or zstd-compressed. */
export const tachyonBinaryFormat: FormatReader = {
  name: 'tachyon binary',
  recognizes: looksLikeTachyonBinary,
  input: 'stream',
  async read(stream, fileName) {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = stream.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      size += r.value.length;
      if (size > MAX_FILE_BYTES) {
        await reader.cancel();
        throw new ProfileError('the recording is larger than 1 GiB, more than can be read here');
      }
      chunks.push(r.value);
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return parseTachyonBinary(bytes, fileName);
  },
};
