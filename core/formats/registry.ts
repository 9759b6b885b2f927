import { ProfileError } from '../model/profile';
import type { FormatReader } from './format-reader';
import { geckoFormat } from './gecko';
import { pstatsFormat } from './pstats';
import { PERF_SCRIPT, stackTextFormat } from './stacks';
import { tachyonBinaryFormat } from './tachyon-binary';
import { speedscopeFormat } from './speedscope';
import { chromeTraceFormat } from './chrome-trace';
import { pyinstrumentFormat } from './pyinstrument';
import { callgrindFormat } from './callgrind';
import { pprofFormat } from './pprof';
import { FORMATS_READ } from './formats-read';
import { tachyonHtmlFormat } from './tachyon-html';
import { tachyonJsonlFormat } from './tachyon-jsonl';
import { austinMojoFormat } from './austin-mojo';

/** Every format Kiln reads, the first to recognize a file's data reading it. */
export const FORMATS: readonly FormatReader[] = [
  pstatsFormat,
  geckoFormat,
  tachyonBinaryFormat,
  austinMojoFormat,
  // Before the refusal of HTML pages: Tachyon's own page holds its profile.
  tachyonHtmlFormat,
  // Before the refusal of JSON files: each of its lines is a JSON object.
  tachyonJsonlFormat,
  speedscopeFormat,
  chromeTraceFormat,
  pyinstrumentFormat,
  callgrindFormat,
  pprofFormat,
  stackTextFormat,
];

const HTML_START = /^\s*<(!doctype html|html[\s>])/i;

/**
 * Files that are not profiles Kiln reads: what each is, and for formats Kiln knows but does not
 * read, what to do instead. The first that matches names the file in the refusal.
 */
const NOT_PROFILES: { what: string; test: (head: Uint8Array, text: string) => boolean; instead?: string }[] = [
  {
    what: 'a Chrome DevTools CPU profile (.cpuprofile)',
    test: (_, text) => /^\s*\{\s*"nodes"\s*:\s*\[/.test(text) || /"callFrame"\s*:\s*\{/.test(text),
    instead: 'it profiles JavaScript; open it in Chrome DevTools or speedscope',
  },
  { what: 'a JSON file', test: (h) => h[0] === 0x7b && [0x22, 0x0a, 0x0d, 0x20, 0x09].includes(h[1]) },
  {
    what: 'an SVG image, perhaps a flame graph',
    test: (_, text) => /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)?(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text),
    instead:
      "a flame graph is a drawing of a profile; open the folded stacks it was drawn from (flamegraph.pl's input)",
  },
  // An HTML page is what a server sends for an address with nothing there, or a page about the profile.
  { what: 'an HTML page', test: (_, text) => HTML_START.test(text) },
  {
    what: 'the output of perf script',
    test: (_, text) => PERF_SCRIPT.test(text),
    instead: 'fold its stacks first (stackcollapse-perf.pl out.perf > out.folded) and open the folded file',
  },
  {
    what: 'a Java Flight Recorder file (JFR)',
    test: (h) => startsWith(h, [0x46, 0x4c, 0x52, 0x00]),
    instead:
      'it profiles Java; open it in JDK Mission Control, or fold it with a JFR converter and open the folded file',
  },
  { what: 'a PNG image', test: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47]) },
  { what: 'a JPEG image', test: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  { what: 'a GIF image', test: (h) => startsWith(h, [0x47, 0x49, 0x46, 0x38]) },
  { what: 'a PDF document', test: (h) => startsWith(h, [0x25, 0x50, 0x44, 0x46]) },
  {
    what: 'a zip archive',
    test: (h) => startsWith(h, [0x50, 0x4b, 0x03, 0x04]),
    instead: 'unzip it and open the profile inside',
  },
];

const startsWith = (h: Uint8Array, magic: number[]): boolean => magic.every((b, i) => h[i] === b);

/** The reader of the data whose first bytes are `head`, or a ProfileError that says what the file is. */
export function formatOf(head: Uint8Array): FormatReader {
  const format = FORMATS.find((f) => f.recognizes(head));
  if (format) return format;
  const text = String.fromCharCode(...head.subarray(0, 4096));
  const other = NOT_PROFILES.find(({ test }) => test(head, text));
  if (other?.instead)
    throw new ProfileError(`this is ${other.what}, not a Python profile Kiln reads: ${other.instead}`);
  if (other) throw new ProfileError(`this is ${other.what}, not a profile. ${FORMATS_READ}.`);
  throw new ProfileError(
    'this is not a profile: it is binary, but not a pstats file (those start with a marshal dict), and stack files are text',
  );
}
