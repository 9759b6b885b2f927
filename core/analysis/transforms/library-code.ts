/** Code the user did not write, by where it lives: what "hide library code" and "collapse a kind" act on. */
export type LibraryKind = 'stdlib' | 'site-packages' | 'import';

export const libraryKindTitle: Record<LibraryKind, string> = {
  stdlib: 'standard library',
  'site-packages': 'site-packages',
  import: 'import machinery',
};

/** The kind of library a file belongs to, or null for the user's own code (and thread or process frames). */
export function libraryKindOf(file: string): LibraryKind | null {
  if (file.startsWith('<frozen importlib') || /[/\\]importlib[/\\]_bootstrap/.test(file)) return 'import';
  if (/[/\\](site|dist)-packages[/\\]/.test(file)) return 'site-packages';
  if (file === '~' || file.startsWith('<frozen ') || /[/\\]lib[/\\](python|pypy)[\d.]*[/\\]/i.test(file))
    return 'stdlib';
  return null;
}
