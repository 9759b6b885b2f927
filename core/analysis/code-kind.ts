import { FrameKind } from '~/core/model/profile';
import { kindOfName } from '~/core/formats/thread-frames';
import { PACKAGE_MODULES, STDLIB_MODULES, topModule } from './module-names';

/** Where a frame's code lives: its colour family, and what "hide library code" hides. */
export type CodeKind = 'user' | 'stdlib' | 'thirdparty' | 'builtin' | 'synthetic' | 'other';

/**
 * Where a frame's code lives: by an absolute path's directories, or, for a path relative to
 * `sys.path` as py-spy and Tachyon write them (`json/encoder.py`, `random.py`), by its top-level
 * module's name. Frames a profiler made up are their own kind; thread and process frames are
 * neither code nor built-ins.
 */
export function codeKind(file: string, label: string, kind: FrameKind = FrameKind.code): CodeKind {
  if (kind === FrameKind.synthetic) return 'synthetic';
  if (kind !== FrameKind.code) return 'other';
  if (file === '~' || file === '<built-in>' || (file === '' && label.startsWith('{'))) return 'builtin';
  if (file === '' && kindOfName(label) !== FrameKind.code) return 'other';
  if (/[/\\](site|dist)-packages[/\\]/.test(file)) return 'thirdparty';
  if (file.startsWith('<frozen') || /[/\\]lib[/\\](python|pypy)[\d.]*[/\\]/i.test(file) || file === '')
    return file ? 'stdlib' : 'builtin';
  if (file.startsWith('<') || file.startsWith('Thread') || file.startsWith('Process')) return 'other';
  const top = topModule(file);
  if (STDLIB_MODULES.has(top)) return 'stdlib';
  if (PACKAGE_MODULES.has(top)) return 'thirdparty';
  return 'user';
}
