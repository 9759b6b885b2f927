/**
 * Folded stacks with two counts, `frame;…;frame BEFORE AFTER`: what flamegraph.pl's
 * `difffolded.pl` writes for a differential flame graph, the union of two folded files' stacks
 * with 0 where a file lacks one. Read as the two profiles it joins: the second counts are the
 * profile, the first its baseline, each side holding only the stacks it counted. Neither count
 * is ever part of a frame's name.
 */
import type { Profile } from '~/core/model/profile';
import { baselineName } from '../format-reader';
import { emptyStackCount, splitCount, StackCollector, type StackLines } from './stack-collector';
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
  /** The first counts' profile; lines that cannot be read are counted once, by the second's collector. */
  private readonly before = new StackCollector();

  constructor(
    private readonly after: StackCollector,
    private readonly fileName: string,
  ) {}

  read(text: string, lineNo: number): void {
    const counted = splitCount(text);
    if (!counted) return this.after.invalid(lineNo);
    const empty = emptyStackCount(text.slice(0, counted.stackEnd));
    if (empty !== undefined) {
      this.before.addIdle(empty);
      return this.after.addIdle(counted.weight);
    }
    const first = firstCount(text, counted.stackEnd);
    if (!first) return this.after.invalid(lineNo);
    addTo(this.before, text, first.stackEnd, first.weight, lineNo);
    addTo(this.after, text, first.stackEnd, counted.weight, lineNo);
  }

  build(): Profile {
    const meta = { format: 'folded', unit: 'samples' } as const;
    const { profile } = this.after.build({ ...meta, fileName: this.fileName });
    profile.baseline = this.before.build({ ...meta, fileName: baselineName(this.fileName) }).profile;
    return profile;
  }
}

/**
 * Adds a line's stack to one side; a stack that side did not count (0) is no node of its tree,
 * as it was in no line of its file, but the line still counts as read.
 */
function addTo(side: StackCollector, text: string, stackEnd: number, weight: number, lineNo: number): void {
  if (weight > 0) side.addStack(text, 0, stackEnd, weight, splitColonFrame, lineNo);
  else side.addIdle(0);
}
