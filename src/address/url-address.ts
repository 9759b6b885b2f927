import { useEffect } from 'preact/hooks';
import type { Profile } from '~/core/model/profile';
import { addressOf, decodeViewState, fitViewState } from './url-state';
import type { ViewState } from './view-state';

/**
 * Keeps the address bar naming what is on screen: the hosted profile (`?url=`) and the view
 * state (the fragment), so that copying the address reopens the same view. The address is
 * replaced, not pushed: browsing a profile does not fill the back button's history.
 */
export function useViewInAddress(
  profile: Profile | null,
  profileUrl: string | null,
  state: ViewState,
  setState: (s: ViewState) => void,
): void {
  useEffect(() => {
    if (!profile) return;
    // Replacing the address costs the browser a few milliseconds even when nothing changed.
    const address = addressOf(location.href, profileUrl, state);
    if (address !== location.href) history.replaceState(history.state, '', address);
  }, [profile, profileUrl, state]);

  useEffect(() => {
    if (!profile) return;
    const follow = () => setState(fitViewState(decodeViewState(location.hash), profile.frames.count));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, [profile, setState]);
}
