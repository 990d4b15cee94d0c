/** Runs work when the page is idle, so the recorder's own work stays out of the page's busy frames. */

/** Longest a waiting piece of work is put off while the page is never idle. */
const IDLE_TIMEOUT_MS = 1_000;
/** Least time a call gets: where the browser has no requestIdleCallback (Safari), or the page was never idle. */
const MIN_SLICE_MS = 8;

/** Calls `work` at the next idle period with `hasTime()`, which turns false when the period is spent. */
export function onIdle(work: (hasTime: () => boolean) => void): void {
  const run = (ms: number) => {
    const end = performance.now() + Math.max(ms, MIN_SLICE_MS);
    work(() => performance.now() < end);
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback((deadline) => run(deadline.timeRemaining() - 1), { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(run, 0, 0);
}
