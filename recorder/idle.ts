/** Runs work when the page is idle, so the recorder's own work stays out of the page's busy frames. */

/** Longest a waiting piece of work is put off while the page is never idle. */
const IDLE_TIMEOUT_MS = 1_000;
/**
 * Time each call gets, idle period or not: a long idle period is no reason for a long task
 * (a task over 50 ms counts as one, idle or not), and a page never idle still gets work done.
 */
const SLICE_MS = 8;

/** Calls `work` at the next idle period with `hasTime()`, which turns false once its slice is spent. */
export function onIdle(work: (hasTime: () => boolean) => void): void {
  const run = () => {
    const end = performance.now() + SLICE_MS;
    work(() => performance.now() < end);
  };
  // Safari has no requestIdleCallback: the next task is its idle time.
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(run);
}
