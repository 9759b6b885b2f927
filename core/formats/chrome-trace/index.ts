import type { FormatReader } from '../format-reader';
import { headText } from '../json/json-value';
import { parseChromeTraceStream } from './read-chrome-trace';

/** An array of objects with a `ph` phase near the start, or an object whose `traceEvents` list does. */
export const chromeTraceFormat: FormatReader = {
  name: 'Chrome trace',
  recognizes(head) {
    const text = headText(head);
    if (/^\s*\[\s*\{/.test(text)) return /"ph"\s*:\s*"/.test(text);
    return /^\s*\{/.test(text) && /"traceEvents"\s*:\s*\[/.test(text);
  },
  input: 'stream',
  read: parseChromeTraceStream,
};
