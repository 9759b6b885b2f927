import { ProfileError } from '../model/profile';
import type { FormatReader } from './format-reader';
import { geckoFormat } from './gecko';
import { pstatsFormat } from './pstats';
import { CALLGRIND_START, stackTextFormat } from './stacks';
import { tachyonBinaryFormat } from './tachyon-binary';
import { tachyonHtmlFormat } from './tachyon-html';
import { tachyonJsonlFormat } from './tachyon-jsonl';

/** Every format Kiln reads, the first to recognize a file's data reading it. */
export const FORMATS: readonly FormatReader[] = [
  pstatsFormat,
  geckoFormat,
  tachyonBinaryFormat,
  // Before the refusal of HTML pages: Tachyon's own page holds its profile.
  tachyonHtmlFormat,
  // Before the refusal of JSON files: each of its lines is a JSON object.
  tachyonJsonlFormat,
  stackTextFormat,
];

const HTML_START = /^\s*<(!doctype html|html[\s>])/i;

/** Files that are not profiles, named so that the message says what was opened. */
const NOT_PROFILES: [string, (head: Uint8Array, text: string) => boolean][] = [
  ['a JSON file', (h) => h[0] === 0x7b && [0x22, 0x0a, 0x0d, 0x20, 0x09].includes(h[1])],
  // An HTML page is what a server sends for an address with nothing there, or a page about the profile.
  ['an HTML page', (_, text) => HTML_START.test(text)],
  ['a callgrind file, which Kiln does not read yet', (_, text) => CALLGRIND_START.test(text)],
  ['a PNG image', (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47])],
  ['a JPEG image', (h) => startsWith(h, [0xff, 0xd8, 0xff])],
  ['a GIF image', (h) => startsWith(h, [0x47, 0x49, 0x46, 0x38])],
  ['a PDF document', (h) => startsWith(h, [0x25, 0x50, 0x44, 0x46])],
  ['a zip archive', (h) => startsWith(h, [0x50, 0x4b, 0x03, 0x04])],
];

const startsWith = (h: Uint8Array, magic: number[]): boolean => magic.every((b, i) => h[i] === b);

/** The reader of the data whose first bytes are `head`, or a ProfileError that says what the file is. */
export function formatOf(head: Uint8Array): FormatReader {
  const format = FORMATS.find((f) => f.recognizes(head));
  if (format) return format;
  const text = String.fromCharCode(...head.subarray(0, 256));
  const other = NOT_PROFILES.find(([, test]) => test(head, text))?.[0];
  if (other) throw new ProfileError(`this is ${other}, not a profile`);
  throw new ProfileError(
    'this is not a profile: it is binary, but not a pstats file (those start with a marshal dict), and stack files are text',
  );
}
