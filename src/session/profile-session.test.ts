import { describe, expect, it } from 'vitest';
import { parseStackText } from '~/core/formats/stacks/read-stacks';
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
  const calls = { stops: 0, opened: [] as string[] };
  const ports: SessionPorts = {
    open: ({ name }) => {
      calls.opened.push(name);
      const d = deferred<Opened>();
      pending.set(name, d);
      return d.promise;
    },
    stopParse: () => calls.stops++,
    download: () => Promise.reject(new Error('no network here')),
    sample: () => Promise.reject(new Error('no samples here')),
    libraryEntry: () => Promise.resolve(undefined),
    lastOpened: () => Promise.resolve(undefined),
  };
  const settle = async (name: string, result: Opened = opened(name)) => {
    while (!pending.has(name)) await new Promise((r) => setTimeout(r));
    pending.get(name)!.resolve(result);
    await new Promise((r) => setTimeout(r));
  };
  return { ports, calls, settle };
}

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
