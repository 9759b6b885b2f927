import type { FormatReader } from '../format-reader';
import { parseFlamegraphHtml } from './read-flamegraph-html';
import { looksLikeTachyonPage } from './page-tree';

/** Tachyon's flame graph page (`--flamegraph`, `--diff-flamegraph`), its data read as text. */
export const tachyonHtmlFormat: FormatReader = {
  name: 'tachyon flamegraph',
  recognizes: looksLikeTachyonPage,
  input: 'bytes',
  read: parseFlamegraphHtml,
};
