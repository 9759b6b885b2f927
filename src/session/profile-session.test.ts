import { FORMATS_READ } from '~/core/formats/formats-read';
import { describe, expect, it } from 'vitest';
import { parseStackText } from '~/core/formats/stacks/read-stacks';
import { mergeFiles, readSet } from '~/core/analysis/profile-set';
import { ProfileError } from '~/core/model/profile';
import type { Opened } from '../library/open-with-library';
import { ProfileSession, type SessionPorts } from './profile-session';

/** A promise settled from outside, to order what the session awaits. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const opened = (name: string): Opened => ({
  ok: true,
  profile: parseStackText(`${name};work 3\n`, name),
  fromLibrary: false,
  kept: Promise.resolve(undefined),
  hash: Promise.resolve(`hash-of-${name}`),
});

/** Ports whose opens settle when the test says, by file name; every stop of a parse counted. */
function fakePorts() {
  const pending = new Map<string, ReturnType<typeof deferred<Opened>>>();
  const calls = { stops: 0, opened: [] as string[], sets: [] as string[][] };
  /** Set reads and merges wait here, by the name of their merge, until the test settles them. */
  const gates = new Map<string, ReturnType<typeof deferred<void>>>();
  const gate = (name: string) => {
    const d = deferred<void>();
    gates.set(name, d);
    return d.promise;
  };
  const opening = (name: string) => {
    calls.opened.push(name);
    const d = deferred<Opened>();
    pending.set(name, d);
    return d.promise;
  };
  const ports: SessionPorts = {
    open: ({ name }) => opening(name),
    openMember: ({ name }) => opening(name),
    keepSet: () => Promise.resolve({ key: null }),
    storedSet: () => Promise.resolve({ kind: 'absent' }),
    stopParse: () => calls.stops++,
    download: () => Promise.reject(new Error('no network here')),
    sample: () => Promise.reject(new Error('no samples here')),
    libraryEntry: () => Promise.resolve(undefined),
    lastOpened: () => Promise.resolve(undefined),
    openSet: async (files, name, progress) => {
      calls.sets.push(files.map((f) => f.name));
      await gate(name);
      return readSet(files, parseText, name, progress);
    },
    merge: async (files, name, progress) => {
      calls.sets.push(files.map((f) => f.name));
      await gate(name);
      try {
        return { ok: true, profile: await mergeFiles(files, parseText, name, progress) };
      } catch (e) {
        return { ok: false, message: (e as Error).message };
      }
    },
  };
  const release = async (name: string) => {
    while (!gates.has(name)) await new Promise((r) => setTimeout(r));
    gates.get(name)!.resolve();
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r));
  };
  const settle = async (name: string, result: Opened = opened(name)) => {
    while (!pending.has(name)) await new Promise((r) => setTimeout(r));
    pending.get(name)!.resolve(result);
    await new Promise((r) => setTimeout(r));
  };
  return { ports, calls, settle, release };
}

/** Reads a set's file as folded stacks; a `.bad` file cannot be read. */
async function parseText(blob: Blob, name: string) {
  if (name.endsWith('.bad')) throw new ProfileError('this is not a profile');
  return parseStackText(await blob.text(), name);
}

const member = (name: string, text: string, group = '') => ({ blob: new Blob([text]), name, group });

const file = (name: string, lastModified: number) => new File([name], name, { lastModified });
const shownName = (s: ProfileSession) => s.state.shown?.profile.fileName;

describe('the profile session', () => {
  it('shows the newer of two opens when the older one finishes last, and stops the older parse', async () => {
    const { ports, calls, settle } = fakePorts();
    const session = new ProfileSession(ports);
    const slow = session.open(new Blob(['a']), 'slow.prof');
    const quick = session.open(new Blob(['b']), 'quick.prof');
    expect(calls.stops).toBe(1);
    await settle('quick.prof');
    expect(await quick).toBe(true);
    expect(shownName(session)).toBe('quick.prof');
    expect(session.state.loading).toBeNull();
    await settle('slow.prof');
    expect(await slow).toBe(false);
    expect(shownName(session)).toBe('quick.prof');
    expect(session.state.error).toBeNull();
  });

  it('opens the new side on its own, and says why, when the baseline of a dropped pair fails', async () => {
    const { ports, settle } = fakePorts();
    const session = new ProfileSession(ports);
    const dropped = session.openDropped([file('after.prof', 2), file('before.prof', 1)]);
    await settle('before.prof', { ok: false, message: 'the file is empty' });
    await settle('after.prof');
    await dropped;
    expect(shownName(session)).toBe('after.prof');
    expect(session.state.baseline).toBeNull();
    expect(session.state.error).toBe(
      'Could not open “before.prof”: the file is empty. “after.prof” is open on its own.',
    );
  });

  it('compares a pair dropped while another file parses, the older as the baseline, and drops the first', async () => {
    const { ports, calls, settle } = fakePorts();
    const session = new ProfileSession(ports);
    const first = session.open(new Blob(['x']), 'first.prof');
    const dropped = session.openDropped([file('new.prof', 20), file('old.prof', 10)]);
    expect(calls.stops).toBe(1);
    await settle('old.prof');
    await settle('new.prof');
    await dropped;
    await settle('first.prof');
    expect(await first).toBe(false);
    expect(calls.opened).toEqual(['first.prof', 'old.prof', 'new.prof']);
    expect(shownName(session)).toBe('new.prof');
    expect(session.state.baseline?.profile.fileName).toBe('old.prof');
    expect(session.state.view.view).toBe('compare');
  });

  it('names both sides in the view once their keys are known, and not after the comparison ended', async () => {
    const { ports, settle } = fakePorts();
    const session = new ProfileSession(ports);
    const dropped = session.openDropped([file('b.prof', 2), file('a.prof', 1)]);
    await settle('a.prof');
    await settle('b.prof');
    await dropped;
    expect(session.state.view).toMatchObject({ baseline: 'hash-of-a.prof', next: 'hash-of-b.prof' });
    session.swapSides();
    await new Promise((r) => setTimeout(r));
    expect(shownName(session)).toBe('a.prof');
    expect(session.state.view).toMatchObject({ baseline: 'hash-of-b.prof', next: 'hash-of-a.prof' });

    const late = deferred<string | null>();
    const again = session.openDropped([file('d.prof', 2), file('c.prof', 1)]);
    await settle('c.prof');
    await settle('d.prof', { ...opened('d.prof'), hash: late.promise } as Opened);
    await again;
    session.endComparison();
    late.resolve('hash-of-d.prof');
    await new Promise((r) => setTimeout(r));
    expect(session.state.view).toMatchObject({ view: 'table', baseline: null, next: null });
  });

  it('opens a file that holds two profiles as their comparison, unless it is opened against another', async () => {
    const { ports, settle } = fakePorts();
    const session = new ProfileSession(ports);
    const twoCounts = (): Opened => ({
      ok: true,
      profile: parseStackText('a;b 1 2\n', 'diff.folded'),
      fromLibrary: false,
      kept: Promise.resolve(undefined),
      hash: Promise.resolve('hash-of-diff.folded'),
    });
    const first = session.open(new Blob(['a;b 1 2\n']), 'diff.folded');
    await settle('diff.folded', twoCounts());
    expect(await first).toBe(true);
    const { shown, baseline, view } = session.state;
    expect([shown?.profile.samples, baseline?.profile.samples]).toEqual([2, 1]);
    expect([shown?.profile.fileName, baseline?.profile.fileName]).toEqual(['diff.folded', 'diff.folded (before)']);
    expect(shown?.profile.baseline).toBeUndefined();
    expect(view.view).toBe('compare');
    expect(await baseline?.hash).toBeNull();

    const other = session.open(new Blob(['x']), 'other.folded');
    await settle('other.folded');
    await other;
    const against = session.open(new Blob(['a;b 1 2\n']), 'diff.folded', { compare: true });
    await settle('diff.folded', twoCounts());
    await against;
    expect(session.state.baseline?.profile.fileName).toBe('other.folded');
    expect(session.state.shown?.profile.samples).toBe(2);
  });

  it('shows the view tab chosen while a file loads once the profile comes, and only that load', async () => {
    const { ports, settle } = fakePorts();
    const session = new ProfileSession(ports);
    const first = session.open(new Blob(['a']), 'first.prof');
    await settle('first.prof');
    await first;
    expect(session.state.view.view).toBe('table');
    const big = session.open(new Blob(['b']), 'big.prof');
    session.setView({ ...session.state.view, view: 'calltree' });
    await settle('big.prof');
    expect(await big).toBe(true);
    expect(shownName(session)).toBe('big.prof');
    expect(session.state.view.view).toBe('calltree');
    // A file opened without a choice during its load opens on the table, as before.
    const next = session.open(new Blob(['c']), 'next.prof');
    await settle('next.prof');
    await next;
    expect(session.state.view.view).toBe('table');
  });

  it('keeps the profile shown when a later open fails', async () => {
    const { ports, settle } = fakePorts();
    const session = new ProfileSession(ports);
    const good = session.open(new Blob(['a']), 'good.prof');
    await settle('good.prof');
    await good;
    const bad = session.open(new Blob(['b']), 'bad.prof');
    await settle('bad.prof', { ok: false, message: 'this is a PNG image, not a profile' });
    expect(await bad).toBe(false);
    expect(shownName(session)).toBe('good.prof');
    expect(session.state.error).toBe('Could not open “bad.prof”: this is a PNG image, not a profile.');
  });

  it('ends a refusal that ends in a full stop with one', async () => {
    const { ports, settle } = fakePorts();
    const session = new ProfileSession(ports);
    const bad = session.open(new Blob(['notes']), 'notes.txt');
    await settle('notes.txt', { ok: false, message: `this is not a profile. ${FORMATS_READ}.` });
    expect(await bad).toBe(false);
    expect(session.state.error).toBe(`Could not open “notes.txt”: this is not a profile. ${FORMATS_READ}.`);
  });

  it('a file opened while a sample downloads wins over the sample', async () => {
    const { ports, settle } = fakePorts();
    const sample = deferred<Blob>();
    const session = new ProfileSession({ ...ports, sample: () => sample.promise });
    const opening = session.openSample({ file: 'sample.prof' });
    const mine = session.open(new Blob(['m']), 'mine.prof');
    await settle('mine.prof');
    await mine;
    sample.resolve(new Blob(['s']));
    await opening;
    expect(shownName(session)).toBe('mine.prof');
  });

  it('opens a set: a row per file in name order, the bad one with its message, and the merge of the rest shown', async () => {
    const { ports, calls, release } = fakePorts();
    const session = new ProfileSession(ports);
    const opening = session.openSet(
      [member('b.folded', 'main;slow 5\n'), member('c.bad', 'x'), member('a.folded', 'main;fast 2\nmain;slow 1\n')],
      'requests',
    );
    expect(session.state.loading).toMatchObject({ name: 'requests', done: 0, phase: 'parsing' });
    await release('requests (3 merged)');
    await opening;
    expect(calls.sets).toEqual([['a.folded', 'b.folded', 'c.bad']]);
    const set = session.state.set!;
    expect(set.rows.map((r) => (r.ok ? `${r.total} ${r.hottest}` : r.message))).toEqual([
      '3 fast',
      '5 slow',
      'this is not a profile',
    ]);
    expect(shownName(session)).toBe('requests (3 merged)');
    expect(session.state.shown!.profile.samples).toBe(8);
    expect(session.state.error).toBe('1 of 3 files could not be read; the list says why.');
    expect(session.state.loading).toBeNull();
  });

  it('shows no progress that arrives after a file was opened, as progress on its own channel can', async () => {
    const { ports } = fakePorts();
    let late: ((done: number, total: number, phase: 'parsing') => void) | null = null;
    const session = new ProfileSession({
      ...ports,
      open: async ({ name }, progress) => {
        late = progress;
        return opened(name);
      },
    });
    expect(await session.open(new Blob(['a']), 'a.folded')).toBe(true);
    expect(session.state.loading).toBeNull();
    late!(0, 12, 'parsing');
    expect(session.state.loading).toBeNull();
  });

  it('shows no progress that arrives after the set was read, as progress on its own channel can', async () => {
    const { ports } = fakePorts();
    let late: ((done: number, total: number) => void) | null = null;
    const session = new ProfileSession({
      ...ports,
      openSet: async (files, name, progress) => {
        late = progress;
        return readSet(files, parseText, name, () => undefined);
      },
    });
    await session.openSet([member('a.folded', 'main;work 2\n')], 'requests');
    expect(session.state.loading).toBeNull();
    late!(0, 12);
    expect(session.state.loading).toBeNull();
    expect(shownName(session)).toBe('requests (1 merged)');
  });

  it('a file opened while a set is read wins, and the set read after it is dropped', async () => {
    const { ports, calls, settle, release } = fakePorts();
    const session = new ProfileSession(ports);
    const opening = session.openSet([member('a.folded', 'a 1\n'), member('b.folded', 'b 1\n')], 'set');
    const single = session.open(new Blob(['x']), 'single.prof');
    expect(calls.stops).toBe(1);
    await settle('single.prof');
    await release('set (2 merged)');
    await opening;
    expect(await single).toBe(true);
    expect(shownName(session)).toBe('single.prof');
    expect(session.state.set).toBeNull();
    expect(session.state.loading).toBeNull();
  });

  it('a set dropped while a file parses wins over the file', async () => {
    const { ports, calls, settle, release } = fakePorts();
    const session = new ProfileSession(ports);
    const single = session.open(new Blob(['x']), 'single.prof');
    const stacks = (name: string) => new File([`${name};work 1\n`], name);
    const dropped = session.openDropped([stacks('b.folded'), stacks('a.folded'), stacks('c.folded')]);
    expect(calls.stops).toBe(1);
    await release('3 files (3 merged)');
    await dropped;
    await settle('single.prof');
    expect(await single).toBe(false);
    expect(shownName(session)).toBe('3 files (3 merged)');
    expect(session.state.set?.files.map((f) => f.name)).toEqual(['a.folded', 'b.folded', 'c.folded']);
  });

  it('opens a file of the set and merges a selection with the set still listed; a new file ends the set', async () => {
    const { ports, settle, release } = fakePorts();
    const session = new ProfileSession(ports);
    const files = [member('a.folded', 'a 1\n'), member('b.folded', 'b 2\n'), member('c.folded', 'c 4\n')];
    const opening = session.openSet(files, 'set');
    await release('set (3 merged)');
    await opening;
    const one = session.openMember(1);
    await settle('b.folded');
    expect(await one).toBe(true);
    expect(shownName(session)).toBe('b.folded');
    expect(session.state.set?.name).toBe('set');
    const merging = session.mergeMembers([0, 2]);
    await release('set (2 merged)');
    await merging;
    expect(shownName(session)).toBe('set (2 merged)');
    expect(session.state.shown!.profile.samples).toBe(5);
    expect(session.state.set?.name).toBe('set');
    const other = session.open(new Blob(['o']), 'other.prof');
    await settle('other.prof');
    await other;
    expect(session.state.set).toBeNull();
  });

  it('compares two groups, each merged: the baseline group before, the new one after', async () => {
    const { ports, calls, release } = fakePorts();
    const session = new ProfileSession(ports);
    const files = [
      member('after/1.folded', 'main;work 2\n', 'after'),
      member('before/1.folded', 'main;work 5\n', 'before'),
      member('before/2.folded', 'main;work 7\n', 'before'),
    ];
    const opening = session.openSet(files, 'runs');
    await release('runs (3 merged)');
    await opening;
    const comparing = session.compareGroups({ indices: [1, 2], name: 'before' }, { indices: [0], name: 'after' });
    await release('before (2 merged)');
    await release('after (1 merged)');
    await comparing;
    expect(calls.sets.slice(1)).toEqual([['before/1.folded', 'before/2.folded'], ['after/1.folded']]);
    expect(session.state.baseline?.profile.samples).toBe(12);
    expect(shownName(session)).toBe('after (1 merged)');
    // Each side knows its group's size, which the comparison divides by; swapped, the sizes go along.
    expect([session.state.baseline?.members, session.state.shown?.members]).toEqual([2, 1]);
    session.swapSides();
    expect([session.state.baseline?.members, session.state.shown?.members]).toEqual([1, 2]);
    session.swapSides();
    expect(session.state.view.view).toBe('compare');
    expect(session.state.set?.name).toBe('runs');
  });

  it('says why a set is not merged, and keeps its list', async () => {
    const { ports, release } = fakePorts();
    const session = new ProfileSession(ports);
    const opening = session.openSet(
      [member('a.folded', 'a 1\n'), member('b.txt', 'Thread 0x1;main (m.py);L1 50\n')],
      'mixed',
    );
    await release('mixed (2 merged)');
    await opening;
    expect(session.state.shown).toBeNull();
    expect(session.state.set?.rows.every((r) => r.ok)).toBe(true);
    expect(session.state.error).toMatch(/^The set is not merged: .*profiles of different units cannot be merged\.$/);
  });

  it('says a link’s ?url= is not an address instead of downloading the page itself', async () => {
    const { ports } = fakePorts();
    const asked: string[] = [];
    const download: SessionPorts['download'] = (address) => {
      asked.push(address);
      return Promise.reject(new Error('no network here'));
    };
    const form = 'a link names its profile as ?url=https://host/path/run.prof.';
    for (const [link, said] of [
      ['hello', `“hello” is not a web address: ${form}`],
      ['', `This link’s ?url= is empty: ${form}`],
      ['file:///etc/passwd', `“file:///etc/passwd” is not an http or https address: ${form}`],
    ]) {
      const session = new ProfileSession({ ...ports, download });
      await session.start(link, { file: 'sample.prof' });
      expect(session.state.error).toBe(said);
      expect(session.state.loading).toBeNull();
    }
    expect(asked).toEqual([]);
    const session = new ProfileSession({ ...ports, download });
    const fine = ['https://h.test/a.prof', 'http://h.test/a.prof', './runs/a.prof', '/a.prof', '../a.prof'];
    for (const link of fine) {
      await session.openUrl(link);
      expect(session.state.error).toBe('no network here.');
    }
    expect(asked).toEqual(fine);
  });
});
