/**
 * One POST of a batch body and what its answer means. Bodies are gzip sent as text/plain: a
 * "simple" request, so no CORS preflight, and the same body works for keepalive and sendBeacon.
 */
import type { Fetch } from './workerJobs';

/** What became of one attempt. */
export type SendOutcome =
  | { kind: 'ok' }
  /** An answer a retry cannot change: the batch is dropped. */
  | { kind: 'refused'; status: number }
  | { kind: 'retry'; retryAfter: string | null }
  /** Handed to sendBeacon: its fate is unknown, the batch stays stored (a repeat is harmless). */
  | { kind: 'beacon' }
  /** No answer (offline, cancelled by the page's close). */
  | { kind: 'failed' };

/** Answers that a retry cannot change. */
const FINAL_STATUSES = new Set([400, 401, 403, 404, 413]);

/** The outcome of an HTTP answer. */
export function outcomeOf(status: number, retryAfter: string | null): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (FINAL_STATUSES.has(status)) return { kind: 'refused', status };
  return { kind: 'retry', retryAfter };
}

export type Send = (body: Uint8Array, keepalive: boolean) => Promise<SendOutcome>;

/**
 * A sender to `url` through `fetchFn` (the recorder's worker's, or fetch taken before rrweb's
 * network plugin wraps it: our own requests are never recorded).
 */
export function createSender(url: string, fetchFn: Fetch): Send {
  return async (body, keepalive) => {
    try {
      // Browsers without keepalive on fetch still deliver a beacon after the page is gone.
      if (keepalive && !('keepalive' in Request.prototype) && navigator.sendBeacon) {
        const queued = navigator.sendBeacon(url, new Blob([body as BlobPart], { type: 'text/plain' }));
        return queued ? { kind: 'beacon' } : { kind: 'failed' };
      }
      const response = await fetchFn(url, {
        method: 'POST',
        body: body as BodyInit,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        keepalive,
        credentials: 'omit',
      });
      return outcomeOf(response.status, response.headers.get('Retry-After'));
    } catch {
      return { kind: 'failed' };
    }
  };
}
