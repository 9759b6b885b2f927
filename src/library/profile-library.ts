import type { IDBPDatabase } from 'idb';
import type { Profile } from '~/core/model/profile';
import { fromRecord, toRecord } from './model-record';
import {
  memberKey,
  memberKeys,
  openLibraryDb,
  type LibraryEntry,
  type LibrarySchema,
  type StoredEntry,
  type StoredFile,
  type StoredSet,
  type StoredSetEntry,
} from './schema';

/** What the library holds for some bytes. */
export type Lookup =
  | { kind: 'absent' }
  /** A pstats profile comes without its calls (`callsPending`) and whole in `complete`, which rejects when they cannot be read back. */
  | { kind: 'cached'; entry: StoredFile; profile: Profile; complete?: Promise<Profile> }
  /** The entry is there but its model is not (cleared by an upgrade): parse its file again. */
  | { kind: 'file-only'; entry: StoredFile }
  /** The entry could not be read back; it has been removed. */
  | { kind: 'corrupt'; name: string };

/** What the library holds under a set's key. */
export type SetLookup =
  | { kind: 'absent' }
  | { kind: 'set'; entry: StoredSetEntry; set: StoredSet; merged: Profile | null }
  /** The set could not be read back; it has been removed. */
  | { kind: 'corrupt'; name: string };

/** Whether a set read back has the shape it was kept in: a file, with its bytes, for each row. */
function isStoredSet(value: unknown): value is StoredSet {
  const set = value as Partial<StoredSet> | undefined;
  return (
    Array.isArray(set?.files) &&
    Array.isArray(set.rows) &&
    set.rows.length === set.files.length &&
    set.files.every((f) => typeof f?.name === 'string' && typeof f.group === 'string' && f.blob instanceof Blob) &&
    set.rows.every((r) => typeof r?.ok === 'boolean') &&
    (set.mergeError === null || typeof set.mergeError === 'string')
  );
}

/**
 * The profiles this browser has opened, in IndexedDB: each file with its parsed model, so that
 * reopening skips the parser. Dispatches `change` whenever the list changes.
 */
export class ProfileLibrary extends EventTarget {
  private db: Promise<IDBPDatabase<LibrarySchema>> | null = null;

  private connect(): Promise<IDBPDatabase<LibrarySchema>> {
    this.db ??= openLibraryDb(() => (this.db = null));
    const db = this.db;
    db.catch(() => {
      if (this.db === db) this.db = null;
    });
    return db;
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  /** Newest first. The files are handles: listing reads none of their bytes. */
  async list(): Promise<StoredEntry[]> {
    return (await (await this.connect()).getAllFromIndex('entries', 'added')).reverse();
  }

  /** The entry kept under `hash`, read without dating it as opened. */
  async entry(hash: string): Promise<StoredEntry | undefined> {
    return (await this.connect()).get('entries', hash);
  }

  async mostRecentlyOpened(): Promise<StoredEntry | undefined> {
    const cursor = await (
      await this.connect()
    )
      .transaction('entries')
      .store.index('lastOpened')
      .openCursor(null, 'prev');
    return cursor?.value;
  }

  /** Finds the bytes with this hash; an entry that cannot be read back is removed on the way. */
  async lookup(hash: string): Promise<Lookup> {
    const db = await this.connect();
    const tx = db.transaction(['entries', 'models']);
    let entry: StoredEntry | undefined;
    let model: unknown;
    try {
      [entry, model] = await settle(tx, () => [
        tx.objectStore('entries').get(hash),
        tx.objectStore('models').get(hash),
      ]);
    } catch {
      return this.dropCorrupt(hash, entry?.name);
    }
    if (!entry || entry.kind === 'set') return { kind: 'absent' };
    if (model === undefined) return { kind: 'file-only', entry };
    const read = entry.file instanceof Blob ? await fromRecord(model).catch(() => null) : null;
    if (!read) return this.dropCorrupt(hash, entry.name);
    void this.dateOpened(db, entry);
    return { kind: 'cached', entry, ...read };
  }

  /**
   * The set kept under `key`, dated as opened: its files, its list and its merge (null when the
   * merge is not kept: none could be made, or an upgrade cleared it). A set that cannot be read
   * back is removed.
   */
  async set(key: string): Promise<SetLookup> {
    const db = await this.connect();
    const tx = db.transaction(['entries', 'sets', 'models']);
    let entry: StoredEntry | undefined;
    let set: unknown, model: unknown;
    try {
      [entry, set, model] = await settle(tx, () => [
        tx.objectStore('entries').get(key),
        tx.objectStore('sets').get(key),
        tx.objectStore('models').get(key),
      ]);
    } catch {
      return this.dropCorrupt(key, entry?.name);
    }
    if (entry?.kind !== 'set') return { kind: 'absent' };
    const merged = model === undefined ? null : await wholeProfile(model);
    if (!isStoredSet(set) || merged === undefined) return this.dropCorrupt(key, entry.name);
    await this.dateOpened(db, entry);
    return { kind: 'set', entry, set, merged };
  }

  /**
   * Keeps a set as one entry: its files and list, and its merge when there is one (a merge kept
   * before is dropped when there is none). A full quota keeps nothing.
   */
  async saveSet(entry: LibraryEntry, set: StoredSet, merged: Profile | null): Promise<void> {
    const tx = (await this.connect()).transaction(['entries', 'sets', 'models'], 'readwrite');
    const stored: StoredSetEntry = { ...entry, kind: 'set', files: set.files.length };
    await settle(tx, () => [
      tx.objectStore('entries').put(stored),
      tx.objectStore('sets').put(set, entry.hash),
      merged ? tx.objectStore('models').put(toRecord(merged), entry.hash) : tx.objectStore('models').delete(entry.hash),
    ]);
    this.changed();
    requestPersistence();
  }

  /** The model of a set's file kept when it was opened on its own; undefined when there is none. */
  async memberModel(setKey: string, index: number): Promise<Profile | undefined> {
    const model = await (await this.connect()).get('models', memberKey(setKey, index));
    return model === undefined ? undefined : ((await wholeProfile(model)) ?? undefined);
  }

  /** Keeps the model of a set's file with the set; not once the set is deleted. */
  async saveMemberModel(setKey: string, index: number, profile: Profile): Promise<void> {
    const tx = (await this.connect()).transaction(['sets', 'models'], 'readwrite');
    const held = (await tx.objectStore('sets').count(setKey)) > 0;
    if (held) await tx.objectStore('models').put(toRecord(profile), memberKey(setKey, index));
    await tx.done;
  }

  /**
   * Whether the library holds a model for `hash`, found without reading it (a large model takes
   * the page a while to read back); an entry that has one is dated as opened now.
   */
  async hasModel(hash: string): Promise<{ entry?: StoredFile; model: boolean }> {
    const db = await this.connect();
    const tx = db.transaction(['entries', 'models']);
    const [entry, models] = await settle(tx, () => [
      tx.objectStore('entries').get(hash),
      tx.objectStore('models').count(hash),
    ]);
    if (entry?.kind === 'set') return { model: false };
    if (!entry || models === 0) return { entry, model: false };
    await this.dateOpened(db, entry);
    return { entry, model: true };
  }

  /** The date is a nicety: a failure to write it must not stop the profile from opening. */
  private async dateOpened(db: IDBPDatabase<LibrarySchema>, entry: StoredEntry): Promise<void> {
    await db.put('entries', { ...entry, lastOpened: Date.now() }).then(
      () => this.changed(),
      () => {},
    );
  }

  private async dropCorrupt(hash: string, name = 'a profile'): Promise<{ kind: 'corrupt'; name: string }> {
    await this.remove(hash);
    return { kind: 'corrupt', name };
  }

  /** Keeps a file and its model; a full quota rejects with QuotaExceededError and keeps nothing. */
  async save(entry: LibraryEntry, file: Blob, profile: Profile): Promise<void> {
    const tx = (await this.connect()).transaction(['entries', 'models'], 'readwrite');
    await settle(tx, () => [
      tx.objectStore('entries').put({ ...entry, file }),
      tx.objectStore('models').put(toRecord(profile), entry.hash),
    ]);
    this.changed();
    requestPersistence();
  }

  /** Drops the model kept for `hash`, keeping its entry and file: the file is parsed again when next opened. */
  async forgetModel(hash: string): Promise<void> {
    await (await this.connect()).delete('models', hash);
  }

  /** Deletes an entry and all it holds: a set's files, its merge and its members' models too. */
  async remove(hash: string): Promise<void> {
    const tx = (await this.connect()).transaction(['entries', 'sets', 'models'], 'readwrite');
    await settle(tx, () => [
      tx.objectStore('entries').delete(hash),
      tx.objectStore('models').delete(hash),
      tx.objectStore('sets').delete(hash),
      tx.objectStore('models').delete(memberKeys(hash)),
    ]);
    this.changed();
  }

  async clear(): Promise<void> {
    const tx = (await this.connect()).transaction(['entries', 'sets', 'models'], 'readwrite');
    await settle(tx, () => [
      tx.objectStore('entries').clear(),
      tx.objectStore('models').clear(),
      tx.objectStore('sets').clear(),
    ]);
    this.changed();
  }
}

/** The whole profile a model record holds, calls and all; undefined when it cannot be read back. */
async function wholeProfile(model: unknown): Promise<Profile | undefined> {
  const read = await fromRecord(model).catch(() => null);
  if (!read) return undefined;
  return read.complete ? read.complete.catch(() => undefined) : read.profile;
}

/**
 * The results of a transaction's requests once it has committed, all or nothing. On failure it
 * rejects with the transaction's own error (QuotaExceededError, not the AbortError of each
 * request). A request that throws at once (as some browsers do when storage is full) aborts the
 * transaction, so no half of it is kept.
 */
async function settle<T extends unknown[]>(
  tx: { done: Promise<void>; error: DOMException | null; abort(): void },
  start: () => [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  let requests: Promise<unknown>[];
  try {
    requests = start();
  } catch (e) {
    tx.done.catch(() => {});
    tx.abort();
    throw e;
  }
  const results = await Promise.allSettled([...requests, tx.done]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw tx.error ?? failed.reason;
  return results.slice(0, requests.length).map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}

/** Asks the browser not to evict the library under storage pressure; it decides without asking the user in Chromium. */
function requestPersistence(): void {
  navigator.storage
    ?.persisted?.()
    .then((kept) => kept || navigator.storage.persist())
    .catch(() => {});
}
