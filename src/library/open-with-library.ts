import { emptyTree, noEdges, withCalls, type Profile, type PstatsCalls } from '~/core/model/profile';
import type { Progress } from '~/core/formats/open-profile';
import { baselineName } from '~/core/formats/format-reader';
import type { ParserWorker } from '~/worker/worker-client';
import { sha256Hex } from '~/core/io/digest';
import type { ProfileLibrary, Lookup } from './profile-library';
import type { LibraryEntry, StoredFile, StoredSetFile } from './schema';
import type { SetRow } from '~/core/analysis/profile-set';
import { stampOf, type FileStamp } from '~/core/analysis/file-stamp';

export type Opened =
  | {
      ok: true;
      profile: Profile;
      fromLibrary: boolean;
      notice?: string;
      /** Settles once the profile is kept in the library, after it is on screen: with what to tell the user, if anything. */
      kept: Promise<string | undefined>;
      /** The library's key for these bytes, once known; null when they have none (no Web Crypto, too large). */
      hash: Promise<string | null>;
      /** For a profile with its calls pending: the profile with them (or with a warning that it has none). */
      complete?: Promise<Profile>;
    }
  | { ok: false; message: string };

const nothingToKeep = Promise.resolve(undefined);

/**
 * Up to this size a new file is hashed beside its parse, and bytes opened before skip the parse.
 * A larger file's hash would compete with its parse for the processor (on two cores it made the
 * parse a third slower): it is hashed after the profile is on screen, by the parser's worker, so
 * that the page stays free for the user, and kept then.
 */
const HASH_BESIDE_PARSE_BYTES = 16 * 1024 * 1024;

/**
 * Opens bytes through the library: bytes opened before come back from IndexedDB without being
 * parsed; new ones are parsed in the worker and kept. A library that fails never stops a profile
 * from opening; it only costs the cache, and the user is told.
 *
 * Neither the library nor the hash holds up a new file: its parse starts at once, and the
 * profile is kept only after it has been shown.
 */
export async function openWithLibrary(
  parser: ParserWorker,
  library: ProfileLibrary,
  file: { blob: Blob; name: string; hash?: string },
  progress: Progress,
): Promise<Opened> {
  const { blob, name } = file;
  if (!file.hash && blob.size > HASH_BESIDE_PARSE_BYTES) {
    const result = await parser.parse(blob, name, progress);
    if (!result.ok) return result;
    const { complete, whole } = withPendingCalls(result);
    const hashing = whole.then((profile) => (profile ? whenIdle().then(() => parser.hash(blob)) : null));
    const kept = Promise.all([whole, hashing]).then(([profile, hash]) =>
      profile && hash ? keepNew(library, hash, { blob, name }, profile) : undefined,
    );
    return { ok: true, profile: result.profile, fromLibrary: false, kept, hash: hashing, complete };
  }
  const early = file.hash ? null : parser.parse(blob, name, progress);
  let earlyDone = false;
  early?.then(
    (r) => {
      earlyDone = true;
      // Its calls are not waited for when the library has the file.
      if (r.ok) r.calls?.catch(() => {});
    },
    () => {},
  );
  const hash = file.hash ?? (await sha256Hex(blob));
  const { found, notice } = await lookUp(library, hash, name);
  if (found?.kind === 'cached' && hash) {
    // A parse that is done needs no stop (which would also stop the reading of its calls, or another's).
    if (early && !earlyDone) parser.stop();
    const profile = named(found.profile, name);
    // Calls that cannot be read back are parsed again from the file the next time it opens.
    const complete = found.complete?.then(
      (whole) => named(whole, name),
      (e: Error) => {
        library.forgetModel(hash).catch(() => {});
        return withoutCalls(profile, e);
      },
    );
    return { ok: true, profile, fromLibrary: true, kept: nothingToKeep, hash: Promise.resolve(hash), complete };
  }
  if (found?.kind === 'corrupt' && file.hash)
    return { ok: false, message: 'its copy in the library could not be read and has been removed' };

  const result = await (early ?? parser.parse(blob, name, progress));
  if (!result.ok) return result;
  const { complete, whole } = withPendingCalls(result);
  if (found === null || hash === null)
    return {
      ok: true,
      profile: result.profile,
      fromLibrary: false,
      notice,
      kept: nothingToKeep,
      hash: Promise.resolve(null),
      complete,
    };
  // Storing copies the model on this thread: it waits until the profile has been drawn.
  const existing = found.kind === 'file-only' ? found.entry : undefined;
  const kept = whole.then((profile) =>
    profile
      ? whenIdle().then(() => keep(library, entryFor(existing, hash, blob, name, profile), blob, profile))
      : undefined,
  );
  return { ok: true, profile: result.profile, fromLibrary: false, notice, kept, hash: Promise.resolve(hash), complete };
}

/** A cached profile under the name it is opened by now, and its baseline by that name's. */
const named = (p: Profile, name: string): Profile => ({
  ...p,
  fileName: name,
  ...(p.baseline && { baseline: { ...p.baseline, fileName: baselineName(name) } }),
});

/**
 * `complete`: the parsed profile once its pending calls have come, or, when they could not be
 * read, with a warning that says so. `whole`: the profile to keep, null when it lacks its calls.
 */
function withPendingCalls(parsed: { profile: Profile; calls?: Promise<PstatsCalls> }): {
  complete?: Promise<Profile>;
  whole: Promise<Profile | null>;
} {
  const { profile, calls } = parsed;
  if (!calls) return { whole: Promise.resolve(profile) };
  const complete = calls.then(
    (c) => withCalls(profile, c),
    (e: Error) => withoutCalls(profile, e),
  );
  return {
    complete,
    whole: calls.then(
      () => complete,
      () => null,
    ),
  };
}

/** A profile whose calls could not be read, with a warning that says so. */
const withoutCalls = (profile: Profile, e: Error): Profile =>
  withCalls(profile, {
    edges: noEdges(profile.pstats!.cc.length),
    strings: [],
    tree: emptyTree(),
    warnings: [
      ...profile.warnings,
      `the callers of each function could not be read, so there are no callers and no call tree: ${e.message}`,
    ],
  });

/** What the library holds for `hash` (null: no library for these bytes), and what to tell the user about it. */
async function lookUp(
  library: ProfileLibrary,
  hash: string | null,
  name: string,
): Promise<{ found: Lookup | null; notice?: string }> {
  if (hash === null) return { found: null };
  try {
    const found = await library.lookup(hash);
    const notice =
      found.kind === 'corrupt'
        ? `The library’s copy of “${found.name}” could not be read; it has been replaced.`
        : undefined;
    return { found, notice };
  } catch (e) {
    return { found: null, notice: unusable(e, name) };
  }
}

const unusable = (e: unknown, name: string) =>
  `The library cannot be used in this browser (${(e as Error).message}); “${name}” was opened without it.`;

/** The library entry for a parsed file: the one it has (its model lost to an upgrade) dated now, or a new one. */
function entryFor(
  existing: StoredFile | undefined,
  hash: string,
  blob: Blob,
  name: string,
  profile: Profile,
): LibraryEntry {
  const now = Date.now();
  return existing
    ? { ...existing, lastOpened: now }
    : { hash, name, size: blob.size, format: profile.format, added: now, lastOpened: now };
}

/** Keeps a large file that is on screen already, once hashed, unless the library has it (then it is only dated). */
async function keepNew(
  library: ProfileLibrary,
  hash: string,
  file: { blob: Blob; name: string },
  profile: Profile,
): Promise<string | undefined> {
  let held: { entry?: StoredFile; model: boolean };
  try {
    held = await library.hasModel(hash);
  } catch (e) {
    return unusable(e, file.name);
  }
  if (held.model) return undefined;
  return keep(library, entryFor(held.entry, hash, file.blob, file.name, profile), file.blob, profile);
}

/** Resolves when the page has nothing to draw, or after a second at the latest. */
function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 1000 });
    else setTimeout(resolve, 200);
  });
}

/** Saves a parsed profile; returns what to tell the user when it could not be saved. */
async function keep(
  library: ProfileLibrary,
  entry: LibraryEntry,
  blob: Blob,
  profile: Profile,
): Promise<string | undefined> {
  try {
    await library.save(entry, blob, profile);
    return undefined;
  } catch (e) {
    return notKept(entry.name, e);
  }
}

function notKept(name: string, e: unknown): string {
  const reason =
    (e as DOMException).name === 'QuotaExceededError'
      ? 'the storage this browser gives the page is full; delete profiles from the library to make room'
      : (e as Error).message;
  return `“${name}” is open but was not kept in the library: ${reason}.`;
}

/** A set of files as the page holds it: what the library keeps of it. */
export interface SetToKeep {
  /** Its key when it is in the library already. */
  key: string | null;
  name: string;
  files: StoredSetFile[];
  rows: SetRow[];
  mergeError: string | null;
}

/**
 * A set's key in the library, from its files' paths, sizes and dates (reading every file's bytes
 * to hash them would cost as much as reading the set): the same folder opened again is the same
 * entry. `stamps` are the files' as the worker took them; without them this thread asks each file.
 * Null where Web Crypto is missing.
 */
export async function setKeyOf(files: { name: string; blob: Blob }[], stamps?: FileStamp[]): Promise<string | null> {
  const identity = files.map((f, i) => {
    const { size, lastModified } = stamps?.[i] ?? stampOf(f.blob);
    return [f.name, size, lastModified];
  });
  const digest = await sha256Hex(new Blob([JSON.stringify(identity)]));
  return digest && `set:${digest}`;
}

/**
 * Keeps a set as one library entry: its files, its list and its merge. Its key, or null when it
 * is not kept (nothing of it could be read, or no Web Crypto), with what to tell the user when
 * the library failed.
 */
export async function keepSet(
  library: ProfileLibrary,
  set: SetToKeep,
  merged: Profile | null,
  stamps?: FileStamp[],
): Promise<{ key: string | null; problem?: string }> {
  const format = merged?.format ?? set.rows.find((r) => r.ok)?.format;
  if (!format) return { key: null };
  // Storing copies the merge on this thread: it waits until the set has been drawn.
  await whenIdle();
  try {
    const key = set.key ?? (await setKeyOf(set.files, stamps));
    if (!key) return { key: null };
    const now = Date.now();
    const added = (await library.entry(key))?.added ?? now;
    const size = set.files.reduce((n, f, i) => n + (stamps?.[i] ?? stampOf(f.blob)).size, 0);
    const files = set.files.map(({ name, group, blob }) => ({ name, group, blob }));
    await library.saveSet(
      { hash: key, name: set.name, size, format, added, lastOpened: now },
      { files, rows: set.rows, mergeError: set.mergeError },
      merged,
    );
    return { key };
  } catch (e) {
    return { key: null, problem: notKept(set.name, e) };
  }
}

/**
 * Opens a file of a set: its model kept with the set when it has been opened before, else parsed
 * and then kept with the set (`setKey`, when the set is in the library), never as an entry of its own.
 */
export async function openSetMember(
  parser: ParserWorker,
  library: ProfileLibrary,
  member: { setKey: string | null; index: number; blob: Blob; name: string },
  progress: Progress,
): Promise<Opened> {
  const { setKey, index, blob, name } = member;
  const cached = setKey ? await library.memberModel(setKey, index).catch(() => undefined) : undefined;
  if (cached)
    return {
      ok: true,
      profile: { ...cached, fileName: name },
      fromLibrary: true,
      kept: nothingToKeep,
      hash: Promise.resolve(null),
    };
  const result = await parser.parse(blob, name, progress);
  if (!result.ok) return result;
  const { complete, whole } = withPendingCalls(result);
  const kept = setKey
    ? whole.then((profile) =>
        profile
          ? whenIdle()
              .then(() => library.saveMemberModel(setKey, index, profile))
              .then(
                () => undefined,
                (e: unknown) => notKept(name, e),
              )
          : undefined,
      )
    : nothingToKeep;
  return { ok: true, profile: result.profile, fromLibrary: false, kept, hash: Promise.resolve(null), complete };
}
