import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Profile } from '~/core/model/profile';
import { ParserWorker } from '~/worker/worker-client';
import { DropZone } from './views/DropZone';
import { FilePicker } from './views/FilePicker';
import { ProfileView } from './views/ProfileView';
import { initialViewState, type ViewState } from './address/view-state';
import { LibraryPanel } from './library/LibraryPanel';
import { ProfileLibrary } from './library/profile-library';
import { openWithLibrary } from './library/open-with-library';
import type { StoredEntry } from './library/schema';
import { fetchProfile } from './fetch-profile';
import { PwaNotice } from './pwa-notice';
import { decodeViewState, fitViewState } from './address/url-state';
import { useViewInAddress } from './address/url-address';
import { visibleText } from './flame/names';

/**
 * Bundled profiles of one small workload, one per format, and the same endpoint once fixed,
 * opened compared with the first. The first opens on first start.
 */
const SAMPLES: { file: string; format: string; baseline?: string }[] = [
  { file: 'shop-checkout.prof', format: 'cProfile (pstats)' },
  { file: 'shop-checkout.folded', format: 'folded stacks' },
  { file: 'shop-checkout.samp', format: 'Pyflame --flamechart' },
  {
    file: 'shop-checkout-fixed.prof',
    format: 'its slow path fixed, compared with the first',
    baseline: 'shop-checkout.prof',
  },
];

/** A bundled sample, fetched from beside the page (or from the offline cache). */
async function fetchSample(file: string): Promise<Blob> {
  return (await fetchProfile(`./samples/${file}`, location.href, () => {})).blob;
}

interface Loading {
  name: string;
  done: number;
  total: number;
  phase: 'downloading' | 'reading' | 'parsing';
}

/** Where the bytes being opened come from, when it is more than a dropped file. */
interface Origin {
  /** The library entry's key, known already. */
  hash?: string;
  /** The address the file was downloaded from, for the address bar. */
  url?: string;
  /** Opens it as the new side of a comparison, with the profile open now as the baseline. */
  compare?: boolean;
  /** Opens it as the new side of a comparison with this baseline, and the baseline's library key. */
  against?: Compared;
}

interface Compared {
  profile: Profile;
  /** Its key in the library, once known. */
  hash: Promise<string | null>;
  fromLibrary: boolean;
}

const phaseText = { downloading: 'Downloading', reading: 'Reading', parsing: 'Parsing' };

export function App() {
  const worker = useRef(new ParserWorker());
  const [profile, setProfile] = useState<Profile | null>(null);
  const [baseline, setBaseline] = useState<Profile | null>(null);
  const shown = useRef<Profile | null>(null);
  /** The library's key of the profile shown, once known, and whether it came from the library. */
  const shownHash = useRef<Promise<string | null>>(Promise.resolve(null));
  const shownFromLibrary = useRef(false);
  /** The same of the baseline, while comparing. */
  const baselineSide = useRef<Omit<Compared, 'profile'> | null>(null);
  const [loading, setLoading] = useState<Loading | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [viewState, setViewState] = useState<ViewState>(initialViewState);
  const library = useRef(new ProfileLibrary());
  const [libraryShown, setLibraryShown] = useState(false);
  const [fromLibrary, setFromLibrary] = useState(false);
  const [profileUrl, setProfileUrl] = useState<string | null>(null);
  const linkedView = useRef<ViewState | null>(decodeViewState(location.hash));
  const generation = useRef(0);
  /** Why the last open failed, empty when it did not (or was replaced), for a caller that opens another file next. */
  const failure = useRef('');
  /** Moves on with every profile shown and every end of a comparison, so a key that comes late is not put in the address of another. */
  const comparison = useRef(0);
  const busy = useRef(false);
  useViewInAddress(profile, profileUrl, viewState, setViewState);

  /**
   * The address names both sides of a comparison by their keys in the library, once known, so
   * that a reload compares them again; a key that comes after the comparison changed is dropped.
   */
  const nameSidesInAddress = (baselineHash: Promise<string | null>, nextHash: Promise<string | null>) => {
    const mine = ++comparison.current;
    Promise.all([baselineHash, nextHash]).then(([baseline, next]) => {
      if (baseline && next && comparison.current === mine) setViewState((s) => ({ ...s, baseline, next }));
    });
  };

  /** Opens a file; true when it is now the open profile. */
  const open = useCallback(async (blob: Blob, name: string, origin: Origin = {}): Promise<boolean> => {
    const mine = ++generation.current;
    if (busy.current) worker.current.stop();
    busy.current = true;
    failure.current = '';
    setError(null);
    setLoading({ name, done: 0, total: blob.size, phase: 'reading' });
    try {
      const result = await openWithLibrary(
        worker.current,
        library.current,
        { blob, name, hash: origin.hash },
        (done, total, phase) => {
          if (generation.current === mine) setLoading({ name, done, total, phase });
        },
      );
      if (generation.current !== mine) return false;
      if (result.ok) {
        const against =
          origin.against ??
          (origin.compare && shown.current
            ? { profile: shown.current, hash: shownHash.current, fromLibrary: shownFromLibrary.current }
            : null);
        setBaseline(against?.profile ?? null);
        baselineSide.current = against && { hash: against.hash, fromLibrary: against.fromLibrary };
        shown.current = result.profile;
        shownHash.current = result.hash;
        shownFromLibrary.current = result.fromLibrary;
        setProfile(result.profile);
        setFromLibrary(result.fromLibrary);
        setProfileUrl(origin.url ?? null);
        const linked = linkedView.current && fitViewState(linkedView.current, result.profile.frames.count);
        const comparedView =
          linked && (linked.view === 'compare' || linked.view === 'diff')
            ? linked
            : { ...initialViewState(), view: 'compare' as const };
        setViewState({ ...(against ? comparedView : (linked ?? initialViewState())), baseline: null, next: null });
        linkedView.current = null;
        // Moved on either way, so that the keys of a comparison this open ends never reach the address.
        if (against) nameSidesInAddress(against.hash, result.hash);
        else comparison.current++;
        if (result.notice) setError(result.notice);
        result.kept.then((unsaved) => unsaved && setError(unsaved));
        const pending = result.profile;
        // The complete profile (its callers and tree) replaces the pending one wherever it is by
        // then: shown, or the baseline of a comparison.
        result.complete?.then((complete) => {
          const swap = (p: Profile | null) => (p === pending ? complete : p);
          shown.current = swap(shown.current);
          setProfile(swap);
          setBaseline(swap);
        });
        return true;
      }
      setError((failure.current = `Could not open “${name}”: ${result.message}.`));
    } catch (e) {
      if (generation.current === mine)
        setError((failure.current = `Could not open “${name}”: ${e instanceof Error ? e.message : String(e)}.`));
    } finally {
      if (generation.current === mine) {
        busy.current = false;
        setLoading(null);
      }
    }
    return false;
  }, []);

  const openSample = useCallback(
    async (file = SAMPLES[0].file) => {
      const before = generation.current;
      const baseline = SAMPLES.find((s) => s.file === file)?.baseline;
      try {
        const [base, blob] = await Promise.all([baseline ? fetchSample(baseline) : null, fetchSample(file)]);
        // A file opened while the sample was on its way wins.
        if (generation.current !== before) return;
        if (base && !(await open(base, baseline!))) return;
        await open(blob, file, { compare: base !== null });
      } catch (e) {
        setError(`Could not load the sample profile: ${(e as Error).message}.`);
      }
    },
    [open],
  );

  const openUrl = useCallback(
    async (address: string, against?: Compared) => {
      const mine = ++generation.current;
      setError(null);
      const downloading = (done: number, total: number) => {
        if (generation.current === mine) setLoading({ name: address, done, total, phase: 'downloading' });
      };
      downloading(0, 0);
      try {
        const fetched = await fetchProfile(address, location.href, downloading);
        if (generation.current === mine) await open(fetched.blob, fetched.name, { url: fetched.url, against });
      } catch (e) {
        if (generation.current !== mine) return;
        setLoading(null);
        setError(`${(e as Error).message}.`);
      }
    },
    [open],
  );

  /**
   * The baseline an address names, read from the library without showing it (the address keeps
   * naming what the link named until the profile compared with it is open), or why it is not.
   */
  const linkedBaseline = async (entry: StoredEntry | undefined): Promise<Compared | string> => {
    if (!entry)
      return 'The baseline this address compares with is not in this browser’s library, so the profile opens on its own.';
    const result = await openWithLibrary(
      worker.current,
      library.current,
      { blob: entry.file, name: entry.name, hash: entry.hash },
      () => {},
    );
    if (!result.ok)
      return `The baseline “${entry.name}” could not be opened (${result.message}), so the profile opens on its own.`;
    return {
      profile: await (result.complete ?? result.profile),
      hash: Promise.resolve(entry.hash),
      fromLibrary: result.fromLibrary,
    };
  };

  // A link opens its profile; otherwise the last profile opened here, or the sample on first
  // start. An address that compares two profiles names them by their keys in the library.
  useEffect(() => {
    void (async () => {
      const linked = new URLSearchParams(location.search).get('url');
      const link = linkedView.current;
      const entry = (hash: string | null | undefined) =>
        hash ? library.current.entry(hash).catch(() => undefined) : undefined;
      // Asked first: reading the baseline from the library dates it as the last opened.
      const last = linked === null ? await library.current.mostRecentlyOpened().catch(() => undefined) : undefined;
      const [baselineEntry, next] = [await entry(link?.baseline), await entry(link?.next)];
      if (generation.current !== 0) return; // the user opened a file meanwhile
      const baseline = link?.baseline ? await linkedBaseline(baselineEntry) : undefined;
      if (generation.current !== 0) return;
      const against = typeof baseline === 'object' ? baseline : undefined;
      let problem = typeof baseline === 'string' ? baseline : undefined;
      if (link?.baseline && link.next && !next && linked === null) {
        problem = `The profile this address compares is not in this browser’s library; ${last ? 'the last one opened here' : 'the sample'} is shown.`;
      }
      const target = next ?? last;
      if (linked !== null) await openUrl(linked, against);
      else if (target) await open(target.file, target.name, { hash: target.hash, against: next && against });
      else await openSample();
      if (problem) setError(problem);
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once, on start: what opens first is decided then
  }, []);

  /** The baseline becomes the profile shown and the profile shown the baseline. */
  const swapSides = () => {
    const side = baselineSide.current;
    if (!baseline || !profile || !side) return;
    baselineSide.current = { hash: shownHash.current, fromLibrary: shownFromLibrary.current };
    shownHash.current = side.hash;
    shownFromLibrary.current = side.fromLibrary;
    shown.current = baseline;
    setProfile(baseline);
    setBaseline(profile);
    setFromLibrary(side.fromLibrary);
    // A frame id names a frame of one profile only; a hosted profile's address is no longer the one shown.
    setProfileUrl(null);
    setViewState({ ...viewState, selected: null, baseline: null, next: null });
    nameSidesInAddress(baselineSide.current.hash, shownHash.current);
  };

  /** One file opens; two dropped together are compared, the older one as the baseline. */
  const openDropped = async (files: File[]) => {
    const [first, second, ...rest] = [...files].sort((a, b) => a.lastModified - b.lastModified);
    if (!(await open(first, first.name))) {
      // The baseline could not be read: the other still opens, on its own, and the page says why.
      // (An open that another replaced has no failure: then nothing more is opened.)
      const why = failure.current;
      if (why && second && (await open(second, second.name))) setError(`${why} “${second.name}” is open on its own.`);
      return;
    }
    if (!second || !(await open(second, second.name, { compare: true })) || !rest.length) return;
    setError(
      `Two profiles are compared at a time, the two oldest dropped: ${rest.map((f) => `“${f.name}”`).join(', ')} not opened.`,
    );
  };

  return (
    <DropZone onFiles={openDropped}>
      <header class="topbar">
        <span class="brand">Kiln</span>
        <FilePicker primary testId="file-input" onPick={(file) => open(file, file.name)}>
          Open profile…
        </FilePicker>
        {profile && (
          <FilePicker
            testId="compare-input"
            title="Open another profile to compare with this one"
            onPick={(file) => open(file, file.name, { compare: true })}
          >
            Compare with…
          </FilePicker>
        )}
        {baseline && (
          <>
            <button
              class="range-chip"
              onClick={() => {
                comparison.current++;
                baselineSide.current = null;
                setBaseline(null);
                setViewState({ ...viewState, view: 'table', baseline: null, next: null });
              }}
              title="Stop comparing"
            >
              baseline: {visibleText(baseline.fileName)} ×
            </button>
            <button onClick={swapSides} title="Make the baseline the new side and the new side the baseline">
              Swap sides
            </button>
          </>
        )}
        <select
          class="samples"
          aria-label="Open a sample profile"
          value=""
          onChange={(e) => {
            const file = (e.target as HTMLSelectElement).value;
            if (file) openSample(file);
          }}
        >
          <option value="">Samples…</option>
          {SAMPLES.map((s) => (
            <option key={s.file} value={s.file}>
              {s.file} — {s.format}
            </option>
          ))}
        </select>
        {profile && (
          <span
            class="file-name"
            data-testid="file-name"
            data-source={fromLibrary ? 'library' : 'file'}
            title={visibleText(profile.fileName)}
          >
            {visibleText(profile.fileName)}
            <span class="muted"> · {profile.format}</span>
            {fromLibrary && <span class="muted"> · opened from library</span>}
          </span>
        )}
        <button class="library-toggle" aria-pressed={libraryShown} onClick={() => setLibraryShown(!libraryShown)}>
          Library
        </button>
        <PwaNotice />
      </header>
      {libraryShown && (
        <LibraryPanel
          library={library.current}
          onOpen={(e) => {
            setLibraryShown(false);
            open(e.file, e.name, { hash: e.hash });
          }}
          onCompare={
            profile
              ? (e) => {
                  setLibraryShown(false);
                  open(e.file, e.name, { hash: e.hash, compare: true });
                }
              : undefined
          }
          onClose={() => setLibraryShown(false)}
        />
      )}
      {loading && (
        <div
          class="progress"
          role="progressbar"
          aria-label={`Opening ${visibleText(loading.name)}`}
          aria-valuemin={0}
          aria-valuemax={loading.total}
          aria-valuenow={loading.done}
        >
          <div
            class="progress-fill"
            style={{ transform: `scaleX(${loading.total ? loading.done / loading.total : 0})` }}
          />
          <span class="progress-text">
            {phaseText[loading.phase]} {visibleText(loading.name)} — {(loading.done / 1e6).toFixed(1)} of{' '}
            {(loading.total / 1e6).toFixed(1)} MB
          </span>
        </div>
      )}
      {error && (
        <div class="error" role="alert" data-testid="error">
          <span>{visibleText(error)}</span>
          <button class="link" onClick={() => setError(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {profile && !baseline && SAMPLES.some((s) => s.file === profile.fileName) && (
        <p class="sample-note" data-testid="sample-note">
          A bundled sample. For your own code: <code>python -m cProfile -o out.prof app.py</code>, then drop{' '}
          <code>out.prof</code> here. <em>Samples…</em> also has this endpoint fixed, compared with this run.
        </p>
      )}
      {profile ? (
        <ProfileView profile={profile} baseline={baseline} state={viewState} onState={setViewState} />
      ) : (
        !loading && (
          <div class="empty">
            <p>Drop a Python profile anywhere on this page, or open one.</p>
            <p class="muted">
              cProfile / profile <code>.prof</code>, folded stacks, Pyflame <code>.samp</code>, austin and py-spy
              output. Nothing leaves your browser.
            </p>
          </div>
        )
      )}
    </DropZone>
  );
}
