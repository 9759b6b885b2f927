import type { FormatReader } from '../format-reader';
import { looksLikeTachyonJsonl, parseTachyonJsonl } from './read-jsonl';

/** Tachyon's JSON Lines (`--jsonl`): per-line sample counts, no stacks. */
export const tachyonJsonlFormat: FormatReader = {
  name: 'tachyon jsonl',
  recognizes: looksLikeTachyonJsonl,
  input: 'bytes',
  read: parseTachyonJsonl,
};
