import type { FormatReader } from '../format-reader';
import { looksLikeGecko, parseGeckoStream } from './read-gecko';

/** The Firefox Profiler's processed JSON, as Tachyon's `--gecko` writes it. */
export const geckoFormat: FormatReader = {
  name: 'gecko',
  recognizes: looksLikeGecko,
  input: 'stream',
  read: parseGeckoStream,
};
