/** py-spy `record --format raw`: `function (file.py:12);…;function (file.py:40) COUNT`, root first. */
import type { Profile } from '~/core/model/profile';
import { splitCount, type StackCollector, type StackLines } from './stack-collector';
import { splitParenFrame } from './frame-parts';

/** Whether most `stack COUNT` lines among these first lines end in a frame `function (file…)`. */
export function looksLikePySpy(lines: readonly string[]): boolean {
  let pyspy = 0;
  let others = 0;
  for (const text of lines) {
    const counted = splitCount(text);
    if (!counted) continue;
    const leafStart = text.lastIndexOf(';', counted.stackEnd - 1) + 1;
    if (splitParenFrame(text.slice(leafStart, counted.stackEnd)).file !== '') pyspy++;
    else others++;
  }
  return pyspy > others;
}

export class PySpyLines implements StackLines {
  constructor(
    private readonly collector: StackCollector,
    private readonly fileName: string,
  ) {}

  read(text: string, lineNo: number): void {
    const counted = splitCount(text);
    if (!counted) return this.collector.invalid(lineNo);
    this.collector.addStack(text, 0, counted.stackEnd, counted.weight, splitParenFrame, lineNo);
  }

  build(): Profile {
    return this.collector.build({ format: 'py-spy', unit: 'samples', fileName: this.fileName }).profile;
  }
}
