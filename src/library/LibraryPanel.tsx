import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatBytes } from './bytes';
import type { ProfileLibrary } from './profile-library';
import type { StoredEntry, StoredFile } from './schema';
import { storageStatus } from './storage-status';
import { visibleText } from '../flame/names';

interface Props {
  library: ProfileLibrary;
  onOpen(entry: StoredEntry): void;
  /** Opens the file compared with the profile open now; absent when nothing is open. */
  onCompare?(entry: StoredFile): void;
  onClose(): void;
}

const when = (t: number) => new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The profiles kept in this browser: search, open in one click, delete. */
export function LibraryPanel({ library, onOpen, onCompare, onClose }: Props) {
  const [entries, setEntries] = useState<StoredEntry[] | null>(null);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [confirmClear, setConfirmClear] = useState(false);

  useEffect(() => {
    const refresh = () => {
      library.list().then(setEntries, (e: Error) => setProblem(`The library cannot be read: ${e.message}.`));
      storageStatus().then(setStatus, () => setStatus(''));
    };
    refresh();
    library.addEventListener('change', refresh);
    return () => library.removeEventListener('change', refresh);
  }, [library]);

  const shown = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return entries?.filter((e) => e.name.toLowerCase().includes(needle)) ?? [];
  }, [entries, query]);

  const act = (work: Promise<void>) =>
    work.catch((e: Error) => setProblem(`The library could not be changed: ${e.message}.`));

  return (
    <aside class="library-panel" aria-label="Library" data-testid="library">
      <div class="library-head">
        <h2>Library</h2>
        <button class="link" onClick={onClose} aria-label="Close the library">
          ×
        </button>
      </div>
      <p class="library-status muted" data-testid="library-status">
        {status}
      </p>
      {problem && (
        <p class="library-problem" role="alert">
          {problem}
        </p>
      )}
      <input
        class="filter library-search"
        type="search"
        placeholder="Search by name"
        aria-label="Search the library"
        value={query}
        onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
      />
      {entries?.length === 0 && <p class="muted">Profiles you open are kept here, in this browser only.</p>}
      <ul class="library-list">
        {shown.map((e) => (
          <li key={e.hash} class="library-entry" data-testid="library-entry">
            <button class="library-open" title={`Open ${visibleText(e.name)}`} onClick={() => onOpen(e)}>
              <span class="library-name">{visibleText(e.name)}</span>
              <span class="library-meta muted">
                {e.kind === 'set' ? `a set of ${e.files} files · ` : ''}
                {formatBytes(e.size)} · {e.format} · added {when(e.added)} · opened {when(e.lastOpened)}
              </span>
            </button>
            {onCompare && e.kind !== 'set' && (
              <button
                class="link"
                aria-label={`Compare ${e.name} with the open profile`}
                title="Open it as the new side of a comparison with the open profile"
                onClick={() => onCompare(e)}
              >
                compare
              </button>
            )}
            <button
              class="link"
              aria-label={`Delete ${e.name}`}
              title="Delete from the library"
              onClick={() => act(library.remove(e.hash))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {entries && entries.length > 0 && (
        <div class="library-foot">
          <span class="muted">{entries.length === 1 ? '1 profile' : `${entries.length} profiles`}</span>
          {confirmClear ? (
            <span>
              <button onClick={() => act(library.clear()).then(() => setConfirmClear(false))}>
                Delete all {entries.length}
              </button>{' '}
              <button onClick={() => setConfirmClear(false)}>Keep them</button>
            </span>
          ) : (
            <button onClick={() => setConfirmClear(true)}>Delete all…</button>
          )}
        </div>
      )}
    </aside>
  );
}
