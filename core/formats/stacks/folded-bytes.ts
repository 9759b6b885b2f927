/**
 * The fast path for plain folded stacks (`frame;…;frame COUNT`): a WebAssembly scanner cuts lines
 * and frames from the bytes and looks frames up by their bytes, so a frame seen before costs no
 * decoded string, no Map lookup and no JavaScript. Only a line of plain ASCII `stack COUNT` with
 * an integer count is read there; any other line is decoded and handed to the text reader, so
 * that every line means exactly what it means there (UTF-8 decoding restarts cleanly at each
 * line feed, which is ASCII).
 */
import { MAX_FRAME_CHARS, MAX_STACK_FRAMES, type FoldedLabels, type StackCollector } from './stack-collector';
import { FoldedScanner, type LabelParts, type ScanStop } from './folded-scanner';
import { FrameKind } from '~/core/model/profile';
import { grown } from '~/core/model/builders';
import { LineSplitter, MAX_LINE_CHARS, deliverLine } from './line-splitter';

/** Where the lines this path does not read go: the text reader, with their 1-based numbers. */
export interface TextLines {
  /** A whole non-blank line without its line ending. */
  line(text: string, lineNo: number): void;
  /** A line too long to be read. */
  overlong(lineNo: number): void;
}

const LF = 10;
/** Longer counts could pass 2^53; they are read as text. */
const MAX_FAST_DIGITS = 15;
/** A line that grows longer is decoded as it arrives, as text, rather than held as bytes. */
const LONG_LINE_BYTES = 1 << 20;
/** Bytes are copied into the scanner's memory at most this many at a time, so it stays small. */
const PIECE_BYTES = 1 << 22;

/** Decodes lines and labels; a byte-order mark inside the file is text, not a mark. */
const utf8 = () => new TextDecoder('utf-8', { ignoreBOM: true });
const decoder = utf8();

/** Whether `bytes[start, end)` are all ASCII. */
function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  let high = 0;
  for (let i = start; i < end; i++) high |= bytes[i];
  return high < 0x80;
}

/** Reads the lines of a plain folded stack file from its bytes, after the `lineNo` lines already read as text. */
export class FoldedByteLines {
  private readonly scanner: FoldedScanner;
  /** How many bytes at the start of the scanner's input are a line whose end has not arrived. */
  private carried = 0;
  /** How many of the scanner's labels have their frame id. */
  private namedLabels = 0;
  /** The line being decoded as it arrives, once it has grown past LONG_LINE_BYTES. */
  private long: { splitter: LineSplitter; decoder: TextDecoder } | null = null;
  /** The string of each of the scanner's parts (files and names of labels), -1 until one of its labels is named. */
  private partStrings = new Int32Array(1024).fill(-1);

  constructor(
    private readonly collector: StackCollector,
    private readonly text: TextLines,
    private lineNo: number,
    private readonly labels: FoldedLabels,
    expectedBytes = 0,
  ) {
    this.scanner = new FoldedScanner(
      {
        stackFrames: MAX_STACK_FRAMES,
        frameBytes: MAX_FRAME_CHARS,
        lineBytes: LONG_LINE_BYTES,
        countDigits: MAX_FAST_DIGITS,
      },
      expectedBytes,
    );
    if (labels.rootFramesAsText) this.scanner.readRootFramesAsText();
    // The frames of the lines read as text, before and from now on, so that the scanner meets
    // them as the frames they are.
    for (const [label, id] of collector.knownFrames()) this.knownFrame(label, id);
    collector.frameMade = (label, id) => this.knownFrame(label, id);
  }

  private knownFrame(label: string, id: number): void {
    if (label.length <= MAX_FRAME_CHARS && /^[\0-\x7f]*$/.test(label))
      this.namedLabels = this.scanner.knownLabel(label, id);
  }

  push(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; at += PIECE_BYTES) this.pushPiece(chunk.subarray(at, at + PIECE_BYTES));
  }

  /** Reads the last line when the file does not end with a line feed. */
  end(): void {
    if (this.long) return this.endLong();
    if (this.carried === 0) return;
    const input = this.scanner.reserveInput(this.carried + 1);
    this.scanner.bytes()[input + this.carried] = LF;
    this.scan(input, input + this.carried + 1);
    this.carried = 0;
  }

  /** Scans the whole lines of what has arrived, after the start of a line kept from before. */
  private pushPiece(piece: Uint8Array): void {
    if (this.long) {
      const lf = piece.indexOf(LF);
      if (lf < 0) return this.decodeLong(piece);
      this.decodeLong(piece.subarray(0, lf));
      this.endLong();
      piece = piece.subarray(lf + 1);
    }
    const scanner = this.scanner;
    const input = scanner.reserveInput(this.carried + piece.length);
    scanner.bytes().set(piece, input + this.carried);
    const lastLf = piece.lastIndexOf(LF);
    if (lastLf < 0) {
      this.carried += piece.length;
    } else {
      const end = input + this.carried + lastLf + 1;
      this.carried = piece.length - lastLf - 1;
      this.scan(input, end);
      scanner.bytes().copyWithin(input, end, end + this.carried);
    }
    if (this.carried > LONG_LINE_BYTES) {
      this.long = { splitter: this.textSplitter(this.lineNo), decoder: utf8() };
      this.decodeLong(scanner.bytes().subarray(input, input + this.carried));
      this.carried = 0;
    }
  }

  /** Reads the lines of the scanner's `[start, end)`, handling each stop, in the order of the lines. */
  private scan(start: number, end: number): void {
    const scanner = this.scanner,
      before = this.lineNo;
    for (let stop = scanner.scan(start, end); ; stop = scanner.next()) {
      this.takeOutput();
      this.lineNo = before + scanner.lineCount;
      if (stop === 'done') return;
      this.handle(stop);
    }
  }

  /** Does what a stop asks for. */
  private handle(stop: Exclude<ScanStop, 'done'>): void {
    const scanner = this.scanner;
    if (stop === 'full') return;
    if (stop === 'deep') return this.collector.oversize(this.lineNo, 'deep');
    const lineStart = scanner.lineStart,
      lineEnd = scanner.lineEnd;
    // The limit is on characters: bytes count them only when they are ASCII.
    if (stop === 'longFrame' && isAscii(scanner.bytes(), scanner.frameFrom, scanner.frameTo)) {
      return this.collector.oversize(this.lineNo, 'frame');
    }
    if (lineEnd - lineStart <= LONG_LINE_BYTES) return this.asText(lineStart, lineEnd);
    const splitter = this.textSplitter(this.lineNo - 1);
    splitter.push(decoder.decode(scanner.bytes().subarray(lineStart, lineEnd)));
    splitter.end();
  }

  /**
   * Names the labels the scanner has found and hands the stacks it has read to the collector, in
   * the order it met them: the collector numbers frames in the order they are first seen.
   */
  private takeOutput(): void {
    const c = this.collector,
      scanner = this.scanner;
    this.namedLabels = scanner.nameLabels(this.namedLabels, (text, start, length, k, parts) =>
      this.frameOf(text, start, length, k, parts),
    );
    if (scanner.outputLines === 0) return;
    const { lengths, weights, ids } = scanner.output();
    c.commitAll(ids, lengths, weights);
    scanner.emptyOutput();
  }

  /**
   * The frame of label `k`, new: made from the parts the scanner read when the dialect takes them,
   * its strings in the order the text reader adds them (the label, its file, its name); the label
   * is `text[start, start + length)`, packed as part of that text.
   */
  private frameOf(text: string, start: number, length: number, k: number, parts: LabelParts): number {
    const c = this.collector,
      fileEnd = parts.fileEnd[k];
    if (!this.labels.colonParts(text, start, fileEnd)) return c.newSplitFrame(text, start, length, this.labels.split);
    if (parts.count > this.partStrings.length) {
      const before = this.partStrings.length;
      this.partStrings = grown(this.partStrings, parts.count);
      this.partStrings.fill(-1, before);
    }
    const label = c.appendPart(text, start, length);
    const file = this.partString(parts.file[k], text, start, start + fileEnd);
    const name = this.partString(parts.name[k], text, start + parts.nameAt[k], start + parts.nameEnd[k]);
    return c.newFrame(label, file, parts.line[k], name, FrameKind.code);
  }

  /** The string of part `part`, `text[start, end)`. */
  private partString(part: number, text: string, start: number, end: number): number {
    let s = this.partStrings[part];
    if (s < 0) s = this.partStrings[part] = this.collector.strings.intern(text.slice(start, end));
    return s;
  }

  /** A splitter that reads one line as text, counting on from `linesBefore`. */
  private textSplitter(linesBefore: number): LineSplitter {
    return new LineSplitter(
      (text, n) => this.text.line(text, n),
      (n) => this.text.overlong(n),
      MAX_LINE_CHARS,
      linesBefore,
    );
  }

  private decodeLong(bytes: Uint8Array): void {
    const long = this.long!;
    long.splitter.push(long.decoder.decode(bytes, { stream: true }));
  }

  /** Reads the long line, now that it has ended. */
  private endLong(): void {
    this.lineNo++;
    const { splitter, decoder } = this.long!;
    splitter.push(decoder.decode());
    splitter.end();
    this.long = null;
  }

  /** Line `this.lineNo`, the scanner's `[start, end)`, as text: the way every line the scanner does not read is read. */
  private asText(start: number, end: number): void {
    deliverLine(decoder.decode(this.scanner.bytes().subarray(start, end)), this.lineNo, (text, n) =>
      this.text.line(text, n),
    );
  }
}
