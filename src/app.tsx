import { useEffect, useMemo, useState } from 'preact/hooks';
import { ParserWorker } from '~/worker/worker-client';
import { DropZone } from './views/DropZone';
import { FilePicker } from './views/FilePicker';
import { MenuButton } from './views/MenuButton';
import { ProfilerCommands } from './views/ProfilerCommands';
import { ProfileView } from './views/ProfileView';
import { LibraryPanel } from './library/LibraryPanel';
import { ProfileLibrary } from './library/profile-library';
import { keepSet, openSetMember, openWithLibrary } from './library/open-with-library';
import { isSetEntry, type StoredFile } from './library/schema';
import { fetchProfile } from './fetch-profile';
import { PwaNotice } from './pwa-notice';
import { ThemePicker } from './views/ThemePicker';
import { decodeViewState } from './address/url-state';
import { useViewInAddress } from './address/url-address';
import { visibleText } from './flame/names';
import { ProfileSession, type Origin, type SessionState } from './session/profile-session';
import { SetList } from './set/SetList';
import { groupOf, pickedFolder, setName, type PathFile } from './set/dropped-folders';

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

/** A small real profile the worker reads while the page is idle, and how many times (see `warmUp`). */
const WARM_UP = { file: './warm-up/imports.prof', reads: 24 };

/** WARM_UP's bytes, fetched as the page starts (opening a file later sends no request); null if they cannot be. */
const fetchWarmUp = (): Promise<Blob | null> =>
  fetch(new URL(WARM_UP.file, location.href))
    .then((response) => (response.ok ? response.blob() : null))
    .catch(() => null);

/** Once the page is idle, the parser's code warmed on WARM_UP before the user's first file comes. */
function warmWhenIdle(worker: ParserWorker, bytes: Promise<Blob | null>): void {
  const warm = () => void bytes.then((blob) => blob && worker.warmUp(blob, WARM_UP.reads));
  if (typeof requestIdleCallback === 'function') requestIdleCallback(warm, { timeout: 2000 });
  else setTimeout(warm, 500);
}

/** A bundled sample, fetched from beside the page (or from the offline cache). */
async function fetchSample(file: string): Promise<Blob> {
  return (await fetchProfile(`./samples/${file}`, location.href, () => {})).blob;
}

const phaseText = { downloading: 'Downloading', reading: 'Reading', parsing: 'Parsing' };

/** The page's session, made once, with the worker, the library and the network it opens through. */
function makeSession(): { session: ProfileSession; library: ProfileLibrary; worker: ParserWorker } {
  const worker = new ParserWorker();
  const library = new ProfileLibrary();
  const session = new ProfileSession(
    {
      open: (file, progress) => openWithLibrary(worker, library, file, progress),
      openMember: (member, progress) => openSetMember(worker, library, member, progress),
      keepSet: (set, merged, stamps) => keepSet(library, set, merged, stamps),
      storedSet: (key) => library.set(key),
      stopParse: () => worker.stop(),
      download: (address, progress) => fetchProfile(address, location.href, progress),
      sample: fetchSample,
      libraryEntry: (hash) => library.entry(hash),
      lastOpened: () => library.mostRecentlyOpened(),
      openSet: (files, name, progress) => worker.openSet(files, name, progress),
      merge: (files, name, progress) => worker.merge(files, name, progress),
    },
    decodeViewState(location.hash),
  );
  return { session, library, worker };
}

/** The session's state, drawn again whenever it changes. */
function useSessionState(session: ProfileSession): SessionState {
  const [state, setState] = useState(session.state);
  useEffect(() => session.subscribe(() => setState(session.state)), [session]);
  return state;
}

export function App() {
  const [{ session, library, worker }] = useState(makeSession);
  const [warmUpBytes] = useState(fetchWarmUp);
  const { shown, baseline, loading, error, view: viewState, set } = useSessionState(session);
  const profile = shown?.profile ?? null;
  const [libraryShown, setLibraryShown] = useState(false);
  useViewInAddress(profile, shown?.url ?? null, viewState, session.setView);
  const baselineProfile = baseline?.profile ?? null;
  const [baseMembers, nextMembers] = [baseline?.members ?? 1, shown?.members ?? 1];
  const groups = useMemo(() => ({ base: baseMembers, next: nextMembers }), [baseMembers, nextMembers]);
  // The same element while only the rest of the page changes: a set's progress, many times a
  // second, does not render the profile on screen again.
  const profileView = useMemo(
    () =>
      profile && (
        <ProfileView
          profile={profile}
          baseline={baselineProfile}
          groups={groups}
          state={viewState}
          onState={session.setView}
        />
      ),
    [profile, baselineProfile, groups, viewState, session],
  );

  useEffect(() => {
    void session
      .start(new URLSearchParams(location.search).get('url'), SAMPLES[0])
      .then(() => warmWhenIdle(worker, warmUpBytes));
  }, [session, worker, warmUpBytes]);

  const open = (file: Blob, name: string, origin?: Origin) => void session.open(file, name, origin);
  const openFolder = (files: PathFile[]) =>
    void session.openSet(
      files.map((f) => ({ blob: f.file, name: f.path, group: groupOf(f.path) })),
      setName(files),
    );
  const openSample = (file: string) => {
    const sample = SAMPLES.find((s) => s.file === file);
    if (sample) void session.openSample(sample);
  };

  return (
    <DropZone onFiles={(files) => void session.openDropped(files)} onFolder={openFolder}>
      <header class="topbar">
        <span class="brand">Kiln</span>
        <FilePicker primary testId="file-input" onPickAll={(files) => void session.openDropped(files)}>
          Open profile…
        </FilePicker>
        <FilePicker
          testId="folder-input"
          folder
          title="Open every profile in a folder: listed, merged and compared"
          onPickAll={(files) => openFolder(pickedFolder(files))}
        >
          Open folder…
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
              class="range-chip baseline-chip"
              onClick={() => session.endComparison()}
              title={`Stop comparing with ${visibleText(baseline.profile.fileName)}`}
            >
              <span>baseline: {visibleText(baseline.profile.fileName)}</span> ×
            </button>
            <button
              aria-label="Swap sides"
              onClick={() => session.swapSides()}
              title="Swap sides: make the baseline the new side and the new side the baseline"
            >
              ⇄
            </button>
          </>
        )}
        <MenuButton
          class="samples"
          label="Samples: open a sample profile"
          items={SAMPLES.map((s) => ({ id: s.file, text: `${s.file} — ${s.format}` }))}
          onChoose={openSample}
        >
          Samples…
        </MenuButton>
        {shown && profile && (
          <span
            class="file-name"
            data-testid="file-name"
            data-source={shown.fromLibrary ? 'library' : 'file'}
            title={visibleText(profile.fileName)}
          >
            {visibleText(profile.fileName)}
            <span class="muted"> · {profile.format}</span>
            {shown.fromLibrary && <span class="muted"> · opened from library</span>}
          </span>
        )}
        <button class="library-toggle" aria-pressed={libraryShown} onClick={() => setLibraryShown(!libraryShown)}>
          Library
        </button>
        <ThemePicker />
        <PwaNotice />
      </header>
      {libraryShown && (
        <LibraryPanel
          library={library}
          onOpen={(e) => {
            setLibraryShown(false);
            if (isSetEntry(e)) void session.openStoredSet(e.hash, e.name);
            else open(e.file, e.name, { hash: e.hash });
          }}
          onCompare={
            profile
              ? (e: StoredFile) => {
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
            {phaseText[loading.phase]} {visibleText(loading.name)} —{' '}
            {loading.unit === 'files'
              ? `${loading.done} of ${loading.total} files`
              : `${(loading.done / 1e6).toFixed(1)} of ${(loading.total / 1e6).toFixed(1)} MB`}
          </span>
        </div>
      )}
      {error && (
        <div class="error" role="alert" data-testid="error">
          <span>{visibleText(error)}</span>
          <button class="link" onClick={session.dismissError} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {set && (
        <SetList
          set={set}
          onOpen={(i) => void session.openMember(i)}
          onMerge={(indices) => void session.mergeMembers(indices)}
          onCompare={(base, next) => void session.compareGroups(base, next)}
        />
      )}
      {profile && !baseline && SAMPLES.some((s) => s.file === profile.fileName) && (
        <div class="sample-note" data-testid="sample-note">
          A bundled sample. <em>Samples…</em> also has this endpoint fixed, compared with this run.
          <details>
            <summary>Profile your own code: one command per profiler, then drop the file here</summary>
            <ProfilerCommands />
          </details>
        </div>
      )}
      {profileView ??
        (!loading && !set && (
          <div class="empty">
            <p>Drop a Python profile anywhere on this page, or open one. Nothing leaves your browser.</p>
            <p class="muted">
              To make one, run your program under the profiler you have, then drop the file it writes:
            </p>
            <ProfilerCommands />
            <p class="muted">
              Two files dropped together are compared, the older as the baseline. <em>Samples…</em> has one to try.
            </p>
          </div>
        ))}
    </DropZone>
  );
}
