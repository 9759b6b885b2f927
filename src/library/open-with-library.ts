import type { Profile } from '../../workers/model';
import type { Progress } from '../../workers/open-profile';
import type { ParserWorker } from '../worker-client';
import type { ProfileLibrary, Lookup } from './profile-library';
import type { LibraryEntry } from './schema';

export type Opened =
  | { ok: true; profile: Profile; fromLibrary: boolean; notice?: string }
  | { ok: false; message: string };

/**
 * Opens bytes through the library: bytes opened before come back from IndexedDB without being
 * parsed; new ones are parsed in the worker and kept. A library that fails never stops a profile
 * from opening; it only costs the cache, and the user is told.
 */
export async function openWithLibrary(
  parser: ParserWorker,
  library: ProfileLibrary,
  file: { blob: Blob; name: string; hash?: string },
  progress: Progress,
): Promise<Opened> {
  const { blob, name } = file;
  const hash = file.hash ?? (await parser.hash(blob));
  // null: these bytes get no library, because they could not be hashed or the database is unusable.
  let found: Lookup | null = null;
  let notice: string | undefined;
  if (hash !== null) {
    try {
      found = await library.lookup(hash);
    } catch (e) {
      notice = `The library cannot be used in this browser (${(e as Error).message}); “${name}” was opened without it.`;
    }
  }
  if (found?.kind === 'cached') return { ok: true, profile: { ...found.profile, fileName: name }, fromLibrary: true };
  if (found?.kind === 'corrupt') {
    if (file.hash) return { ok: false, message: 'its copy in the library could not be read and has been removed' };
    notice = `The library’s copy of “${found.name}” could not be read; it has been replaced.`;
  }

  const result = await parser.parse(blob, name, progress);
  if (!result.ok) return result;
  if (found === null || hash === null) return { ok: true, profile: result.profile, fromLibrary: false, notice };
  const now = Date.now();
  const entry: LibraryEntry =
    found.kind === 'file-only'
      ? { ...found.entry, lastOpened: now }
      : { hash, name, size: blob.size, format: result.profile.format, added: now, lastOpened: now };
  const unsaved = await keep(library, entry, blob, result.profile);
  return { ok: true, profile: result.profile, fromLibrary: false, notice: unsaved ?? notice };
}

/** Saves a parsed profile; returns what to tell the user when it could not be saved. */
async function keep(library: ProfileLibrary, entry: LibraryEntry, blob: Blob, profile: Profile): Promise<string | undefined> {
  try {
    await library.save(entry, blob, profile);
    return undefined;
  } catch (e) {
    const reason =
      (e as DOMException).name === 'QuotaExceededError'
        ? 'the storage this browser gives the page is full; delete profiles from the library to make room'
        : (e as Error).message;
    return `“${entry.name}” is open but was not kept in the library: ${reason}.`;
  }
}
