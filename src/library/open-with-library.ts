import type { Profile } from '../../workers/model';
import type { Progress } from '../../workers/open-profile';
import type { ParserWorker } from '../worker-client';
import { sha256Hex } from './digest';
import type { ProfileLibrary, Lookup } from './profile-library';
import type { LibraryEntry } from './schema';

export type Opened =
  | {
      ok: true;
      profile: Profile;
      fromLibrary: boolean;
      notice?: string;
      /** Settles once the profile is kept in the library, after it is on screen: with what to tell the user, if anything. */
      kept: Promise<string | undefined>;
    }
  | { ok: false; message: string };

const nothingToKeep = Promise.resolve(undefined);

/**
 * Opens bytes through the library: bytes opened before come back from IndexedDB without being
 * parsed; new ones are parsed in the worker and kept. A library that fails never stops a profile
 * from opening; it only costs the cache, and the user is told.
 *
 * Neither the library nor the hash holds up a new file: its parse starts at once, the hash is
 * computed beside it in the page (and stops the parse when the bytes turn out to be in the
 * library), and the profile is kept only after it has been shown.
 */
export async function openWithLibrary(
  parser: ParserWorker,
  library: ProfileLibrary,
  file: { blob: Blob; name: string; hash?: string },
  progress: Progress,
): Promise<Opened> {
  const { blob, name } = file;
  const early = file.hash ? null : parser.parse(blob, name, progress);
  early?.catch(() => {});
  const hash = file.hash ?? (await sha256Hex(blob));
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
  if (found?.kind === 'cached') {
    if (early) parser.stop();
    return { ok: true, profile: { ...found.profile, fileName: name }, fromLibrary: true, kept: nothingToKeep };
  }
  if (found?.kind === 'corrupt') {
    if (file.hash) return { ok: false, message: 'its copy in the library could not be read and has been removed' };
    notice = `The library’s copy of “${found.name}” could not be read; it has been replaced.`;
  }

  const result = await (early ?? parser.parse(blob, name, progress));
  if (!result.ok) return result;
  if (found === null || hash === null) return { ok: true, profile: result.profile, fromLibrary: false, notice, kept: nothingToKeep };
  const now = Date.now();
  const entry: LibraryEntry =
    found.kind === 'file-only'
      ? { ...found.entry, lastOpened: now }
      : { hash, name, size: blob.size, format: result.profile.format, added: now, lastOpened: now };
  // Storing copies the model on this thread: it waits until the profile has been drawn.
  const kept = whenIdle().then(() => keep(library, entry, blob, result.profile));
  return { ok: true, profile: result.profile, fromLibrary: false, notice, kept };
}

/** Resolves when the page has nothing to draw, or after a second at the latest. */
function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 1000 });
    else setTimeout(resolve, 200);
  });
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
