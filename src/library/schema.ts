import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { ProfileFormat } from '~/core/model/profile';
import type { SetRow } from '~/core/analysis/profile-set';

/** What the library shows of a profile. */
export interface LibraryEntry {
  /** SHA-256 of the file's bytes, hex: the same bytes are one entry whatever their name. */
  hash: string;
  name: string;
  size: number;
  format: ProfileFormat;
  /** Milliseconds since the epoch. */
  added: number;
  lastOpened: number;
}

export interface StoredFile extends LibraryEntry {
  kind?: 'file';
  /** The file as opened, so the profile can be parsed again when the cached model is gone. */
  file: Blob;
}

/**
 * Many files opened together, kept as one entry under a `set:` key: its files and their list are
 * in `sets`, the merge of them in `models` under the same key, and each member's model, once it
 * has been opened on its own, under `memberKey`.
 */
export interface StoredSetEntry extends LibraryEntry {
  kind: 'set';
  /** How many files it holds. */
  files: number;
}

export type StoredEntry = StoredFile | StoredSetEntry;

export const isSetEntry = (entry: StoredEntry): entry is StoredSetEntry => entry.kind === 'set';

/** A file of a set as kept: its path in what was opened, its folder there and its bytes. */
export interface StoredSetFile {
  name: string;
  group: string;
  blob: Blob;
}

/** What a set's list shows, kept beside its files so it reopens without reading them. */
export interface StoredSet {
  files: StoredSetFile[];
  rows: SetRow[];
  mergeError: string | null;
}

/** Where the model of a set's `index`-th file is kept: after the set's key, so a key range holds them all. */
export const memberKey = (setKey: string, index: number) => `${setKey}#${index}`;

/** The range of keys of every member model of a set. */
export const memberKeys = (setKey: string) => IDBKeyRange.bound(`${setKey}#`, `${setKey}#\uffff`);

export interface LibrarySchema extends DBSchema {
  entries: { key: string; value: StoredEntry; indexes: { added: number; lastOpened: number } };
  /** The parsed Profile of each entry, by hash. Read back as unknown: it is checked before use. */
  models: { key: string; value: unknown };
  /** Each set's files and list, by its key. Read back as unknown: it is checked before use. */
  sets: { key: string; value: unknown };
}

type Db = IDBPDatabase<LibrarySchema>;
type UpgradeTransaction = IDBPTransaction<LibrarySchema, ('entries' | 'models' | 'sets')[], 'versionchange'>;

/**
 * Step n brings a database from version n to n + 1. A change to the Profile layout appends a step
 * that clears `models`: entries keep their file and are parsed again the next time they open.
 */
const upgrades: ((db: Db, tx: UpgradeTransaction) => void)[] = [
  (db) => {
    const entries = db.createObjectStore('entries', { keyPath: 'hash' });
    entries.createIndex('added', 'added');
    entries.createIndex('lastOpened', 'lastOpened');
    db.createObjectStore('models');
  },
  // The string table became packed (see `PackedStrings`).
  (_db, tx) => tx.objectStore('models').clear(),
  // pstats trees became estimates that hold each function's tottime, with a `treeEstimate`.
  (_db, tx) => tx.objectStore('models').clear(),
  // A file that holds two profiles (a differential page, two-count lines) keeps its `baseline`.
  (_db, tx) => tx.objectStore('models').clear(),
  // A set of files became one entry, its files and list in a store of their own.
  (db) => db.createObjectStore('sets'),
  // Models became records of packed columns in Blobs (`model-record.ts`).
  (_db, tx) => tx.objectStore('models').clear(),
];

export const LIBRARY_DB = 'kiln-library';

/** Opens the library database, upgrading it step by step from whatever version this browser has. */
export function openLibraryDb(onClose: () => void): Promise<Db> {
  return openDB<LibrarySchema>(LIBRARY_DB, upgrades.length, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < upgrades.length; v++) upgrades[v](db, tx);
    },
    // Another tab runs a newer version: let it upgrade, and reconnect on the next use.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      onClose();
    },
    terminated: onClose,
  });
}
