/** Runs work when the page is idle, so the recorder's own work stays out of the page's busy frames. */

/** Longest a waiting piece of work is put off while the page is never idle. */
const IDLE_TIMEOUT_MS = 1_000;
/** Time slice given where the browser has no requestIdleCallback (Safari), or the page was never idle. */
const FALLBACK_SLICE_MS = 8;

/** Calls `work` at the next idle period with `hasTime()`, which turns false when the period is spent. */
export function onIdle(work: (hasTime: () => boolean) => void): void {
  if (typeof requestIdleCallback === 'function') {
    requestIdleCallback(
      (deadline) => {
        // A page never idle still gets a slice of work done per call, as Safari's does below.
        const end = performance.now() + FALLBACK_SLICE_MS;
        work(deadline.didTimeout ? () => performance.now() < end : () => deadline.timeRemaining() > 1);
      },
      { timeout: IDLE_TIMEOUT_MS },
    );
    return;
  }
  setTimeout(() => {
    const end = performance.now() + FALLBACK_SLICE_MS;
    work(() => performance.now() < end);
  }, 0);
}
