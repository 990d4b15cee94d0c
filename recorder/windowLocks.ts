/**
 * Which windows (tabs) of this origin are alive, with the Web Locks API: each holds a lock
 * named after its window id for as long as it lives, and the browser releases it when the tab
 * closes or crashes. Batches stored by a window without a lock are orphans another tab sends.
 */

const LOCK_PREFIX = 'sr:window:';
/** Without Web Locks, another window's batches are taken as orphans only once this old. */
export const ORPHAN_AGE_MS = 600_000;

/** Holds this window's lock until the page goes away. */
export function holdWindowLock(windowId: string): void {
  try {
    void navigator.locks?.request(`${LOCK_PREFIX}${windowId}`, () => new Promise<void>(() => undefined)).catch(() => undefined);
  } catch {
    // No Web Locks (or a sandboxed frame): orphans are then recognised by age.
  }
}

/** The window ids holding a lock now, or null when the browser cannot tell. */
export async function liveWindows(): Promise<Set<string> | null> {
  try {
    if (!navigator.locks) return null;
    const { held = [], pending = [] } = await navigator.locks.query();
    const names = [...held, ...pending].map((lock) => lock.name ?? '');
    return new Set(names.filter((name) => name.startsWith(LOCK_PREFIX)).map((name) => name.slice(LOCK_PREFIX.length)));
  } catch {
    return null;
  }
}

/** Whether a stored batch may be sent by `windowId`: its own, or one no live window will send. */
export function isAdoptable(
  batch: { windowId: string; createdAt: number },
  windowId: string,
  live: Set<string> | null,
  now: number,
): boolean {
  if (batch.windowId === windowId) return true;
  return live ? !live.has(batch.windowId) : now - batch.createdAt > ORPHAN_AGE_MS;
}
