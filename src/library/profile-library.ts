import type { IDBPDatabase } from 'idb';
import type { Profile } from '~/core/model/profile';
import { isProfile } from '~/core/model/profile-check';
import { openLibraryDb, type LibraryEntry, type LibrarySchema, type StoredEntry } from './schema';

/** What the library holds for some bytes. */
export type Lookup =
  | { kind: 'absent' }
  | { kind: 'cached'; entry: StoredEntry; profile: Profile }
  /** The entry is there but its model is not (cleared by an upgrade): parse its file again. */
  | { kind: 'file-only'; entry: StoredEntry }
  /** The entry could not be read back; it has been removed. */
  | { kind: 'corrupt'; name: string };

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
    if (!entry) return { kind: 'absent' };
    if (model === undefined) return { kind: 'file-only', entry };
    if (!isProfile(model) || !(entry.file instanceof Blob)) return this.dropCorrupt(hash, entry.name);
    await this.dateOpened(db, entry);
    return { kind: 'cached', entry, profile: model };
  }

  /**
   * Whether the library holds a model for `hash`, found without reading it (a large model takes
   * the page a while to read back); an entry that has one is dated as opened now.
   */
  async hasModel(hash: string): Promise<{ entry?: StoredEntry; model: boolean }> {
    const db = await this.connect();
    const tx = db.transaction(['entries', 'models']);
    const [entry, models] = await settle(tx, () => [
      tx.objectStore('entries').get(hash),
      tx.objectStore('models').count(hash),
    ]);
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

  private async dropCorrupt(hash: string, name = 'a profile'): Promise<Lookup> {
    await this.remove(hash);
    return { kind: 'corrupt', name };
  }

  /** Keeps a file and its model; a full quota rejects with QuotaExceededError and keeps nothing. */
  async save(entry: LibraryEntry, file: Blob, profile: Profile): Promise<void> {
    const tx = (await this.connect()).transaction(['entries', 'models'], 'readwrite');
    await settle(tx, () => [
      tx.objectStore('entries').put({ ...entry, file }),
      tx.objectStore('models').put(profile, entry.hash),
    ]);
    this.changed();
    requestPersistence();
  }

  async remove(hash: string): Promise<void> {
    const tx = (await this.connect()).transaction(['entries', 'models'], 'readwrite');
    await settle(tx, () => [tx.objectStore('entries').delete(hash), tx.objectStore('models').delete(hash)]);
    this.changed();
  }

  async clear(): Promise<void> {
    const tx = (await this.connect()).transaction(['entries', 'models'], 'readwrite');
    await settle(tx, () => [tx.objectStore('entries').clear(), tx.objectStore('models').clear()]);
    this.changed();
  }
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
