import type { FormatReader } from '../format-reader';
import { looksLikePprof, parsePprof } from './read-pprof';

export const pprofFormat: FormatReader = {
  name: 'pprof',
  recognizes: looksLikePprof,
  input: 'bytes',
  read: parsePprof,
};
