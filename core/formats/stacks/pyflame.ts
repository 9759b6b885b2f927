/**
 * Pyflame `.samp` output in every mode, and plain folded stacks.
 *
 * Detection rule: a file is reported as Pyflame's when it carries one of Pyflame's own marks: an
 * `(idle) N` or `(failed) N` line anywhere, or `--flamechart` pairs (a line of epoch microseconds
 * followed by a stack ending in `;`, by `(idle)` or by `(failed)`) among its first lines.
 * Otherwise it is reported as plain folded stacks: a Pyflame run that saw no idle or failed
 * sample writes exactly flamegraph.pl's folded format, so nothing in the content tells them apart.
 */
import { GrowableArray, floats, ints } from '~/core/model/builders';
import { FAILED_NODE, IDLE_NODE, type Profile, type Timeline } from '~/core/model/profile';
import {
  emptyStackCount,
  splitCount,
  type FoldedLabels,
  type StackCollector,
  type StackLines,
} from './stack-collector';
import { isDigits, splitColonFrame } from './frame-parts';

const IDLE = '(idle)';
const FAILED = '(failed)';
const TIMESTAMP_MIN_DIGITS = 10;
/** Epoch microseconds have 16 digits until the year 2286; longer runs of digits are no timestamps. */
const TIMESTAMP_MAX_DIGITS = 16;

/** Default, `-x`, `--threads` and `-n` output: `(idle) N`, `(failed) N` or `stack COUNT` lines. */
export class PyflameLines implements StackLines {
  private marked = false;
  readonly foldedLabels: FoldedLabels = { split: splitColonFrame, colonParts: () => true };

  constructor(
    private readonly collector: StackCollector,
    private readonly fileName: string,
  ) {}

  read(text: string, lineNo: number): void {
    const c = this.collector;
    const counted = splitCount(text);
    if (!counted) {
      // A sample with no frame at all: counted as idle, so that the total is the file's.
      const empty = emptyStackCount(text);
      return empty === undefined ? c.invalid(lineNo) : c.addIdle(empty);
    }
    const { stackEnd, weight } = counted;
    if (isMarker(text, stackEnd, IDLE)) {
      this.marked = true;
      return c.addIdle(weight);
    }
    if (isMarker(text, stackEnd, FAILED)) {
      this.marked = true;
      return c.addFailed(weight);
    }
    c.addStack(text, 0, stackEnd, weight, splitColonFrame, lineNo);
  }

  build(): Profile {
    const format = this.marked ? 'pyflame' : 'folded';
    return this.collector.build({ format, unit: 'samples', fileName: this.fileName }).profile;
  }
}

function isMarker(text: string, stackEnd: number, marker: string): boolean {
  return stackEnd === marker.length && text.startsWith(marker);
}

function isTimestamp(text: string): boolean {
  return text.length >= TIMESTAMP_MIN_DIGITS && text.length <= TIMESTAMP_MAX_DIGITS && isDigits(text);
}

function isFlamechartSample(text: string): boolean {
  return text === IDLE || text === FAILED || text.endsWith(';');
}

/** Whether these first lines of a file hold a `--flamechart` timestamp followed by its sample. */
export function isFlamechart(lines: readonly string[]): boolean {
  for (let i = 0; i + 1 < lines.length; i++) {
    if (isTimestamp(lines[i]) && isFlamechartSample(lines[i + 1])) return true;
  }
  return false;
}

/**
 * `--flamechart` output: a line of epoch microseconds, then `(idle)`, `(failed)` or the stack with
 * a trailing `;`. Each pair is one sample of weight 1, kept in time order in the timeline. A
 * sample line without a timestamp before it is unreadable; a timestamp without a sample is not
 * a sample (with `--threads` Pyflame repeats the timestamp for each thread).
 */
export class FlamechartLines implements StackLines {
  private pendingUs = -1;
  private firstUs = -1;
  private readonly time = new GrowableArray(floats);
  private readonly leaf = new GrowableArray(ints);

  constructor(
    private readonly collector: StackCollector,
    private readonly fileName: string,
  ) {}

  read(text: string, lineNo: number): void {
    if (isTimestamp(text)) {
      this.pendingUs = Number(text);
      return;
    }
    const c = this.collector;
    const us = this.pendingUs;
    this.pendingUs = -1;
    if (us < 0) return c.invalid(lineNo);
    let leaf: number;
    if (text === IDLE) {
      c.addIdle(1);
      leaf = IDLE_NODE;
    } else if (text === FAILED) {
      c.addFailed(1);
      leaf = FAILED_NODE;
    } else if (text.length > 1 && text.endsWith(';')) {
      leaf = c.addStack(text, 0, text.length - 1, 1, splitColonFrame, lineNo);
      if (leaf < 0) return;
    } else {
      return c.invalid(lineNo);
    }
    if (this.firstUs < 0) this.firstUs = us;
    this.time.push(us - this.firstUs);
    this.leaf.push(leaf);
  }

  build(): Profile {
    const { profile, order } = this.collector.build({ format: 'pyflame', unit: 'samples', fileName: this.fileName });
    const node = this.leaf.view();
    for (let i = 0; i < node.length; i++) if (node[i] >= 0) node[i] = order[node[i]];
    profile.timeline = this.inTimeOrder(this.time.view(), node, profile.warnings);
    return profile;
  }

  /**
   * The samples in time order, from the earliest. Pyflame writes them so; a file whose clock went
   * back (or two files joined) is put in order rather than drawn before the start of its axis.
   */
  private inTimeOrder(time: Float64Array, node: Int32Array, warnings: string[]): Timeline {
    let sorted = true;
    for (let k = 1; k < time.length && sorted; k++) sorted = time[k] >= time[k - 1];
    if (sorted) return { time, node, firstUs: this.firstUs };
    warnings.push(
      'Some timestamps are earlier than those before them: the time order shows the samples sorted by time.',
    );
    const byTime = Array.from(time.keys()).sort((a, b) => time[a] - time[b]);
    const earliest = time[byTime[0]];
    return {
      time: Float64Array.from(byTime, (k) => time[k] - earliest),
      node: Int32Array.from(byTime, (k) => node[k]),
      firstUs: this.firstUs + earliest,
    };
  }
}
