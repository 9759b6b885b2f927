import type { FrameKind } from '~/core/model/profile';

/** The parts of one frame as a sampling profiler writes it. `line` is -1 when the frame has none. */
export interface FrameParts {
  file: string;
  name: string;
  line: number;
  /** What the frame stands for when it is not code. */
  kind?: FrameKind;
}

/** Splits a frame label into its parts; each stack dialect writes frames its own way. */
export type FrameSplitter = (label: string) => FrameParts;

const ZERO = 48;
const NINE = 57;
const CLOSE_PAREN = 41;
const LETTER_L = 76;

export function isDigits(s: string, start = 0, end = s.length): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/** A frame that is only a name, such as austin's `Thread 7f3a…` and `Process 12` root frames. */
export const nameOnly: FrameSplitter = (label) => ({ file: '', name: label, line: -1 });

/**
 * Pyflame, folded stacks and austin 3: `file:function:line`, or `file:function` (Pyflame `-n`).
 * Split from the right, because file names such as `<frozen importlib._bootstrap>` or Windows
 * paths hold colons and spaces while function names and line numbers never hold a colon.
 */
export function splitColonFrame(label: string): FrameParts {
  const last = label.lastIndexOf(':');
  if (last < 0) return nameOnly(label);
  if (isDigits(label, last + 1)) {
    const prev = last > 0 ? label.lastIndexOf(':', last - 1) : -1;
    const line = Number(label.slice(last + 1));
    if (prev < 0) return { file: '', name: label.slice(0, last), line };
    return { file: label.slice(0, prev), name: label.slice(prev + 1, last), line };
  }
  return { file: label.slice(0, last), name: label.slice(last + 1), line: -1 };
}

/**
 * py-spy and austin 1.x: `function (file:12)` or `function (file)`. The first ` (` ends the name,
 * since Python function names hold no spaces while paths may hold ` (`. py-spy names its thread
 * frames `thread (0x7f…)`: those are names, not files.
 */
export function splitParenFrame(label: string): FrameParts {
  if (label.charCodeAt(label.length - 1) !== CLOSE_PAREN) return nameOnly(label);
  const open = label.indexOf(' (');
  if (open < 0) return nameOnly(label);
  const inside = label.slice(open + 2, -1);
  if (inside.startsWith('0x')) return nameOnly(label);
  const name = label.slice(0, open);
  const colon = inside.lastIndexOf(':');
  if (colon >= 0 && isDigits(inside, colon + 1)) {
    return { file: inside.slice(0, colon), name, line: Number(inside.slice(colon + 1)) };
  }
  return { file: inside, name, line: -1 };
}

/** The line of the austin 1.x `L12` item `text[start, end)`, or -1 when the item is not one. */
export function austinLineItem(text: string, start: number, end: number): number {
  return text.charCodeAt(start) === LETTER_L && isDigits(text, start + 1, end)
    ? Number(text.slice(start + 1, end))
    : -1;
}

/** austin 1.x `function (file)` followed by `L12`, written as its `-a` form `function (file:12)`. */
export function withLine(label: string, line: number): string {
  return label.charCodeAt(label.length - 1) === CLOSE_PAREN ? `${label.slice(0, -1)}:${line})` : `${label}:${line}`;
}
