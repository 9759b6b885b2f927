/**
 * py-spy `record --format raw`: `function (file.py:12);…;function (file.py:40) COUNT`, root first.
 * `--threads` starts each stack with `thread (TID)` or `thread (TID): NAME`, `--subprocesses` with
 * `process PID:"command line"` frames, parent first: those are thread and process root frames. A
 * sample with no Python frame is a line with nothing but those (` 39`): counted as idle, so the
 * total is py-spy's.
 */
import { FrameKind, type Profile } from '~/core/model/profile';
import {
  emptyStackCount,
  splitCount,
  type FoldedLabels,
  type StackCollector,
  type StackLines,
} from './stack-collector';
import { nameOnly, splitParenFrame } from './frame-parts';
import { kindOfName } from '../thread-frames';

/** Whether most `stack COUNT` lines among these first lines end in a frame `function (file…)`. */
export function looksLikePySpy(lines: readonly string[]): boolean {
  let pyspy = 0;
  let others = 0;
  for (const text of lines) {
    const counted = splitCount(text);
    if (!counted) continue;
    const leafStart = text.lastIndexOf(';', counted.stackEnd - 1) + 1;
    const leaf = text.slice(leafStart, counted.stackEnd);
    if (splitParenFrame(leaf).file !== '' || kindOfName(leaf) !== FrameKind.code) pyspy++;
    else others++;
  }
  return pyspy > others;
}

/**
 * Read from bytes, a line whose first frame is code is that line's stack: its frames split as
 * frames, wherever they are. Lines that may start with thread or process frames are read as text.
 */
const PYSPY_LABELS: FoldedLabels = { split: splitParenFrame, colonParts: () => false, rootFramesAsText: true };

export class PySpyLines implements StackLines {
  readonly foldedLabels = PYSPY_LABELS;
  constructor(
    private readonly collector: StackCollector,
    private readonly fileName: string,
  ) {}

  read(text: string, lineNo: number): void {
    const c = this.collector;
    const empty = emptyStackCount(text);
    if (empty !== undefined) return c.addIdle(empty);
    const counted = splitCount(text);
    if (!counted) return c.invalid(lineNo);
    const { stackEnd, weight } = counted;
    c.begin();
    let from = 0;
    for (let to = text.indexOf(';'); from < stackEnd; to = text.indexOf(';', from)) {
      const end = to < 0 || to > stackEnd ? stackEnd : to;
      const label = text.slice(from, end);
      const kind = kindOfName(label);
      if (kind === FrameKind.code) break;
      if (!c.push(label, nameOnly, kind)) return c.oversize(lineNo, c.refused);
      from = end + 1;
    }
    if (from >= stackEnd) return c.addIdle(weight);
    if (!c.pushAll(text, from, stackEnd, splitParenFrame)) return c.oversize(lineNo, c.refused);
    c.commit(weight);
  }

  build(): Profile {
    return this.collector.build({ format: 'py-spy', unit: 'samples', fileName: this.fileName }).profile;
  }
}
