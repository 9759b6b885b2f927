import type { Progress } from '~/core/formats/open-profile';
import type { Profile } from '~/core/model/profile';
import { fitViewState } from '../address/url-state';
import { linkedAddressProblem } from '../fetch-profile';
import { initialViewState, type ViewName, type ViewState } from '../address/view-state';
import type { Opened } from '../library/open-with-library';
import type { SetLookup } from '../library/profile-library';
import { isSetEntry, type StoredEntry, type StoredFile } from '../library/schema';
import type { SetInput, SetProgress, SetRead, SetRow } from '~/core/analysis/profile-set';
import type { FileStamp } from '~/core/analysis/file-stamp';

/** What the session needs of the page's machinery; tests give it their own. */
export interface SessionPorts {
  /** Opens bytes through the library (parsed in the worker unless the library has them). */
  open(file: { blob: Blob; name: string; hash?: string }, progress: Progress): Promise<Opened>;
  /** Opens the `index`-th file of a set, with its model kept with the set when the set has a key in the library. */
  openMember(
    member: { setKey: string | null; index: number; blob: Blob; name: string },
    progress: Progress,
  ): Promise<Opened>;
  /** Keeps a set in the library as one entry: its key, or null when it is not kept, and what to tell the user. */
  keepSet(
    set: ProfileSet,
    merged: Profile | null,
    stamps?: FileStamp[],
  ): Promise<{ key: string | null; problem?: string }>;
  /** The set kept in the library under `key`. */
  storedSet(key: string): Promise<SetLookup>;
  /** Stops the parse under way. */
  stopParse(): void;
  download(
    address: string,
    progress: (done: number, total: number) => void,
  ): Promise<{ blob: Blob; name: string; url: string }>;
  /** A bundled sample profile's bytes. */
  sample(file: string): Promise<Blob>;
  libraryEntry(hash: string): Promise<StoredEntry | undefined>;
  /** Reads a set of files in the worker: a row for each, and those that can be read merged. */
  openSet(files: SetInput[], mergedName: string, progress: SetProgress): Promise<SetRead>;
  /** Merges files in the worker. */
  merge(
    files: SetInput[],
    mergedName: string,
    progress: SetProgress,
  ): Promise<{ ok: true; profile: Profile } | { ok: false; message: string }>;
  lastOpened(): Promise<StoredEntry | undefined>;
}

/** One side of what is shown: the open profile, or the baseline it is compared with. */
export interface Side {
  profile: Profile;
  /** Its key in the library, once known; null when it has none. */
  hash: Promise<string | null>;
  fromLibrary: boolean;
  /** The address it was downloaded from (`?url=`), for the address bar. */
  url: string | null;
  /** How many profiles of a set it merges, when it is one side of compared groups. */
  members?: number;
}

export interface Loading {
  name: string;
  done: number;
  total: number;
  phase: 'downloading' | 'reading' | 'parsing';
  /** What `done` and `total` count: bytes, or the files of a set. */
  unit?: 'files';
}

/** A file of a set: its path in what was dropped or picked, and the folder it came from ('' for loose files). */
export interface SetFile {
  blob: Blob;
  name: string;
  group: string;
}

/** Many profiles opened at once (a folder of per-request profiles): listed, merged, compared. */
export interface ProfileSet {
  /** Its key in the library, once it is kept there. */
  key: string | null;
  name: string;
  /** By name; `rows[i]` is what was read of `files[i]`. */
  files: SetFile[];
  rows: SetRow[];
  /** Why the whole set is not merged, when it is not. */
  mergeError: string | null;
}

export interface SessionState {
  shown: Side | null;
  /** While comparing: the baseline, with `shown` the new side. */
  baseline: Side | null;
  loading: Loading | null;
  error: string | null;
  view: ViewState;
  /** The set open, whose list is shown above the profile (one of its files, or a merge of some). */
  set: ProfileSet | null;
}

/** Where the bytes being opened come from, when it is more than a dropped file. */
export interface Origin {
  /** The library entry's key, known already. */
  hash?: string;
  /** The address the file was downloaded from. */
  url?: string;
  /** Opens it as the new side of a comparison, with the profile shown now as the baseline. */
  compare?: boolean;
  /** Opens it as the new side of a comparison with this baseline. */
  against?: Side;
  /** It belongs to the set open, which stays listed. */
  inSet?: boolean;
  /** It is this file of the set open. */
  member?: number;
  /** It merges this many files of the set open. */
  members?: number;
}

/** A bundled sample and, for a sample that is compared, the sample it is compared with. */
export interface Sample {
  file: string;
  baseline?: string;
}

const failed = (name: string, why: string) => `Could not open “${name}”: ${why}${/[.!?]$/.test(why) ? '' : '.'}`;

const inputs = (files: SetFile[]): SetInput[] => files.map(({ blob, name }) => ({ blob, name }));

const mergedName = (name: string, count: number) => `${name} (${count} merged)`;

/** A profile made here (a merge), or a set's merge read back from the library: nothing to keep. */
const made = (profile: Profile, fromLibrary = false): Extract<Opened, { ok: true }> => ({
  ok: true,
  profile,
  fromLibrary,
  kept: Promise.resolve(undefined),
  hash: Promise.resolve(null),
});

/**
 * Opening, replacing, comparing and cancelling profiles, and the round trip through the library,
 * apart from how the page draws them. Every open takes the one open token: whatever an open
 * learns after a newer one has started is dropped, so the newest request always wins.
 */
export class ProfileSession {
  state: SessionState = {
    shown: null,
    baseline: null,
    loading: null,
    error: null,
    view: initialViewState(),
    set: null,
  };
  private token = 0;
  private parsing = false;
  /** Why the last open failed, empty when it did not or was overtaken. */
  private failure = '';
  private readonly listeners = new Set<() => void>();
  /** A view tab chosen while a file loads: the user's last word, shown when the profile comes. */
  private chosenWhileLoading: ViewName | null = null;

  constructor(
    private readonly ports: SessionPorts,
    /** The view a link names, applied to the first profile opened. */
    private linkedView: ViewState | null = null,
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(change: Partial<SessionState>): void {
    this.state = { ...this.state, ...change };
    for (const l of this.listeners) l();
  }

  setView = (view: ViewState): void => {
    if (this.state.loading && view.view !== this.state.view.view) this.chosenWhileLoading = view.view;
    this.set({ view });
  };

  dismissError = (): void => this.set({ error: null });

  /** Opens a file; true when it is now the open profile. */
  async open(blob: Blob, name: string, origin: Origin = {}): Promise<boolean> {
    const mine = ++this.token;
    if (this.parsing) this.ports.stopParse();
    this.parsing = true;
    this.failure = '';
    this.set({ error: null, loading: { name, done: 0, total: blob.size, phase: 'reading' } });
    // Progress comes on a channel of its own and can arrive after the result: none is shown then.
    let working = true;
    try {
      const progress: Progress = (done, total, phase) => {
        if (working && this.token === mine) this.set({ loading: { name, done, total, phase } });
      };
      const set = this.state.set;
      const result = await (origin.member !== undefined && set
        ? this.ports.openMember({ setKey: set.key, index: origin.member, blob, name }, progress)
        : this.ports.open({ blob, name, hash: origin.hash }, progress));
      if (this.token !== mine) return false;
      if (!result.ok) {
        this.set({ error: (this.failure = failed(name, result.message)) });
        return false;
      }
      this.show(result, origin);
      return true;
    } catch (e) {
      if (this.token === mine)
        this.set({ error: (this.failure = failed(name, e instanceof Error ? e.message : String(e))) });
      return false;
    } finally {
      working = false;
      if (this.token === mine) {
        this.parsing = false;
        this.chosenWhileLoading = null;
        this.set({ loading: null });
      }
    }
  }

  private show(result: Extract<Opened, { ok: true }>, origin: Origin): void {
    // A file that holds two profiles opens as their comparison, unless it is opened against another.
    const { baseline: held, ...profile } = result.profile;
    const own: Side | null = held
      ? { profile: held, hash: Promise.resolve(null), fromLibrary: result.fromLibrary, url: null }
      : null;
    const against = origin.against ?? (origin.compare ? this.state.shown : null) ?? own;
    const shown: Side = {
      profile: held ? profile : result.profile,
      hash: result.hash,
      fromLibrary: result.fromLibrary,
      url: origin.url ?? null,
      members: origin.members,
    };
    const linked = this.linkedView && fitViewState(this.linkedView, result.profile.frames.count);
    this.linkedView = null;
    const comparedView =
      linked && (linked.view === 'compare' || linked.view === 'diff')
        ? linked
        : { ...initialViewState(), view: 'compare' as const };
    const view = { ...(against ? comparedView : (linked ?? initialViewState())), baseline: null, next: null };
    const chosen = this.chosenWhileLoading;
    this.chosenWhileLoading = null;
    if (chosen && (against || (chosen !== 'compare' && chosen !== 'diff'))) view.view = chosen;
    const set = origin.inSet ? this.state.set : null;
    this.set({ shown, baseline: against, view, error: result.notice ?? null, set });
    if (against) this.nameSidesInAddress();
    result.kept.then((unsaved) => unsaved && this.set({ error: unsaved }));
    // The complete profile (its callers and tree) replaces the pending one wherever it is by then:
    // shown, or the baseline of a comparison.
    const pending = result.profile;
    result.complete?.then((complete) => {
      const swap = (side: Side | null) => (side?.profile === pending ? { ...side, profile: complete } : side);
      this.set({ shown: swap(this.state.shown), baseline: swap(this.state.baseline) });
    });
  }

  /**
   * The address names both sides of a comparison by their keys in the library, once known, so
   * that a reload compares them again; keys that come after the comparison changed are dropped.
   */
  private nameSidesInAddress(): void {
    const { shown, baseline } = this.state;
    if (!shown || !baseline) return;
    const same = () => this.state.shown?.hash === shown.hash && this.state.baseline?.hash === baseline.hash;
    Promise.all([baseline.hash, shown.hash]).then(([base, next]) => {
      if (base && next && same()) this.set({ view: { ...this.state.view, baseline: base, next } });
    });
  }

  async openSample(sample: Sample): Promise<void> {
    const before = this.token;
    try {
      const [base, blob] = await Promise.all([
        sample.baseline ? this.ports.sample(sample.baseline) : null,
        this.ports.sample(sample.file),
      ]);
      // A file opened while the sample was on its way wins.
      if (this.token !== before) return;
      if (base && !(await this.open(base, sample.baseline!))) return;
      await this.open(blob, sample.file, { compare: base !== null });
    } catch (e) {
      this.set({ error: `Could not load the sample profile: ${(e as Error).message}.` });
    }
  }

  async openUrl(address: string, against?: Side): Promise<void> {
    const mine = ++this.token;
    const problem = linkedAddressProblem(address);
    if (problem) return this.set({ loading: null, error: `${problem}.` });
    const downloading = (done: number, total: number) => {
      if (this.token === mine) this.set({ loading: { name: address, done, total, phase: 'downloading' } });
    };
    this.set({ error: null });
    downloading(0, 0);
    try {
      const fetched = await this.ports.download(address, downloading);
      if (this.token === mine) await this.open(fetched.blob, fetched.name, { url: fetched.url, against });
    } catch (e) {
      if (this.token === mine) this.set({ loading: null, error: `${(e as Error).message}.` });
    }
  }

  /** One file opens; two dropped together are compared, the older one as the baseline; more open as a set. */
  async openDropped(files: File[]): Promise<void> {
    if (files.length > 2)
      return this.openSet(
        files.map((f) => ({ blob: f, name: f.name, group: '' })),
        `${files.length} files`,
      );
    const [first, second, ...rest] = [...files].sort((a, b) => a.lastModified - b.lastModified);
    if (!(await this.open(first, first.name))) {
      // The baseline could not be read: the other still opens, on its own, and the page says why.
      // (An open that another replaced has no failure: then nothing more is opened.)
      const why = this.failure;
      if (why && second && (await this.open(second, second.name)))
        this.set({ error: `${why} “${second.name}” is open on its own.` });
      return;
    }
    if (!second || !(await this.open(second, second.name, { compare: true })) || !rest.length) return;
    const left = rest.map((f) => `“${f.name}”`).join(', ');
    this.set({ error: `Two profiles are compared at a time, the two oldest dropped: ${left} not opened.` });
  }

  /**
   * A set of files, each read in the worker with one progress for all: the list of them, and the
   * merge of all that can be read shown. Files are ordered by name, so the merge is that of
   * `pstats.Stats(*sorted(files))`.
   */
  async openSet(files: SetFile[], name: string): Promise<void> {
    const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    await this.readSet(sorted, name, null);
  }

  /** Reads the set's files in the worker, shows its list and merge, and keeps it in the library. */
  private async readSet(files: SetFile[], name: string, key: string | null): Promise<void> {
    const read = await this.inWorker(name, files, (progress) =>
      this.ports.openSet(inputs(files), mergedName(name, files.length), progress),
    );
    if (!read) return;
    const set: ProfileSet = { key, name, files, rows: read.rows, mergeError: read.mergeError };
    this.showSet(set, read.merged, false);
    void this.ports.keepSet(set, read.merged, read.stamps).then(({ key, problem }) => {
      if (this.state.set?.files !== files) return;
      this.set({ set: { ...this.state.set, key } });
      if (problem) this.set({ error: problem });
    });
  }

  private showSet(set: ProfileSet, merged: Profile | null, fromLibrary: boolean): void {
    const unread = set.rows.filter((r) => !r.ok).length;
    const notes = [
      unread ? `${unread} of ${set.files.length} files could not be read; the list says why.` : '',
      set.mergeError ? `The set is not merged: ${set.mergeError}.` : '',
    ].filter(Boolean);
    if (merged) this.show(made(merged, fromLibrary), { inSet: true });
    else this.set({ shown: null, baseline: null });
    this.set({ set, error: notes.join(' ') || null });
  }

  /**
   * Reopens a set kept in the library: its list and its merge as they were kept, without reading
   * its files. A merge the library lost (to an upgrade of the model) is made again from them.
   */
  async openStoredSet(key: string, name: string): Promise<void> {
    const mine = ++this.token;
    if (this.parsing) this.ports.stopParse();
    this.parsing = false;
    this.set({ error: null, loading: { name, done: 0, total: 0, phase: 'reading' } });
    let found: SetLookup;
    try {
      found = await this.ports.storedSet(key);
    } catch (e) {
      if (this.token === mine) this.set({ loading: null, error: failed(name, (e as Error).message) });
      return;
    }
    if (this.token !== mine) return;
    this.set({ loading: null });
    if (found.kind === 'absent') return this.set({ error: `“${name}” is no longer in the library.` });
    if (found.kind === 'corrupt')
      return this.set({ error: `The library’s copy of “${found.name}” could not be read and has been removed.` });
    const { entry, set: stored, merged } = found;
    const set: ProfileSet = { key, name: entry.name, ...stored };
    if (merged || !stored.rows.some((r) => r.ok)) return this.showSet(set, merged, true);
    await this.readSet(stored.files, entry.name, key);
  }

  /** Opens one file of the set, the set still listed. */
  openMember(index: number): Promise<boolean> {
    const file = this.state.set?.files[index];
    return file ? this.open(file.blob, file.name, { inSet: true, member: index }) : Promise.resolve(false);
  }

  /** Shows the merge of some files of the set. */
  async mergeMembers(indices: number[], name?: string): Promise<void> {
    const files = this.members(indices);
    if (!files.length) return;
    const merged = await this.mergedIn(name ?? mergedName(this.state.set!.name, files.length), files);
    if (merged) this.show(made(merged), { inSet: true });
  }

  /** Compares two groups of the set's files, each merged: `base` the baseline, `next` the new side. */
  async compareGroups(base: { indices: number[]; name: string }, next: { indices: number[]; name: string }) {
    const baseFiles = this.members(base.indices),
      nextFiles = this.members(next.indices);
    if (!baseFiles.length || !nextFiles.length) return;
    const before = await this.mergedIn(mergedName(base.name, baseFiles.length), baseFiles);
    if (!before) return;
    const after = await this.mergedIn(mergedName(next.name, nextFiles.length), nextFiles);
    if (!after) return;
    const against: Side = {
      profile: before,
      hash: Promise.resolve(null),
      fromLibrary: false,
      url: null,
      members: baseFiles.length,
    };
    this.show(made(after), { inSet: true, against, members: nextFiles.length });
  }

  private members(indices: number[]): SetFile[] {
    const set = this.state.set;
    return set ? indices.filter((i) => set.rows[i]?.ok).map((i) => set.files[i]) : [];
  }

  private async mergedIn(name: string, files: SetFile[]): Promise<Profile | null> {
    const result = await this.inWorker(name, files, (progress) => this.ports.merge(inputs(files), name, progress));
    if (!result) return null;
    if (!result.ok) {
      this.set({ error: failed(name, result.message) });
      return null;
    }
    return result.profile;
  }

  /**
   * Runs work on `files` in the worker under the open token, with one progress for all of them;
   * its result, or null when a newer request overtook it or it failed (then the page says why).
   */
  private async inWorker<T>(name: string, files: SetFile[], work: (progress: SetProgress) => Promise<T>) {
    const mine = ++this.token;
    if (this.parsing) this.ports.stopParse();
    this.parsing = true;
    this.set({ error: null, loading: { name, done: 0, total: files.length, phase: 'parsing', unit: 'files' } });
    // Progress comes on a channel of its own and can arrive after the result: none is shown then.
    let working = true;
    try {
      const result = await work((done, all) => {
        if (working && this.token === mine)
          this.set({ loading: { name, done, total: all, phase: 'parsing', unit: 'files' } });
      });
      return this.token === mine ? result : null;
    } catch (e) {
      if (this.token === mine) this.set({ error: failed(name, e instanceof Error ? e.message : String(e)) });
      return null;
    } finally {
      working = false;
      if (this.token === mine) {
        this.parsing = false;
        this.set({ loading: null });
      }
    }
  }

  /** The baseline becomes the profile shown and the profile shown the baseline. */
  swapSides(): void {
    const { shown, baseline, view } = this.state;
    if (!shown || !baseline) return;
    // A frame id names a frame of one profile only; a hosted profile's address is no longer the one shown.
    this.set({
      shown: { ...baseline, url: null },
      baseline: { ...shown, url: null },
      view: { ...view, selected: null, baseline: null, next: null },
    });
    this.nameSidesInAddress();
  }

  endComparison(): void {
    this.set({
      baseline: null,
      view: {
        ...this.state.view,
        view: 'table',
        baseline: null,
        next: null,
        asShares: false,
        overBaseline: false,
        groupSums: false,
      },
    });
  }

  /**
   * What opens first: a link's profile; otherwise the last profile opened here, or the sample on
   * first start. An address that compares two profiles names them by their keys in the library.
   */
  async start(linkedUrl: string | null, firstSample: Sample): Promise<void> {
    const link = this.linkedView;
    const entry = async (hash: string | null | undefined): Promise<StoredFile | undefined> => {
      const found = hash ? await this.ports.libraryEntry(hash).catch(() => undefined) : undefined;
      return found && !isSetEntry(found) ? found : undefined;
    };
    // Asked first: reading the baseline from the library dates it as the last opened.
    const last = linkedUrl === null ? await this.ports.lastOpened().catch(() => undefined) : undefined;
    const [baselineEntry, next] = [await entry(link?.baseline), await entry(link?.next)];
    if (this.token !== 0) return; // the user opened a file meanwhile
    const baseline = link?.baseline ? await this.linkedBaseline(baselineEntry) : undefined;
    if (this.token !== 0) return;
    const against = typeof baseline === 'object' ? baseline : undefined;
    let problem = typeof baseline === 'string' ? baseline : undefined;
    if (link?.baseline && link.next && !next && linkedUrl === null) {
      const instead = last ? 'the last one opened here' : 'the sample';
      problem = `The profile this address compares is not in this browser’s library; ${instead} is shown.`;
    }
    const target = next ?? last;
    if (linkedUrl !== null) await this.openUrl(linkedUrl, against);
    else if (target && isSetEntry(target)) await this.openStoredSet(target.hash, target.name);
    else if (target) await this.open(target.file, target.name, { hash: target.hash, against: next && against });
    else await this.openSample(firstSample);
    if (problem) this.set({ error: problem });
  }

  /**
   * The baseline an address names, read from the library without showing it (the address keeps
   * naming what the link named until the profile compared with it is open), or why it is not.
   */
  private async linkedBaseline(entry: StoredFile | undefined): Promise<Side | string> {
    if (!entry)
      return 'The baseline this address compares with is not in this browser’s library, so the profile opens on its own.';
    const result = await this.ports.open({ blob: entry.file, name: entry.name, hash: entry.hash }, () => {});
    if (!result.ok)
      return `The baseline “${entry.name}” could not be opened (${result.message}), so the profile opens on its own.`;
    return {
      profile: await (result.complete ?? result.profile),
      hash: Promise.resolve(entry.hash),
      fromLibrary: result.fromLibrary,
      url: null,
    };
  }
}
