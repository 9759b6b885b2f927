import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { deleteDB } from 'idb';
import { mergeFiles, openForMerge, readSet } from '~/core/analysis/profile-set';
import type { Profile } from '~/core/model/profile';
import type { ParserWorker } from '~/worker/worker-client';
import { fixtureFiles, readJson } from '~/test/fixtures';
import { ProfileSession, type SessionPorts, type SetFile } from '../session/profile-session';
import { keepSet, openSetMember, openWithLibrary, setKeyOf } from './open-with-library';
import { memberPool } from '~/worker/member-pool';
import { ProfileLibrary } from './profile-library';
import { LIBRARY_DB, openLibraryDb } from './schema';

const PSTATS = fixtureFiles('pstats/out', '.prof').filter((f) =>
  /\/(seeds|recursion|objects)-py31[12]-cprofile/.test(f),
);
const totalTt = (path: string) => readJson<{ total_tt: number }>(path.replace(/\.prof$/, '.json')).total_tt;

const setFiles = (): SetFile[] => [
  ...PSTATS.map((path) => ({
    blob: new File([readFileSync(path)], basename(path), { lastModified: 1_700_000_000_000 }),
    name: `runs/${basename(path)}`,
    group: 'runs',
  })),
  {
    blob: new File(['just some notes'], 'notes.txt', { lastModified: 1_700_000_000_000 }),
    name: 'runs/notes.txt',
    group: 'runs',
  },
];

/** A parser in this thread: what the page's worker does with a file, without the worker. */
const parser = {
  parse: async (blob: Blob, name: string) => ({ ok: true, profile: await openForMerge(blob, name) }),
} as unknown as ParserWorker;

/** The page's ports over a library in IndexedDB, as a page has them after a load; counts the sets read from files. */
function pagePorts(library: ProfileLibrary) {
  const reads = { sets: 0 };
  const ports: SessionPorts = {
    open: (file, progress) => openWithLibrary(parser, library, file, progress),
    openMember: (member, progress) => openSetMember(parser, library, member, progress),
    keepSet: (set, merged) => keepSet(library, set, merged),
    storedSet: (key) => library.set(key),
    stopParse: () => {},
    download: () => Promise.reject(new Error('no network here')),
    sample: () => Promise.reject(new Error('no samples here')),
    libraryEntry: (hash) => library.entry(hash),
    lastOpened: () => library.mostRecentlyOpened(),
    openSet: (files, name, progress) => {
      reads.sets++;
      return readSet(files, openForMerge, name, progress);
    },
    merge: async (files, name, progress) => ({
      ok: true,
      profile: await mergeFiles(files, openForMerge, name, progress),
    }),
  };
  return { ports, reads };
}

async function until(what: string, holds: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await holds()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** How many records each store holds, read from the database itself. */
async function records(): Promise<Record<string, number>> {
  const db = await openLibraryDb(() => {});
  const out = {
    entries: await db.count('entries'),
    sets: await db.count('sets'),
    models: await db.count('models'),
  };
  db.close();
  return out;
}

/** Opens the set in a fresh page, waits until it is kept; the page's session and library. */
async function openAndKeep() {
  const library = new ProfileLibrary();
  const session = new ProfileSession(pagePorts(library).ports);
  await session.openSet(setFiles(), 'runs');
  await until('the set kept', () => session.state.set?.key != null);
  return { session, library, key: session.state.set!.key! };
}

/** What a session shows of a set: its list and its merge's numbers. */
function shownSet(session: ProfileSession) {
  const { set, shown } = session.state;
  const merged = shown!.profile;
  return {
    name: set!.name,
    files: set!.files.map((f) => f.name),
    rows: set!.rows,
    mergeError: set!.mergeError,
    merged: { name: merged.fileName, total: merged.samples, tt: merged.pstats!.tt, ct: merged.pstats!.ct },
  };
}

const reloaded = () => {
  const library = new ProfileLibrary();
  const { ports, reads } = pagePorts(library);
  return { library, session: new ProfileSession(ports), reads };
};

const sample = { file: 'shop-checkout.prof' };

// Node has no navigator before version 21; the library asks it to keep its storage.
beforeEach(() => vi.stubGlobal('navigator', { storage: {} }));
afterEach(async () => {
  vi.unstubAllGlobals();
  await deleteDB(LIBRARY_DB);
});

describe('a set of files in the library', () => {
  it('is one entry that reopens whole after a reload, its list and merge read back, none of its files parsed', async () => {
    expect(PSTATS).toHaveLength(6);
    const first = await openAndKeep();
    const before = shownSet(first.session);
    expect(before.rows.filter((r) => r.ok)).toHaveLength(6);
    // The merge holds every readable file: pstats' total is the sum of theirs.
    expect(before.merged.total).toBeCloseTo(
      PSTATS.reduce((n, f) => n + totalTt(f), 0),
      12,
    );
    const entries = await first.library.list();
    expect(entries.map((e) => ({ name: e.name, kind: e.kind, files: e.kind === 'set' ? e.files : 0 }))).toEqual([
      { name: 'runs', kind: 'set', files: 7 },
    ]);
    expect(await records()).toEqual({ entries: 1, sets: 1, models: 1 });

    const page = reloaded();
    await page.session.start(null, sample);
    expect(page.reads.sets).toBe(0);
    expect(page.session.state.shown?.fromLibrary).toBe(true);
    expect(page.session.state.set?.key).toBe(first.key);
    expect(shownSet(page.session)).toEqual(before);
    // The files themselves are kept: a file of the set opens from them, the originals gone.
    const bytes = (files: SetFile[]) => Promise.all(files.map(async (f) => new Uint8Array(await f.blob.arrayBuffer())));
    expect(await bytes(page.session.state.set!.files)).toEqual(await bytes(first.session.state.set!.files));
  });

  it('keeps a file of it opened on its own with the set, not as an entry; deleting the set frees every record', async () => {
    const { key } = await openAndKeep();
    const page = reloaded();
    await page.session.openStoredSet(key, 'runs');
    const index = 1;
    expect(await page.session.openMember(index)).toBe(true);
    expect(page.session.state.shown?.fromLibrary).toBe(false);
    await until('the member kept', async () => (await records()).models === 2);
    expect(await page.library.memberModel(key, index)).toBeDefined();
    expect((await page.library.list()).length).toBe(1);

    // Opened again, it comes from the set's records, parsed no more.
    expect(await page.session.openMember(index)).toBe(true);
    const shown = page.session.state.shown!;
    expect(shown.fromLibrary).toBe(true);
    expect(shown.profile.fileName).toBe(page.session.state.set!.files[index].name);
    const path = PSTATS.find((f) => shown.profile.fileName === `runs/${basename(f)}`)!;
    expect(shown.profile.samples).toBeCloseTo(totalTt(path), 12);

    await page.library.remove(key);
    expect(await records()).toEqual({ entries: 0, sets: 0, models: 0 });
  });

  it('a deleted set keeps no model of a file opened from it afterwards', async () => {
    const { key, library } = await openAndKeep();
    const profile = (await library.set(key)) as { merged: Profile };
    await library.remove(key);
    await library.saveMemberModel(key, 0, profile.merged);
    expect(await records()).toEqual({ entries: 0, sets: 0, models: 0 });
  });

  it('whose merge the library lost (an upgrade of the model) is merged again from its kept files, and kept again', async () => {
    const { key, session } = await openAndKeep();
    const before = shownSet(session);
    const db = await openLibraryDb(() => {});
    await db.delete('models', key);
    db.close();

    const page = reloaded();
    await page.session.start(null, sample);
    expect(page.reads.sets).toBe(1);
    expect(shownSet(page.session)).toEqual(before);
    await until('the merge kept again', async () => (await records()).models === 1);
    expect(await records()).toEqual({ entries: 1, sets: 1, models: 1 });
  });

  it('that cannot be read back is removed, and the page says so', async () => {
    const { key } = await openAndKeep();
    const db = await openLibraryDb(() => {});
    await db.put('sets', { files: 'not a list' }, key);
    db.close();

    const page = reloaded();
    await page.session.openStoredSet(key, 'runs');
    expect(page.session.state.error).toBe('The library’s copy of “runs” could not be read and has been removed.');
    expect(page.session.state.set).toBeNull();
    expect(await records()).toEqual({ entries: 0, sets: 0, models: 0 });
  });

  it('opened again from the same files is the same entry, added when it was first kept', async () => {
    const first = await openAndKeep();
    const [entry] = await first.library.list();
    await new Promise((r) => setTimeout(r, 5));
    const again = await openAndKeep();
    expect(again.key).toBe(first.key);
    const [after] = await again.library.list();
    expect(after.added).toBe(entry.added);
    expect(after.lastOpened).toBeGreaterThan(entry.lastOpened);
    expect(await records()).toEqual({ entries: 1, sets: 1, models: 1 });
  });

  it('is keyed from the stamps the reading threads took: the key the page would make, no File asked on the page', async () => {
    const files = setFiles();
    const pool = memberPool();
    const read = await readSet(files, pool.open, 'runs', () => {}, pool.ahead);
    const stamps = files.map((f) => pool.stamp(f.blob));
    const pageKey = await setKeyOf(files);
    const bytes = files.reduce((n, f) => n + f.blob.size, 0);
    for (const f of files)
      for (const asked of ['size', 'lastModified'])
        Object.defineProperty(f.blob, asked, {
          get: () => {
            throw new Error(`the page asked ${f.name} for its ${asked}`);
          },
        });
    const library = new ProfileLibrary();
    const set = { key: null, name: 'runs', files, rows: read.rows, mergeError: read.mergeError };
    const { key, problem } = await keepSet(library, set, read.merged, stamps);
    expect(problem).toBeUndefined();
    expect(key).toBe(pageKey);
    expect(stamps.map((s) => s.lastModified)).toEqual(files.map(() => 1_700_000_000_000));
    expect((await library.entry(key!))!.size).toBe(bytes);
  });
});
