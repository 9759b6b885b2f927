/**
 * Reads line-based stack files (Pyflame, folded stacks, austin, py-spy, Tachyon, gProfiler) as a stream of text: the
 * dialect is told from the first lines, then each line goes to that dialect's reader. The whole
 * text is never held; only a line at a time (and the first lines, until the dialect is known).
 */
import { ProfileError, type Profile } from '~/core/model/profile';
import { AustinLines, looksLikeAustin } from './austin';
import { StackCollector, type StackLines } from './stack-collector';
import { FlamechartLines, PyflameLines, isFlamechart } from './pyflame';
import { PySpyLines, looksLikePySpy } from './pyspy';
import { TachyonLines, looksLikeTachyon } from './tachyon';
import { DiffFoldedLines, isTwoCount } from './diff-folded';
import { GprofilerLines, looksLikeGprofiler } from './gprofiler';
import { FoldedByteLines } from './folded-bytes';
import { LineSplitter } from './line-splitter';
import { FORMATS_READ } from '../formats-read';

export { LineSplitter } from './line-splitter';

/** The dialect is told from the first non-blank lines: this many, or fewer when they are long. */
const DETECTION_LINES = 64;
const DETECTION_CHARS = 4 * 1024 * 1024;
/** How much of the start of the text must look like text. */
const TEXT_SAMPLE_CHARS = 4096;
/** How much of the file is decoded at a time until its dialect is known. */
const HEAD_SLICE_BYTES = 64 * 1024;
const LF = 10;

/** Whether NUL bytes, other control characters or undecodable bytes make up much of `sample`. */
export function looksBinary(sample: string): boolean {
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32) || c === 0xfffd) odd++;
  }
  return odd * 10 > sample.length;
}

function dialectReader(firstLines: readonly string[], collector: StackCollector, fileName: string): StackLines {
  if (looksLikeTachyon(firstLines)) return new TachyonLines(collector, fileName);
  if (looksLikeGprofiler(firstLines)) return new GprofilerLines(collector, fileName);
  if (looksLikeAustin(firstLines)) return new AustinLines(collector, fileName);
  if (isFlamechart(firstLines)) return new FlamechartLines(collector, fileName);
  if (looksLikePySpy(firstLines)) return new PySpyLines(collector, fileName);
  if (isTwoCount(firstLines)) return new DiffFoldedLines(collector, fileName);
  return new PyflameLines(collector, fileName);
}

/** Takes the decoded text of a stack file chunk by chunk and builds its profile. */
class StackTextReader {
  private readonly collector = new StackCollector();
  private readonly splitter = new LineSplitter(
    (text, lineNo) => this.line(text, lineNo),
    (lineNo) => this.line(undefined, lineNo),
  );
  private chars = 0;
  private head = '';
  private textChecked = false;
  private reader: StackLines | undefined;
  /** The first lines, held until the dialect is known; undefined text marks an overlong line. */
  private held: { text: string | undefined; lineNo: number }[] = [];
  private heldChars = 0;

  constructor(private readonly fileName: string) {}

  push(text: string): void {
    if (this.chars === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.chars += text.length;
    if (this.textChecked) return this.splitter.push(text);
    this.head += text;
    if (this.head.length >= TEXT_SAMPLE_CHARS) this.releaseHead();
  }

  finish(): Profile {
    if (this.chars === 0) throw new ProfileError('the file is empty');
    if (!this.textChecked) this.releaseHead();
    this.splitter.end();
    const reader = this.reader ?? this.chooseReader();
    const c = this.collector;
    if (c.stackLines === 0 && c.invalidLines === 0) throw new ProfileError('the file holds no stack lines');
    // A source file or a log has lines that end in a number (`x = 1`): those are not a profile.
    if (c.invalidLines > c.stackLines) {
      throw new ProfileError(
        `this is not a profile: ${c.stackLines === 0 ? 'no line' : `only ${c.stackLines} of ${c.stackLines + c.invalidLines} lines`} reads as a stack (the first that does not is line ${c.invalidLineNumbers[0]}). ${FORMATS_READ}.`,
      );
    }
    return reader.build();
  }

  /** Whether the dialect has been told from the first lines. */
  get dialectKnown(): boolean {
    return this.reader !== undefined;
  }

  /**
   * Once the lines are known to be folded stacks (Pyflame's default dialect, Tachyon's), the rest of
   * the file can be read from its bytes: returns the reader for them, which counts on from the
   * last whole line pushed. The part of a line pushed after that is dropped: it is to be pushed
   * again, as bytes. `expectedBytes`: about how many bytes the file has, 0 when not known.
   */
  foldedBytes(expectedBytes = 0): FoldedByteLines | undefined {
    const labels = this.reader?.foldedLabels;
    if (!labels) return undefined;
    const text = { line: (t: string, n: number) => this.line(t, n), overlong: (n: number) => this.line(undefined, n) };
    return new FoldedByteLines(this.collector, text, this.splitter.handOver(), labels, expectedBytes);
  }

  private releaseHead(): void {
    this.textChecked = true;
    if (looksBinary(this.head.slice(0, TEXT_SAMPLE_CHARS))) {
      throw new ProfileError(
        'this is not a profile: it is binary, but not a pstats file (those start with a marshal dict), and stack files are text',
      );
    }
    const head = this.head;
    this.head = '';
    this.splitter.push(head);
  }

  private line(text: string | undefined, lineNo: number): void {
    if (this.reader) {
      if (text === undefined) this.collector.oversize(lineNo, 'line');
      else this.reader.read(text, lineNo);
      return;
    }
    this.held.push({ text, lineNo });
    this.heldChars += text?.length ?? 0;
    if (this.held.length >= DETECTION_LINES || this.heldChars >= DETECTION_CHARS) this.chooseReader();
  }

  private chooseReader(): StackLines {
    const firstLines: string[] = [];
    for (const h of this.held) if (h.text !== undefined) firstLines.push(h.text);
    const reader = dialectReader(firstLines, this.collector, this.fileName);
    this.reader = reader;
    const held = this.held;
    this.held = [];
    for (const h of held) this.line(h.text, h.lineNo);
    return reader;
  }
}

export function parseStackText(text: string, fileName: string): Profile {
  const reader = new StackTextReader(fileName);
  reader.push(text);
  return reader.finish();
}

/**
 * The encoding a byte-order mark names. Output redirected by Windows PowerShell 5 is UTF-16 with
 * a mark; everything else is read as UTF-8.
 */
export function encodingOf(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** Parses a stack file from its (decompressed) bytes as they arrive; `size`: the file's size, when known. */
export async function parseStackStream(
  stream: ReadableStream<Uint8Array>,
  fileName: string,
  size = 0,
): Promise<Profile> {
  const chunks = stream.getReader();
  const reader = new StackTextReader(fileName);
  let decoder: TextDecoder | undefined;
  /** Plain folded stacks are read from their bytes once the first lines have told the dialect. */
  let folded: FoldedByteLines | undefined;
  try {
    for (let r = await chunks.read(); !r.done; r = await chunks.read()) {
      if (folded) {
        folded.push(r.value);
        continue;
      }
      const chunk = r.value;
      decoder ??= new TextDecoder(encodingOf(chunk));
      // Until the dialect is known, a slice at a time: folded stacks are read from their
      // bytes from the end of the last whole line read as text on, at far less per line.
      for (let at = 0; at < chunk.length && !folded;) {
        const end = reader.dialectKnown ? chunk.length : Math.min(chunk.length, at + HEAD_SLICE_BYTES);
        reader.push(decoder.decode(chunk.subarray(at, end), { stream: true }));
        const lastLf = decoder.encoding === 'utf-8' ? chunk.lastIndexOf(LF, end - 1) : -1;
        if (lastLf >= 0) {
          folded = reader.foldedBytes(size);
          folded?.push(chunk.subarray(lastLf + 1));
        }
        at = end;
      }
    }
  } catch (e) {
    await chunks.cancel().catch(() => undefined);
    throw e;
  }
  if (folded) folded.end();
  else if (decoder) reader.push(decoder.decode());
  return reader.finish();
}
