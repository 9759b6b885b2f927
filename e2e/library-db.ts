import { expect, type Page } from '@playwright/test';
import { LIBRARY_DB } from '~/src/library/schema';

/** Names of the library's entries that hold a parsed profile, opened last first, read from IndexedDB. */
export function keptNames(page: Page): Promise<string[]> {
  return page.evaluate(
    (dbName) =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('entries')) {
            db.close();
            return resolve([]);
          }
          const tx = db.transaction(['entries', 'models']);
          const names: string[] = [];
          const cursor = tx.objectStore('entries').index('lastOpened').openCursor(null, 'prev');
          cursor.onsuccess = () => {
            const at = cursor.result;
            if (!at) return;
            const entry = at.value as { hash: string; name: string };
            const model = tx.objectStore('models').count(entry.hash);
            model.onsuccess = () => model.result && names.push(entry.name);
            at.continue();
          };
          tx.oncomplete = () => {
            db.close();
            resolve(names);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    LIBRARY_DB,
  );
}

/**
 * Waits until the profile `name` is kept in the library (it is kept after it is drawn), and is
 * the one opened last when `last` is set. A reload before then would lose it, as it would for a user.
 */
export async function kept(page: Page, name: string, { last = false } = {}): Promise<void> {
  await expect
    .poll(
      async () => {
        const names = await keptNames(page);
        return last ? names[0] === name : names.includes(name);
      },
      { message: `${name} kept in the library${last ? ', opened last' : ''}`, timeout: 30_000 },
    )
    .toBe(true);
}

/** How many records under a set's keys (`set:…`, and its members' `set:…#N`) each store of the library holds. */
export function setRecords(page: Page): Promise<Record<'entries' | 'sets' | 'models', number>> {
  return page.evaluate(
    (dbName) =>
      new Promise<Record<'entries' | 'sets' | 'models', number>>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const stores = ['entries', 'sets', 'models'] as const;
          const counts = { entries: 0, sets: 0, models: 0 };
          const tx = db.transaction([...stores]);
          for (const store of stores) {
            const keys = tx.objectStore(store).getAllKeys(IDBKeyRange.bound('set:', 'set;', false, true));
            keys.onsuccess = () => (counts[store] = keys.result.length);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(counts);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    LIBRARY_DB,
  );
}
