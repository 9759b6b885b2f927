import { codeKind } from '../code-kind';

/** Code the user did not write, by where it lives: what "hide library code" and "collapse a kind" act on. */
export type LibraryKind = 'stdlib' | 'site-packages' | 'import';

export const libraryKindTitle: Record<LibraryKind, string> = {
  stdlib: 'standard library',
  'site-packages': 'site-packages',
  import: 'import machinery',
};

/**
 * The kind of library a file belongs to, or null for the user's own code (and thread or process frames):
 * the flame graph's colours decide, so what is hidden is what is coloured as library. cProfile's
 * built-ins (`~`) count as the standard library.
 */
export function libraryKindOf(file: string): LibraryKind | null {
  if (file.startsWith('<frozen importlib') || /(^|[/\\])importlib[/\\]_bootstrap/.test(file)) return 'import';
  if (file === '~') return 'stdlib';
  const kind = codeKind(file, '');
  return kind === 'stdlib' ? 'stdlib' : kind === 'thirdparty' ? 'site-packages' : null;
}
