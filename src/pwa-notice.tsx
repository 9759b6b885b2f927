/// <reference types="vite-plugin-pwa/preact" />
import { useRegisterSW } from 'virtual:pwa-register/preact';

/**
 * Registers the service worker and says, in the top bar, when a new version is ready. The new
 * version waits until the user reloads, so nothing changes under an open profile.
 */
export function PwaNotice() {
  const {
    needRefresh: [needRefresh],
    updateServiceWorker,
  } = useRegisterSW();
  if (!needRefresh) return null;
  return (
    <div class="pwa-notice" role="status" data-testid="update-ready">
      <span>A new version of Kiln is ready</span>
      <button class="primary" onClick={() => updateServiceWorker(true)}>
        Reload
      </button>
    </div>
  );
}
