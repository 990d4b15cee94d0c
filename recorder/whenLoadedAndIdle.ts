/** Runs optional work (loading a chunk) once the page has loaded and the browser is idle: never during the page's own loading. */

/** Longest wait for an idle moment after the page loaded. */
const IDLE_WAIT_MS = 5_000;

/** Calls `work` once the page has loaded, at the next idle moment (or after IDLE_WAIT_MS). */
export function whenLoadedAndIdle(work: () => void): void {
  const whenIdle = () => ('requestIdleCallback' in window ? requestIdleCallback(work, { timeout: IDLE_WAIT_MS }) : setTimeout(work, IDLE_WAIT_MS));
  if (document.readyState === 'complete') whenIdle();
  else addEventListener('load', whenIdle, { once: true });
}
