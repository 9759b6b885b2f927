import type { FormatReader } from '../format-reader';
import { encodingOf } from '../stacks/read-stacks';
import { looksLikeCallgrind, parseCallgrindStream } from './read-callgrind';

/** How much of the start holds the header. */
const HEADER_BYTES = 16 * 1024;

export const callgrindFormat: FormatReader = {
  name: 'callgrind',
  recognizes: (head) =>
    encodingOf(head) === 'utf-8' && looksLikeCallgrind(new TextDecoder().decode(head.subarray(0, HEADER_BYTES))),
  input: 'stream',
  read: parseCallgrindStream,
};
