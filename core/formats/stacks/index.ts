import { looksLikeCallgrind } from '../callgrind/read-callgrind';
import type { FormatReader } from '../format-reader';
import { encodingOf, looksBinary, parseStackStream } from './read-stacks';

/** How much of the start must look like text. */
const TEXT_SAMPLE_BYTES = 4096;
const MARKUP_OR_JSON = /^\s*(<(!doctype html|html[\s>]|\?xml)|[{[]\s*["{[\s])/i;
/** perf script: an event line (`comm pid [cpu] secs.micros: …`), then its stack, one indented address a line. */
export const PERF_SCRIPT = /^\S[^\n]*\s\d+\.\d{6}:\s[^\n]*\n[ \t]+[0-9a-f]{4,} /m;

/** Pyflame, folded stacks, austin and py-spy: text, one stack a line; the dialect is told inside. */
export const stackTextFormat: FormatReader = {
  name: 'stack text',
  recognizes(head) {
    const text = new TextDecoder(encodingOf(head)).decode(head.subarray(0, TEXT_SAMPLE_BYTES));
    const start = text.replace(/^\ufeff/, '');
    return !looksBinary(text) && !MARKUP_OR_JSON.test(start) && !looksLikeCallgrind(start) && !PERF_SCRIPT.test(start);
  },
  input: 'stream',
  read: parseStackStream,
};
