/**
 * Folded stacks with two counts, `frame;…;frame BEFORE AFTER`: what flamegraph.pl's
 * `difffolded.pl` writes for a differential flame graph. The stack weighs its second count (the
 * profile after, which flamegraph.pl draws); the first column's total is said in a warning. Neither
 * count is ever part of a frame's name.
 */
import type { Profile } from '~/core/model/profile';
import { emptyStackCount, splitCount, type StackCollector, type StackLines } from './stack-collector';
import { splitColonFrame } from './frame-parts';

/** The end of the stack and the first count of a `stack BEFORE AFTER` line's `stack BEFORE` part, or undefined. */
export function firstCount(text: string, end: number): { stackEnd: number; weight: number } | undefined {
  const counted = splitCount(text.slice(0, end));
  return counted && Number.isInteger(counted.weight) ? counted : undefined;
}

/** Whether most counted lines among these first lines carry two counts. */
export function isTwoCount(lines: readonly string[]): boolean {
  let two = 0;
  let one = 0;
  for (const text of lines) {
    const counted = splitCount(text);
    if (!counted) continue;
    if (firstCount(text, counted.stackEnd)) two++;
    else one++;
  }
  return two > one;
}

export class DiffFoldedLines implements StackLines {
  private before = 0;

  constructor(
    private readonly collector: StackCollector,
    private readonly fileName: string,
  ) {}

  read(text: string, lineNo: number): void {
    const c = this.collector;
    const counted = splitCount(text);
    if (!counted) return c.invalid(lineNo);
    const empty = emptyStackCount(text.slice(0, counted.stackEnd));
    if (empty !== undefined) {
      this.before += empty;
      return c.addIdle(counted.weight);
    }
    const first = firstCount(text, counted.stackEnd);
    if (!first) return c.invalid(lineNo);
    this.before += first.weight;
    c.addStack(text, 0, first.stackEnd, counted.weight, splitColonFrame, lineNo);
  }

  build(): Profile {
    this.collector.warnings.push(
      `This is a differential folded file (two counts a line, as difffolded.pl writes): the graph shows the second counts; the first add up to ${this.before.toLocaleString('en')}. Open each profile to compare them.`,
    );
    return this.collector.build({ format: 'folded', unit: 'samples', fileName: this.fileName }).profile;
  }
}
