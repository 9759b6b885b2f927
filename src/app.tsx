import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Profile } from '../workers/model';
import { ParserWorker } from './worker-client';
import { DropZone } from './views/DropZone';
import { ProfileView } from './views/ProfileView';
import { initialViewState, type ViewState } from './view-state';

/** Bundled profiles of one small workload, one per format. The first opens on first start. */
export const SAMPLES = [
  { file: 'shop-checkout.prof', format: 'cProfile (pstats)' },
  { file: 'shop-checkout.folded', format: 'folded stacks' },
  { file: 'shop-checkout.samp', format: 'Pyflame --flamechart' },
];

interface Loading {
  name: string;
  done: number;
  total: number;
  phase: 'reading' | 'parsing';
}

export function App() {
  const worker = useRef(new ParserWorker());
  const [profile, setProfile] = useState<Profile | null>(null);
  const [loading, setLoading] = useState<Loading | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [viewState, setViewState] = useState<ViewState>(initialViewState);
  const generation = useRef(0);
  const busy = useRef(false);

  const open = useCallback(async (blob: Blob, name: string) => {
    const mine = ++generation.current;
    if (busy.current) worker.current.stop();
    busy.current = true;
    setError(null);
    setLoading({ name, done: 0, total: blob.size, phase: 'reading' });
    try {
      const result = await worker.current.parse(blob, name, (done, total, phase) => {
        if (generation.current === mine) setLoading({ name, done, total, phase });
      });
      if (generation.current !== mine) return;
      if (result.ok) {
        setProfile(result.profile);
        setViewState(initialViewState());
      }
      else setError(`Could not open “${name}”: ${result.message}.`);
    } catch (e) {
      if (generation.current === mine) setError(`Could not open “${name}”: ${(e as Error).message}.`);
    } finally {
      if (generation.current === mine) {
        busy.current = false;
        setLoading(null);
      }
    }
  }, []);

  const openSample = useCallback(async (file = SAMPLES[0].file) => {
    try {
      const response = await fetch(`./samples/${file}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await open(await response.blob(), file);
    } catch (e) {
      setError(`Could not load the sample profile: ${(e as Error).message}.`);
    }
  }, [open]);

  useEffect(() => {
    openSample();
  }, []);

  const picker = useRef<HTMLInputElement>(null);

  return (
    <DropZone onFile={(f) => open(f, f.name)}>
      <header class="topbar">
        <span class="brand">Kiln</span>
        <button class="primary" onClick={() => picker.current!.click()}>
          Open profile…
        </button>
        <input
          ref={picker}
          type="file"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            if (file) open(file, file.name);
            input.value = '';
          }}
        />
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
          <span class="file-name" data-testid="file-name" title={profile.fileName}>
            {profile.fileName}
            <span class="muted"> · {profile.format}</span>
          </span>
        )}
      </header>
      {loading && (
        <div class="progress" role="progressbar" aria-label={`Opening ${loading.name}`} aria-valuemin={0} aria-valuemax={loading.total} aria-valuenow={loading.done}>
          <div class="progress-fill" style={{ width: `${loading.total ? (100 * loading.done) / loading.total : 0}%` }} />
          <span class="progress-text">
            {loading.phase === 'reading' ? 'Reading' : 'Parsing'} {loading.name} — {(loading.done / 1e6).toFixed(1)} of {(loading.total / 1e6).toFixed(1)} MB
          </span>
        </div>
      )}
      {error && (
        <div class="error" role="alert" data-testid="error">
          <span>{error}</span>
          <button class="link" onClick={() => setError(null)} aria-label="Dismiss">×</button>
        </div>
      )}
      {profile ? (
        <ProfileView profile={profile} state={viewState} onState={setViewState} />
      ) : (
        !loading && (
          <div class="empty">
            <p>Drop a Python profile anywhere on this page, or open one.</p>
            <p class="muted">cProfile / profile <code>.prof</code>, folded stacks, Pyflame <code>.samp</code>, austin and py-spy output. Nothing leaves your browser.</p>
          </div>
        )
      )}
    </DropZone>
  );
}
