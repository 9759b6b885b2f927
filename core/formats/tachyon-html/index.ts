import type { FormatReader } from '../format-reader';
import { looksLikeTachyonPage, parseFlamegraphHtml } from './read-flamegraph-html';

/** Tachyon's flame graph page (`--flamegraph`), its data read as text. */
export const tachyonHtmlFormat: FormatReader = {
  name: 'tachyon flamegraph',
  recognizes: looksLikeTachyonPage,
  input: 'bytes',
  read: parseFlamegraphHtml,
};
