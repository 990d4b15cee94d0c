/**
 * Sends batches to the server one after another (so a window's batches arrive in order),
 * retrying with exponential backoff and jitter, honouring Retry-After, giving up only on
 * answers that will never change. Every batch waits in a bounded persistent queue until the
 * server acknowledged it, so a reload, a crash or an offline spell loses nothing; batches of
 * a window that died are sent by the next page of this origin. Bodies are gzipped JSON sent
 * as text/plain: a "simple" request, so no CORS preflight, and the same body works for
 * keepalive and sendBeacon on page hide.
 */
import { gzipSync } from 'fflate';
import { KEEPALIVE_MAX_BYTES } from '../shared/constants';
import { batchBody, eventsText, headMember, type BatchHeader } from './batchBody';
import { batchKey, type BatchStore, type LocalBatchStore, type StoredBatch } from './batchStore';
import type { Compress } from './compress';
import { countDrops, unreportedDrops } from './dropCounter';
import { queueExcess } from './queueBound';
import { retryDelay } from './retryDelay';
import { isAdoptable, liveWindows } from './windowLocks';

export type { BatchHeader } from './batchBody';

export interface TransportOptions {
  url: string;
  /** Taken before rrweb's network plugin wraps fetch, so our own requests are never recorded. */
  fetch: typeof fetch;
  /** Stored batches of other projects (another recorder on this origin) are not this one's to send. */
  project: string;
  windowId: string;
  /** The persistent queue (IndexedDB); null when the browser has none, then `spill` serves. */
  store: Promise<BatchStore | null>;
  /** Synchronous storage for page hide, when IndexedDB has no time left to commit. */
  spill: LocalBatchStore;
  compress: Compress;
  /** The transport's own failures (storage, compression): counted, never thrown. */
  onError(error: unknown): void;
}

interface Pending {
  key: string;
  header: BatchHeader;
  createdAt: number;
  /** The events' gzip member, once compressed. */
  events: Uint8Array | null;
  /** The serialised events until they are compressed. */
  eventsJson: readonly string[] | null;
  compressed: Promise<void>;
  /** Kept in a store, so a reload would find it. */
  stored: boolean;
  /** Requests for it under way (a regular one and a keepalive one may overlap on page hide). */
  inFlight: number;
  sentOnHide: boolean;
  done: () => void;
  settled: Promise<void>;
}

/** Answers that a retry cannot change: drop the batch and say so once. */
const FINAL_STATUSES = new Set([400, 401, 403, 404, 413]);
/** How often orphaned batches of other windows (closed or crashed tabs) are looked for. */
const ADOPT_INTERVAL_MS = 30_000;

export class Transport {
  private readonly queue: Pending[] = [];
  private readonly restored: Promise<void>;
  private sending = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly adoptTimer: ReturnType<typeof setInterval>;
  private warned = false;

  constructor(private readonly options: TransportOptions) {
    this.restored = this.adoptStored();
    this.adoptTimer = setInterval(() => void this.adoptStored(), ADOPT_INTERVAL_MS);
    addEventListener('online', this.retryNow);
  }

  /** Queues a batch; the returned promise settles once the server acknowledged (or refused) it. */
  enqueue(header: BatchHeader, eventsJson: readonly string[]): Promise<void> {
    const pending = this.pending(batchKey(header.windowId, header.seq), header, Date.now());
    pending.eventsJson = eventsJson;
    pending.compressed = this.options
      .compress(eventsText(eventsJson))
      .catch((error: unknown) => {
        this.options.onError(error);
        return gzipSync(eventsText(eventsJson));
      })
      .then((events) => {
        // Page hide may have compressed it already, on the main thread.
        if (!pending.events) pending.events = events;
        pending.eventsJson = null;
        this.bound();
        void this.persist(pending);
      });
    this.queue.push(pending);
    this.bound();
    this.pump();
    return pending.settled;
  }

  /** Resolves once every batch queued so far (and every stored one adopted) is acknowledged or refused. */
  async idle(): Promise<void> {
    await this.restored;
    await Promise.all(this.queue.map((p) => p.settled));
  }

  /**
   * The page may be going away: store what is not stored yet (synchronously) and send what
   * waits with keepalive, which outlives the page, oldest first within the browser's 64 KB
   * budget for such requests. What does not fit is sent by the next page of this origin.
   */
  sendAllKeepalive(): void {
    let budget = KEEPALIVE_MAX_BYTES;
    // Only the first request carries the drop count: the others may land as well.
    let dropped = unreportedDrops();
    for (const pending of this.queue) {
      try {
        if (!pending.events) pending.events = gzipSync(eventsText(pending.eventsJson ?? []));
        if (!pending.stored) pending.stored = this.options.spill.putNow(this.toStored(pending));
        if (pending.sentOnHide) continue;
        const body = this.body(pending, dropped);
        if (body.length > budget) continue;
        budget -= body.length;
        pending.sentOnHide = true;
        void this.send(pending, body, dropped, true);
        dropped = 0;
      } catch (error) {
        this.options.onError(error);
      }
    }
  }

  /** The page is visible again: a later hide sends again what is still waiting. */
  resetHide(): void {
    for (const pending of this.queue) pending.sentOnHide = false;
  }

  /** Stops looking for other windows' orphans; what is queued still goes out. */
  stop(): void {
    clearInterval(this.adoptTimer);
    removeEventListener('online', this.retryNow);
  }

  private pending(key: string, header: BatchHeader, createdAt: number): Pending {
    let done!: () => void;
    const settled = new Promise<void>((resolve) => (done = resolve));
    return {
      key,
      header,
      createdAt,
      events: null,
      eventsJson: null,
      compressed: Promise.resolve(),
      stored: false,
      inFlight: 0,
      sentOnHide: false,
      done,
      settled,
    };
  }

  /** Takes over stored batches of this window (a reload) and orphans of windows no longer alive. */
  private async adoptStored(): Promise<void> {
    try {
      const store = await this.options.store;
      const [primary, spilled, live] = await Promise.all([
        store ? store.loadAll() : Promise.resolve([]),
        this.options.spill.loadAll(),
        liveWindows(),
      ]);
      const known = new Set(this.queue.map((p) => p.key));
      const now = Date.now();
      const adopted = [...primary, ...spilled]
        .filter((batch) => {
          const fresh =
            !known.has(batch.key) &&
            batch.header.project === this.options.project &&
            isAdoptable({ windowId: batch.header.windowId, createdAt: batch.createdAt }, this.options.windowId, live, now);
          known.add(batch.key);
          return fresh;
        })
        .sort((a, b) => a.createdAt - b.createdAt || a.header.seq - b.header.seq)
        .map((batch) => {
          const pending = this.pending(batch.key, batch.header, batch.createdAt);
          pending.events = batch.events;
          pending.stored = true;
          return pending;
        });
      if (store) {
        // Spilled on a page hide: IndexedDB has the room, localStorage belongs to the site.
        for (const batch of spilled) {
          void store.put(batch).then((ok) => {
            if (ok) void this.options.spill.delete(batch.key);
          });
        }
      }
      if (adopted.length === 0) return;
      this.queue.unshift(...adopted);
      this.queue.sort((a, b) => a.createdAt - b.createdAt);
      this.bound();
      this.pump();
    } catch (error) {
      this.options.onError(error);
    }
  }

  private async persist(pending: Pending): Promise<void> {
    if (pending.stored) return;
    const store = await this.options.store;
    const stored = this.toStored(pending);
    pending.stored = store ? await store.put(stored) : this.options.spill.putNow(stored);
    // Acknowledged while it was being written: the copy must not be sent again.
    if (!this.queue.includes(pending)) void this.forget(pending.key);
  }

  private toStored(pending: Pending): StoredBatch {
    return { key: pending.key, header: pending.header, events: pending.events as Uint8Array, createdAt: pending.createdAt };
  }

  /** Drops the oldest batches (never one being sent) past the queue's bound, and counts them. */
  private bound(): void {
    const waiting = this.queue.filter((p) => p.inFlight === 0);
    const excess = queueExcess(waiting.map((p) => p.events?.length ?? 0));
    for (const pending of waiting.slice(0, excess)) this.drop(pending);
  }

  private readonly retryNow = (): void => {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.pump();
  };

  private pump(): void {
    if (this.sending || this.retryTimer !== undefined) return;
    const next = this.queue.find((p) => p.inFlight === 0);
    if (!next) return;
    this.sending = true;
    void next.compressed
      .then(() => {
        if (!this.queue.includes(next) || next.inFlight > 0) return;
        const dropped = unreportedDrops();
        return this.send(next, this.body(next, dropped), dropped, false);
      })
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => {
        this.sending = false;
        this.pump();
      });
  }

  private body(pending: Pending, dropped: number): Uint8Array {
    // sentAt is taken per attempt: the server derives clock skew from it.
    return batchBody(headMember(pending.header, Date.now(), dropped), pending.events as Uint8Array);
  }

  private async send(pending: Pending, body: Uint8Array, dropped: number, keepalive: boolean): Promise<void> {
    pending.inFlight++;
    let response: Response | 'beacon';
    try {
      response = await this.post(body, keepalive);
    } catch {
      pending.inFlight--;
      if (keepalive) pending.sentOnHide = false;
      else if (this.queue.includes(pending)) this.scheduleRetry(null);
      return;
    }
    pending.inFlight--;
    // A beacon's fate is unknown: the batch stays stored, and a repeat is harmless (idempotent).
    if (response === 'beacon' || !this.queue.includes(pending)) return;
    if (response.ok) {
      this.failures = 0;
      countDrops(-dropped);
      this.remove(pending);
      return;
    }
    if (FINAL_STATUSES.has(response.status)) {
      this.warnOnce(`the replay server refused a batch (${response.status}); it is dropped`);
      this.drop(pending);
      return;
    }
    if (!keepalive) this.scheduleRetry(response.headers.get('Retry-After'));
  }

  private post(body: Uint8Array, keepalive: boolean): Promise<Response | 'beacon'> {
    const init: RequestInit = {
      method: 'POST',
      body: body as BodyInit,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      keepalive,
      credentials: 'omit',
    };
    // Browsers without keepalive on fetch still deliver a beacon after the page is gone.
    if (keepalive && !('keepalive' in Request.prototype) && navigator.sendBeacon) {
      const queued = navigator.sendBeacon(this.options.url, new Blob([body as BlobPart], { type: 'text/plain' }));
      return queued ? Promise.resolve('beacon') : Promise.reject(new Error('beacon refused'));
    }
    return this.options.fetch(this.options.url, init);
  }

  private scheduleRetry(retryAfter: string | null): void {
    if (this.retryTimer !== undefined) return;
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, retryDelay(this.failures, retryAfter, Date.now(), Math.random()));
  }

  private remove(pending: Pending): void {
    const index = this.queue.indexOf(pending);
    if (index >= 0) this.queue.splice(index, 1);
    void this.forget(pending.key);
    pending.done();
  }

  private async forget(key: string): Promise<void> {
    const store = await this.options.store;
    await Promise.all([store?.delete(key), this.options.spill.delete(key)]);
  }

  private drop(pending: Pending): void {
    countDrops(1);
    this.remove(pending);
  }

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    console.warn(`[session-replay] ${message}`);
  }
}
