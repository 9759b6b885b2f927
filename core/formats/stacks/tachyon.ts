/**
 * Tachyon's collapsed stacks (`python -m profiling.sampling … --collapsed`): folded stacks whose
 * root frame is the thread, `tid:N;file:qualname:line;… COUNT`. Frames the profiler makes up
 * (`<GC>`, `<native>`: file `~` and line 0, written as the bare name) and `--async-aware` task
 * frames (`<task>:NAME:0`) are marked as such, not as code.
 */
import { isMadeUpFrame } from '../thread-frames';
import { FrameKind, type Profile } from '~/core/model/profile';
import { splitCount, type FoldedLabels, type StackCollector, type StackLines } from './stack-collector';
import { splitColonFrame, type FrameParts } from './frame-parts';

const THREAD_ROOT = /^tid:\d+$/;
const THREAD_LINE = /^tid:\d+;/;

/** Whether most of these first lines are stacks rooted at a `tid:N` frame. */
export function looksLikeTachyon(lines: readonly string[]): boolean {
  let tachyon = 0;
  for (const text of lines) if (THREAD_LINE.test(text)) tachyon++;
  return tachyon * 2 > lines.length;
}

export function splitTachyonFrame(label: string): FrameParts {
  if (THREAD_ROOT.test(label)) return { file: '', name: label, line: -1, kind: FrameKind.thread };
  if (isMadeUpFrame('', label)) return { file: '~', name: label, line: 0, kind: FrameKind.synthetic };
  const parts = splitColonFrame(label);
  return isMadeUpFrame(parts.file, parts.name) ? { ...parts, kind: FrameKind.synthetic } : parts;
}

const TASK = '<task>';

/** A label with a file that is not `<task>` is neither a thread nor made up: its colon parts are its frame. */
const TACHYON_LABELS: FoldedLabels = {
  split: splitTachyonFrame,
  colonParts: (text, start, fileEnd) => fileEnd > 0 && !(fileEnd === TASK.length && text.startsWith(TASK, start)),
};

export class TachyonLines implements StackLines {
  readonly foldedLabels = TACHYON_LABELS;
  constructor(
    private readonly collector: StackCollector,
    private readonly fileName: string,
  ) {}

  read(text: string, lineNo: number): void {
    const counted = splitCount(text);
    if (!counted) return this.collector.invalid(lineNo);
    this.collector.addStack(text, 0, counted.stackEnd, counted.weight, splitTachyonFrame, lineNo);
  }

  build(): Profile {
    return this.collector.build({ format: 'tachyon', unit: 'samples', fileName: this.fileName }).profile;
  }
}
