/**
 * Activity rrweb does not record as such: SPA navigation (a page view), key presses outside
 * inputs and the window gaining focus. Returns the teardown, as rrweb's observers do.
 */

/** At most one key/focus activity event per this interval: enough to keep a session alive. */
const ACTIVITY_THROTTLE_MS = 1_000;

export interface PageWatchers {
  onPageView(href: string): void;
  onActivity(kind: 'key' | 'focus'): void;
}

export function watchPage({ onPageView, onActivity }: PageWatchers): () => void {
  let href = location.href;
  const navigated = () => {
    if (location.href === href) return;
    href = location.href;
    onPageView(href);
  };
  const { pushState, replaceState } = history;
  history.pushState = function (...args: Parameters<History['pushState']>) {
    pushState.apply(this, args);
    navigated();
  };
  history.replaceState = function (...args: Parameters<History['replaceState']>) {
    replaceState.apply(this, args);
    navigated();
  };

  let lastActivity = 0;
  const activity = (kind: 'key' | 'focus') => () => {
    const now = Date.now();
    if (now - lastActivity < ACTIVITY_THROTTLE_MS) return;
    lastActivity = now;
    onActivity(kind);
  };
  const onKey = activity('key');
  const onFocus = activity('focus');
  const options = { capture: true, passive: true };
  addEventListener('popstate', navigated);
  addEventListener('hashchange', navigated);
  addEventListener('keydown', onKey, options);
  addEventListener('focus', onFocus);

  return () => {
    history.pushState = pushState;
    history.replaceState = replaceState;
    removeEventListener('popstate', navigated);
    removeEventListener('hashchange', navigated);
    removeEventListener('keydown', onKey, options);
    removeEventListener('focus', onFocus);
  };
}
