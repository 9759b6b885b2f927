import type { FormatReader } from '../format-reader';
import { looksLikePstats, readPstats } from './read-pstats';

/** A JSON document starts with `{` too, followed by a quote or blank, which no marshal type code is. */
const JSON_SECOND = new Set([0x22, 0x0a, 0x0d, 0x20, 0x09]);

export const pstatsFormat: FormatReader = {
  name: 'pstats',
  recognizes: (head) => looksLikePstats(head) && !(head[0] === 0x7b && JSON_SECOND.has(head[1])),
  input: 'bytes',
  read: readPstats,
};
