/**
 * Sends batches to the server one after another (so a window's batches arrive in order),
 * retrying with exponential backoff and jitter, honouring Retry-After, giving up only on
 * answers that will never change. Every batch waits in a bounded persistent queue until the
 * server acknowledged it, so a reload, a crash or an offline spell loses nothing; batches of
 * a window that died are sent by the next page of this origin. The decisions live in
 * queue.ts, storage in persistence.ts, the requests in sender.ts; this file wires them to
 * timers and page events.
 */
import { KEEPALIVE_MAX_BYTES } from '../shared/constants';
import type { BatchSummary } from '../shared/summarizeBatch';
import { batchBody, batchFields, eventsMemberNow, eventsText, headMember, type BatchHeader } from './batchBody';
import { batchKey, type StoredBatch } from './batchStore';
import type { Compress } from './workerJobs';
import type * as Envelopes from './envelopeBody';
import { countDrops, unreportedDrops } from './dropCounter';
import type { Persistence } from './persistence';
import { BatchQueue, type Clock, type Queued } from './queue';
import type { Send } from './sender';

export type { BatchHeader } from './batchBody';

export interface TransportOptions {
  send: Send;
  /** Stored batches of other projects (another recorder on this origin) are not this one's to send. */
  project: string;
  windowId: string;
  persistence: Persistence;
  compress: Compress;
  clock: Clock;
  /** How batches go as envelopes (shared/batchEnvelope.ts), the server then reading none of their events; absent: as plain gzip JSON. */
  envelopes?: typeof Envelopes;
  /** The transport's own failures (storage, compression): counted, never thrown. */
  onError(error: unknown): void;
}

interface Pending extends Queued {
  /** The serialised events until they are compressed. */
  eventsJson: readonly string[] | null;
  /** The events' summary when batches go as envelopes (none when it failed): such a batch goes as one. */
  summary?: BatchSummary;
  compressed: Promise<void>;
  done: () => void;
  settled: Promise<void>;
}

/** How often orphaned batches of other windows (closed or crashed tabs) are looked for. */
const ADOPT_INTERVAL_MS = 30_000;

export class Transport {
  private readonly queue: BatchQueue<Pending>;
  private readonly restored: Promise<void>;
  private sending = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly adoptTimer: ReturnType<typeof setInterval>;
  private warned = false;

  constructor(private readonly options: TransportOptions) {
    this.queue = new BatchQueue(options.clock);
    this.restored = this.adoptStored();
    this.adoptTimer = setInterval(() => void this.adoptStored(), ADOPT_INTERVAL_MS);
    addEventListener('online', this.retryNow);
  }

  /** Queues a batch; the returned promise settles once the server acknowledged (or refused) it. */
  enqueue(header: BatchHeader, serialised: readonly string[]): Promise<void> {
    const pending = this.pending(batchKey(header.windowId, header.seq), header, this.options.clock.now());
    const eventsJson = this.options.envelopes?.withoutCapturedCss(serialised) ?? serialised;
    pending.eventsJson = eventsJson;
    pending.summary = this.options.envelopes?.summarize(eventsJson, this.options.onError);
    pending.compressed = this.options
      .compress(eventsJson)
      .catch((error: unknown) => {
        this.options.onError(error);
        return eventsMemberNow(eventsText(eventsJson));
      })
      .then((events) => {
        // Replaces the uncompressed copy a page hide may have made: same content, fewer bytes.
        pending.events = events;
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
    await Promise.all(this.queue.all.map((p) => p.settled));
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
    for (const pending of this.queue.all) {
      try {
        // No time to compress: stored as it is (the next page's send is then bigger, not lost).
        if (!pending.events) pending.events = eventsMemberNow(eventsText(pending.eventsJson ?? []));
        if (!pending.stored) pending.stored = this.options.persistence.saveNow(this.toStored(pending));
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
    this.queue.resetHide();
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
      const { batches, live } = await this.options.persistence.load();
      const scope = { project: this.options.project, windowId: this.options.windowId, live };
      const adopted = this.queue.adopt(batches, scope, (batch) => {
        const pending = this.pending(batch.key, batch.header, batch.createdAt);
        pending.events = batch.events;
        pending.summary = batch.summary;
        pending.stored = true;
        return pending;
      });
      if (adopted.length === 0) return;
      this.bound();
      this.pump();
    } catch (error) {
      this.options.onError(error);
    }
  }

  private async persist(pending: Pending): Promise<void> {
    if (pending.stored) return;
    pending.stored = await this.options.persistence.save(this.toStored(pending));
    // Acknowledged while it was being written: the copy must not be sent again.
    if (!this.queue.has(pending)) void this.options.persistence.forget(pending.key);
  }

  private toStored(pending: Pending): StoredBatch {
    return { key: pending.key, header: pending.header, events: pending.events as Uint8Array, createdAt: pending.createdAt, summary: pending.summary };
  }


  /** Drops the oldest batches past the queue's bound, and counts them. */
  private bound(): void {
    for (const pending of this.queue.overflow()) this.drop(pending);
  }

  private readonly retryNow = (): void => {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.pump();
  };

  private pump(): void {
    if (this.sending || this.retryTimer !== undefined) return;
    const next = this.queue.next();
    if (!next) return;
    this.sending = true;
    const ready = () => this.queue.has(next) && next.inFlight === 0;
    void next.compressed
      .then(async () => {
        if (!ready()) return;
        const dropped = unreportedDrops();
        const body = await this.bodyThatMayWait(next, dropped);
        if (ready()) return this.send(next, body, dropped, false);
      })
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => {
        this.sending = false;
        this.pump();
      });
  }

  /** The body of a send that can wait for it: an envelope's head deflated (envelopeBody.ts). */
  private bodyThatMayWait(pending: Pending, dropped: number): Promise<Uint8Array> | Uint8Array {
    if (!pending.summary || !this.options.envelopes) return this.body(pending, dropped);
    const fields = batchFields(pending.header, this.options.clock.now(), dropped);
    return this.options.envelopes.deflatedEnvelopeBody(fields, pending.summary, pending.events as Uint8Array);
  }

  private body(pending: Pending, dropped: number): Uint8Array {
    // sentAt is taken per attempt: the server derives clock skew from it.
    const sentAt = this.options.clock.now();
    const events = pending.events as Uint8Array;
    if (pending.summary && this.options.envelopes) return this.options.envelopes.envelopeBody(batchFields(pending.header, sentAt, dropped), pending.summary, events);
    return batchBody(headMember(pending.header, sentAt, dropped), events);
  }

  private async send(pending: Pending, body: Uint8Array, dropped: number, keepalive: boolean): Promise<void> {
    pending.inFlight++;
    const outcome = await this.options.send(body, keepalive);
    pending.inFlight--;
    if (outcome.kind === 'failed') {
      if (keepalive) pending.sentOnHide = false;
      else if (this.queue.has(pending)) this.scheduleRetry(null);
      return;
    }
    if (outcome.kind === 'beacon' || !this.queue.has(pending)) return;
    if (outcome.kind === 'ok') {
      this.queue.succeeded();
      countDrops(-dropped);
      this.remove(pending);
    } else if (outcome.kind === 'refused') {
      this.warnOnce(`server refused a batch (${outcome.status}), dropped`);
      this.drop(pending);
    } else if (!keepalive) {
      this.scheduleRetry(outcome.retryAfter);
    }
  }

  private scheduleRetry(retryAfter: string | null): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, this.queue.failed(retryAfter));
  }

  private remove(pending: Pending): void {
    this.queue.remove(pending);
    void this.options.persistence.forget(pending.key);
    pending.done();
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
