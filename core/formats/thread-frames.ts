/** Thread and process frames as profilers write them, told from code by their text. */
import { FrameKind } from '~/core/model/profile';

/** py-spy `--threads`: `thread (25460)` or `thread (25460): MainThread`; its speedscope: `Thread 25460 "MainThread"`. */
const THREAD = /^(thread \(\d+\)(: .*)?|Thread \d+( ".*")?|tid:\d+)$/s;
/** py-spy `--subprocesses`: `process 26097:"python app.py"`; Kiln's own export: `process 12`. */
const PROCESS = /^process \d+(:".*")?$/is;

/** FrameKind.thread or FrameKind.process for a frame named as profilers name those; else code. */
export function kindOfName(name: string): FrameKind {
  if (PROCESS.test(name)) return FrameKind.process;
  if (THREAD.test(name)) return FrameKind.thread;
  return FrameKind.code;
}

/**
 * Whether a frame is one a profiler made up rather than code: a bare `<GC>` or `<native>` in no
 * file (Python 2's built-ins, `<len>`, are in pstats' file `~`), or an async task, whose file
 * Tachyon writes as `<task>`.
 */
export const isMadeUpFrame = (file: string, name: string): boolean =>
  file === '<task>' || (file === '' && /^<[^\s:<>]+>$/.test(name));
