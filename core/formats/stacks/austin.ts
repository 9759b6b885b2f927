/**
 * austin output, one line per sample per thread, root first.
 *
 * 1.x: `[Process PID;]Thread TID;function (file);L12;…;function (file);L40 METRIC`, or with `-a`
 * `function (file:12)`. METRIC is microseconds since the previous sample; with `-f` it is
 * `time mem+ mem-`; with `-m` a memory delta in KiB. With `-s` idle stacks end in `;<idle>`.
 * 2.x: `P<pid>;T<tid>;file:function;L12;… METRIC` (with `-a`, `file:function:12`).
 * 3.x: `# key: value` header lines, then `P<pid>;T<iid>:<tid>;file:function:line;… METRIC`, where
 * METRIC is microseconds, bytes in `memory` mode, or `time,idle,memory` in `full` mode.
 *
 * Process and thread items stay as root frames, labelled as written, so that threads stand apart
 * in the flame graph. Time is the weight wherever austin writes it.
 */
import { FrameKind, type Profile } from '~/core/model/profile';
import { MAX_STACK_FRAMES, MAX_WEIGHT, countItems, type StackCollector, type StackLines } from './stack-collector';
import { austinLineItem, isDigits, nameOnly, splitColonFrame, splitParenFrame, withLine } from './frame-parts';

const IDLE_LEAF = ';<idle>';
const BYTES_PER_KIB = 1024;

type Mode = 'time' | 'memory';

function isInteger(text: string, start: number, end: number): boolean {
  return text[start] === '-' ? isDigits(text, start + 1, end) : isDigits(text, start, end);
}

/** The integer `text[start, end)`, or undefined when it is none or too large to be a weight. */
function integerAt(text: string, start: number, end: number): number | undefined {
  if (!isInteger(text, start, end)) return undefined;
  const value = Number(text.slice(start, end));
  return Math.abs(value) <= MAX_WEIGHT ? value : undefined;
}

/** Whether `text` starts an austin 3 sample, `P<pid>;T`. */
function isV3Sample(text: string): boolean {
  if (text[0] !== 'P') return false;
  let i = 1;
  while (i < text.length && isDigits(text, i, i + 1)) i++;
  return i > 1 && text.startsWith(';T', i);
}

/**
 * Whether these first lines of a file are austin's: an austin 3 `# austin:` header, or more
 * sample lines than other lines (so that a traced program printing `Thread 1 started` into a
 * Pyflame file does not make it austin's).
 */
export function looksLikeAustin(lines: readonly string[]): boolean {
  let samples = 0;
  let others = 0;
  for (const text of lines) {
    if (text.startsWith('# austin:')) return true;
    if (text.startsWith('# ')) continue;
    if (text.startsWith('Thread ') || text.startsWith('Process ') || isV3Sample(text)) samples++;
    else others++;
  }
  return samples > others;
}

/** austin 1.x names nothing in the file that tells a memory profile from a time one. */
function namedAsMemory(fileName: string): boolean {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  return base
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((word) => word === 'mem' || word === 'memory');
}

/** The end of the stack and the time (or memory) of a 1.x line: `… METRIC` or `… time mem+ mem-`. */
function v1Metric(text: string): { stackEnd: number; value: number } | undefined {
  const s1 = text.lastIndexOf(' ');
  const last = s1 > 0 ? integerAt(text, s1 + 1, text.length) : undefined;
  if (last === undefined) return undefined;
  const s2 = text.lastIndexOf(' ', s1 - 1);
  const s3 = s2 > 0 ? text.lastIndexOf(' ', s2 - 1) : -1;
  if (s3 > 0 && isInteger(text, s2 + 1, s1) && isInteger(text, s3 + 1, s2)) {
    const value = integerAt(text, s3 + 1, s2);
    return value === undefined ? undefined : { stackEnd: s3, value };
  }
  return { stackEnd: s1, value: last };
}

function itemEnd(text: string, from: number, end: number): number {
  const to = text.indexOf(';', from);
  return to < 0 || to > end ? end : to;
}

export class AustinLines implements StackLines {
  private mode: Mode | undefined;
  private releasedKib = 0;
  private releasedLines = 0;

  constructor(
    private readonly collector: StackCollector,
    private readonly fileName: string,
  ) {}

  read(text: string, lineNo: number): void {
    if (text.startsWith('# ')) this.header(text);
    else if (isV3Sample(text)) this.readV3(text, lineNo);
    else this.readV1(text, lineNo);
  }

  build(): Profile {
    const c = this.collector;
    if (this.releasedLines > 0) {
      c.warnings.push(
        `${this.releasedLines} samples that released memory (${this.releasedKib} KiB in all) are left out: the tree shows allocations.`,
      );
    }
    const unit = this.mode === 'memory' ? 'kilobytes' : 'microseconds';
    return c.build({ format: 'austin', unit, fileName: this.fileName }).profile;
  }

  private header(text: string): void {
    if (!text.startsWith('# mode: ')) return;
    this.mode = text.slice('# mode: '.length).trim() === 'memory' ? 'memory' : 'time';
  }

  private modeFromName(): Mode {
    if (!namedAsMemory(this.fileName)) return 'time';
    this.collector.warnings.push(
      'Weights are read as memory in KiB because the file name says memory: austin 1.x does not record its mode.',
    );
    return 'memory';
  }

  /**
   * The weight of sample line `lineNo`, or undefined when it adds none: a memory sample that
   * released memory, or a negative time, which makes the line unreadable.
   */
  private weigh(value: number, lineNo: number): number | undefined {
    if (value >= 0) return value;
    if (this.mode !== 'memory') {
      this.collector.invalid(lineNo);
      return undefined;
    }
    this.releasedKib -= value;
    this.releasedLines++;
    this.collector.stackLines++;
    return undefined;
  }

  private readV1(text: string, lineNo: number): void {
    const c = this.collector;
    const metric = v1Metric(text);
    if (!metric) return c.invalid(lineNo);
    const { stackEnd, value } = metric;
    const processEnd = text.startsWith('Process ') ? itemEnd(text, 0, stackEnd) : -1;
    const threadStart = processEnd + 1;
    if (!text.startsWith('Thread ', threadStart)) return c.invalid(lineNo);
    const threadEnd = itemEnd(text, threadStart, stackEnd);
    if (countItems(text, 0, stackEnd, 2 * MAX_STACK_FRAMES + 2) > 2 * MAX_STACK_FRAMES + 2)
      return c.oversize(lineNo, 'deep');

    this.mode ??= this.modeFromName();
    if (text.startsWith(IDLE_LEAF, stackEnd - IDLE_LEAF.length))
      return value >= 0 ? c.addIdle(value) : c.invalid(lineNo);
    const weight = this.weigh(value, lineNo);
    if (weight === undefined) return;

    c.begin();
    if (processEnd > 0 && !c.push(text.slice(0, processEnd), nameOnly, FrameKind.process))
      return c.oversize(lineNo, c.refused);
    if (!c.push(text.slice(threadStart, threadEnd), nameOnly, FrameKind.thread)) return c.oversize(lineNo, c.refused);
    let from = threadEnd + 1;
    while (from < stackEnd) {
      const to = itemEnd(text, from, stackEnd);
      if (austinLineItem(text, from, to) >= 0) return c.invalid(lineNo);
      let label = text.slice(from, to);
      from = to + 1;
      if (from < stackEnd) {
        const lineEnd = itemEnd(text, from, stackEnd);
        const line = austinLineItem(text, from, lineEnd);
        if (line >= 0) {
          label = withLine(label, line);
          from = lineEnd + 1;
        }
      }
      if (!c.push(label, splitParenFrame)) return c.oversize(lineNo, c.refused);
    }
    c.commit(weight);
  }

  private readV3(text: string, lineNo: number): void {
    const c = this.collector;
    const space = text.lastIndexOf(' ');
    const comma = text.indexOf(',', space + 1);
    const timeEnd = comma < 0 ? text.length : comma;
    const value = space < 0 ? undefined : integerAt(text, space + 1, timeEnd);
    if (value === undefined) return c.invalid(lineNo);
    const processEnd = itemEnd(text, 0, space);
    const threadEnd = itemEnd(text, processEnd + 1, space);
    if (processEnd === space) return c.invalid(lineNo);
    // Full metrics are `time,idle,memory`: an idle thread's time is idle, as in austin 1.x.
    if (comma >= 0 && this.mode !== 'memory' && text.startsWith('1,', comma + 1))
      return value >= 0 ? c.addIdle(value) : c.invalid(lineNo);
    const weight = this.weigh(this.mode === 'memory' ? value / BYTES_PER_KIB : value, lineNo);
    if (weight === undefined) return;

    c.begin();
    const pushed =
      c.push(text.slice(0, processEnd), nameOnly, FrameKind.process) &&
      c.push(text.slice(processEnd + 1, threadEnd), nameOnly, FrameKind.thread) &&
      (threadEnd === space || this.pushFrames(text, threadEnd + 1, space));
    if (!pushed) return c.oversize(lineNo, c.refused);
    c.commit(weight);
  }

  /**
   * The frames of `text[from, end)`: austin 3 writes `file:function:line`; austin 2 writes
   * `file:function` followed by its line as an item of its own, `L884`, read here as one frame.
   */
  private pushFrames(text: string, from: number, end: number): boolean {
    const c = this.collector;
    while (from < end) {
      const to = itemEnd(text, from, end);
      let label = text.slice(from, to);
      from = to + 1;
      if (from < end) {
        const lineEnd = itemEnd(text, from, end);
        const line = austinLineItem(text, from, lineEnd);
        if (line >= 0) {
          label = `${label}:${line}`;
          from = lineEnd + 1;
        }
      }
      if (!c.push(label, splitColonFrame)) return false;
    }
    return true;
  }
}
