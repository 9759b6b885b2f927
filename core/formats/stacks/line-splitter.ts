/** Cutting decoded text into numbered lines, as every stack dialect reads it. */

/** A longer line is counted as unreadable without being read. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}

/** Hands on a whole line (without its LF) unless it is blank, without the CR of a CRLF ending. */
export function deliverLine(line: string, lineNo: number, onLine: (text: string, lineNo: number) => void): void {
  if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
  if (!isBlank(line)) onLine(line, lineNo);
}

/**
 * Cuts decoded text chunks into lines (LF or CRLF), joining a line split across chunks, and hands
 * on each non-blank line with its 1-based number. A line longer than `maxChars` is reported as
 * overlong and its text dropped as it arrives, so a huge line costs one scan and no copies.
 */
export class LineSplitter {
  private parts: string[] = [];
  private partsLength = 0;
  private overlong = false;

  constructor(
    private readonly onLine: (text: string, lineNo: number) => void,
    private readonly onOverlong: (lineNo: number) => void,
    private readonly maxChars = MAX_LINE_CHARS,
    /** Lines before the first one pushed, when the text does not start at the start of the file. */
    private lineNo = 0,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      this.complete(chunk, start, nl);
      start = nl + 1;
    }
    this.hold(chunk, start);
  }

  /** Hands on the last line when the text does not end with a line break. */
  end(): void {
    if (this.partsLength > 0 || this.overlong) this.complete('', 0, 0);
  }

  private hold(chunk: string, start: number): void {
    const n = chunk.length - start;
    if (n === 0 || this.overlong) return;
    if (this.partsLength + n > this.maxChars) {
      this.overlong = true;
      this.parts = [];
      this.partsLength = 0;
      return;
    }
    this.parts.push(start === 0 ? chunk : chunk.slice(start));
    this.partsLength += n;
  }

  private complete(chunk: string, start: number, end: number): void {
    this.lineNo++;
    const tooLong = this.overlong || this.partsLength + end - start > this.maxChars;
    let line = '';
    if (!tooLong)
      line = this.parts.length > 0 ? this.parts.join('') + chunk.slice(start, end) : chunk.slice(start, end);
    this.parts = [];
    this.partsLength = 0;
    this.overlong = false;
    if (tooLong) return this.onOverlong(this.lineNo);
    deliverLine(line, this.lineNo, this.onLine);
  }

  /**
   * Drops the part of a line held so far and returns how many lines were completed: the rest of
   * the text, from the start of the held line, is read elsewhere.
   */
  handOver(): number {
    this.parts = [];
    this.partsLength = 0;
    this.overlong = false;
    return this.lineNo;
  }
}
