/**
 * Sends batches to the server one after another (so a window's batches arrive in order),
 * retrying with exponential backoff and jitter, honouring Retry-After, giving up only on
 * answers that will never change. Bodies are gzipped JSON sent as text/plain: a "simple"
 * request, so no CORS preflight, and the same body works for keepalive on page hide.
 */
import { gzipSync, strToU8 } from 'fflate';
import { KEEPALIVE_MAX_BYTES } from '../shared/constants';
import type { IngestBatch } from '../shared/wire';

/** Everything of a batch but its events, which travel pre-serialised, and its send time. */
export type BatchHeader = Omit<IngestBatch, 'events' | 'sentAt'>;

interface Pending {
  header: BatchHeader;
  eventsJson: string[];
  done: () => void;
  settled: Promise<void>;
  inFlight: boolean;
}

/** Past this many waiting batches the oldest is dropped (and counted). */
const MAX_QUEUED_BATCHES = 200;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;
/** Answers that a retry cannot change: drop the batch and say so once. */
const FINAL_STATUSES = new Set([400, 401, 403, 404, 413]);

export class Transport {
  private readonly queue: Pending[] = [];
  private sending = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private warned = false;
  /** Batches dropped because the queue was full or the server refused them for good. */
  dropped = 0;

  constructor(
    private readonly url: string,
    private readonly fetchImpl: typeof fetch,
  ) {}

  /** Queues a batch; the returned promise settles once the server acknowledged (or refused) it. */
  enqueue(header: BatchHeader, eventsJson: string[]): Promise<void> {
    let done!: () => void;
    const settled = new Promise<void>((resolve) => (done = resolve));
    this.queue.push({ header, eventsJson, done, settled, inFlight: false });
    while (this.queue.length > MAX_QUEUED_BATCHES) this.drop(this.queue.findIndex((p) => !p.inFlight));
    this.pump();
    return settled;
  }

  /** Resolves once every batch queued so far has been acknowledged or refused. */
  idle(): Promise<void> {
    return Promise.all(this.queue.map((p) => p.settled)).then(() => undefined);
  }

  /**
   * The page may be going away: send what waits now with keepalive, which outlives the page,
   * within the browser's 64 KB budget for such requests.
   */
  sendAllKeepalive(): void {
    let budget = KEEPALIVE_MAX_BYTES;
    for (const pending of this.queue) {
      if (pending.inFlight) continue;
      const body = this.body(pending);
      if (body.length > budget) continue;
      budget -= body.length;
      void this.send(pending, body, true);
    }
  }

  private pump(): void {
    if (this.sending || this.retryTimer !== undefined) return;
    const next = this.queue.find((p) => !p.inFlight);
    if (!next) return;
    this.sending = true;
    void this.send(next, this.body(next), false).finally(() => {
      this.sending = false;
      this.pump();
    });
  }

  private body(pending: Pending): Uint8Array {
    // sentAt is taken per attempt: the server derives clock skew from it.
    const head = JSON.stringify({ ...pending.header, sentAt: Date.now() });
    return gzipSync(strToU8(`${head.slice(0, -1)},"events":[${pending.eventsJson.join(',')}]}`));
  }

  private async send(pending: Pending, body: Uint8Array, keepalive: boolean): Promise<void> {
    pending.inFlight = true;
    let response: Response;
    try {
      response = await this.fetchImpl(this.url, {
        method: 'POST',
        body: body as BodyInit,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        keepalive,
        credentials: 'omit',
      });
    } catch {
      pending.inFlight = false;
      this.scheduleRetry(null);
      return;
    }
    if (response.ok) {
      this.failures = 0;
      this.remove(pending);
      return;
    }
    if (FINAL_STATUSES.has(response.status)) {
      this.warnOnce(`the replay server refused a batch (${response.status}); it is dropped`);
      this.drop(this.queue.indexOf(pending));
      return;
    }
    pending.inFlight = false;
    this.scheduleRetry(response.headers.get('Retry-After'));
  }

  private scheduleRetry(retryAfter: string | null): void {
    if (this.retryTimer !== undefined) return;
    this.failures++;
    const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1));
    const seconds = retryAfter === null ? NaN : Number(retryAfter);
    const delay = Number.isFinite(seconds) ? seconds * 1_000 : backoff / 2 + Math.random() * (backoff / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delay);
  }

  private remove(pending: Pending): void {
    const index = this.queue.indexOf(pending);
    if (index >= 0) this.queue.splice(index, 1);
    pending.done();
  }

  private drop(index: number): void {
    if (index < 0) return;
    this.dropped++;
    this.remove(this.queue[index]);
  }

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    console.warn(`[session-replay] ${message}`);
  }
}
