import { formatBytes } from './bytes';

/** What the browser says of this page's storage: space used, its quota, whether it may be evicted. */
export async function storageStatus(): Promise<string> {
  const storage = navigator.storage;
  if (!storage?.estimate) return 'This browser does not report its storage.';
  const [{ usage = 0, quota }, persisted] = await Promise.all([storage.estimate(), storage.persisted?.() ?? false]);
  const used = `${formatBytes(usage)} used${quota ? ` of ${formatBytes(quota)}` : ''}`;
  return `${used} · ${persisted ? 'kept until you delete it' : 'the browser may clear it when space runs low'}`;
}
