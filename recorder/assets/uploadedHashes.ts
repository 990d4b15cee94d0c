/**
 * The hashes this browser saw stored on a server lately, in localStorage: a later page view
 * neither asks about nor uploads them. Kept briefly (a deleted session may take an asset with
 * it) and bounded; storage failures only cost a question to the server.
 */

/** How long a stored hash is trusted without asking (1 hour). */
export const UPLOADED_MEMORY_MS = 3_600_000;
/** Most hashes remembered; the oldest go first. */
export const UPLOADED_MEMORY_MAX = 1_000;

const key = (server: string) => `sr_assets:${server}`;

/** The hashes remembered for `server` at `now`, with when each was confirmed. */
export function loadUploaded(server: string, now: number): Map<string, number> {
  try {
    const entries = Object.entries(JSON.parse(localStorage.getItem(key(server)) ?? '{}') as Record<string, number>);
    return new Map(entries.filter(([, at]) => typeof at === 'number' && now - at < UPLOADED_MEMORY_MS));
  } catch {
    return new Map();
  }
}

/** Remembers `hashes` as stored on `server` at `now`, keeping the newest UPLOADED_MEMORY_MAX. */
export function saveUploaded(server: string, hashes: Iterable<string>, now: number): void {
  try {
    const all = loadUploaded(server, now);
    for (const hash of hashes) all.set(hash, now);
    const newest = [...all].sort((a, b) => b[1] - a[1]).slice(0, UPLOADED_MEMORY_MAX);
    localStorage.setItem(key(server), JSON.stringify(Object.fromEntries(newest)));
  } catch {
    // Full or forbidden storage: the next page view asks the server again.
  }
}
