/** When to try a failed batch again: the server's Retry-After when it gave one, else backoff with jitter. */

const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 60_000;
/** A Retry-After past this is a misconfiguration; waiting longer would only lose more on close. */
export const MAX_RETRY_AFTER_MS = 600_000;

/**
 * Milliseconds to wait after the `failures`-th failure in a row (1 for the first). `retryAfter`
 * is the header's value (delta-seconds or an HTTP date); `random` is in [0, 1).
 */
export function retryDelay(failures: number, retryAfter: string | null, now: number, random: number): number {
  const fromServer = parseRetryAfter(retryAfter, now);
  if (fromServer !== null) return Math.min(MAX_RETRY_AFTER_MS, fromServer);
  const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
  // "Equal jitter": never sooner than half the backoff, so clients that failed together spread out.
  return backoff / 2 + random * (backoff / 2);
}

/** Retry-After in ms from `now`, or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
