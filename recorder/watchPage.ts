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

  let stopped = false;
  /**
   * Listens for one event of `type` at a time, again ACTIVITY_THROTTLE_MS after it: a listener
   * the page calls at every key press cost more of its main thread (~3 ms a TodoMVC run) than
   * the one activity a second it reports is worth.
   */
  const listen = (type: 'keydown' | 'focus', kind: 'key' | 'focus', capture: boolean) => {
    const options = { capture, passive: true, once: true };
    const on = () => {
      onActivity(kind);
      setTimeout(() => {
        if (!stopped) addEventListener(type, on, options);
      }, ACTIVITY_THROTTLE_MS);
    };
    addEventListener(type, on, options);
    return () => removeEventListener(type, on, options);
  };
  // Key presses anywhere (capture: inputs included); focus of the window itself only.
  const stopKeys = listen('keydown', 'key', true);
  const stopFocus = listen('focus', 'focus', false);
  addEventListener('popstate', navigated);
  addEventListener('hashchange', navigated);

  return () => {
    stopped = true;
    history.pushState = pushState;
    history.replaceState = replaceState;
    removeEventListener('popstate', navigated);
    removeEventListener('hashchange', navigated);
    stopKeys();
    stopFocus();
  };
}
