/**
 * The transport's decisions, with no I/O: which batch goes next, which stored batches this
 * window adopts, which batches overflow the bound, how long to wait after a failure. Time and
 * randomness come from the injected clock, so every rule is exact in unit tests.
 */
import type { BatchHeader } from './batchBody';
import type { StoredBatch } from './batchStore';
import { queueExcess } from './queueBound';
import { retryDelay } from './retryDelay';
import { isAdoptable } from './windowLocks';

/** Where the transport reads the time and its jitter. */
export interface Clock {
  now(): number;
  /** In [0, 1). */
  random(): number;
}

/** A batch waiting for the server's acknowledgement. */
export interface Queued {
  key: string;
  header: BatchHeader;
  createdAt: number;
  /** The events' gzip member, once compressed. */
  events: Uint8Array | null;
  /** Kept in a store, so a reload would find it. */
  stored: boolean;
  /** Requests for it under way (a regular one and a keepalive one may overlap on page hide). */
  inFlight: number;
  sentOnHide: boolean;
}

/** Whose stored batches a window may adopt. */
export interface AdoptionScope {
  project: string;
  windowId: string;
  /** Windows alive now (Web Locks), or null when the browser cannot tell. */
  live: Set<string> | null;
}

/** An ordered queue of batches, oldest first, with its failure count. */
export class BatchQueue<T extends Queued> {
  private readonly items: T[] = [];
  private failures = 0;

  constructor(private readonly clock: Clock) {}

  /** Every batch waiting, oldest first. */
  get all(): readonly T[] {
    return this.items;
  }

  push(item: T): void {
    this.items.push(item);
  }

  has(item: T): boolean {
    return this.items.includes(item);
  }

  remove(item: T): void {
    const index = this.items.indexOf(item);
    if (index >= 0) this.items.splice(index, 1);
  }

  /** The oldest batch with no request under way. */
  next(): T | undefined {
    return this.items.find((item) => item.inFlight === 0);
  }

  /**
   * Of `stored`, the batches this window takes over (its own after a reload, orphans of
   * windows no longer alive), oldest first; they are queued before younger ones.
   */
  adopt(stored: readonly StoredBatch[], scope: AdoptionScope, toItem: (batch: StoredBatch) => T): T[] {
    const known = new Set(this.items.map((item) => item.key));
    const now = this.clock.now();
    const adopted = stored
      .filter((batch) => {
        const fresh =
          !known.has(batch.key) &&
          batch.header.project === scope.project &&
          isAdoptable({ windowId: batch.header.windowId, createdAt: batch.createdAt }, scope.windowId, scope.live, now);
        known.add(batch.key);
        return fresh;
      })
      .sort((a, b) => a.createdAt - b.createdAt || a.header.seq - b.header.seq)
      .map(toItem);
    if (adopted.length === 0) return adopted;
    this.items.unshift(...adopted);
    this.items.sort((a, b) => a.createdAt - b.createdAt);
    return adopted;
  }

  /** The oldest batches (never one being sent) past the queue's bound: the caller drops them. */
  overflow(): T[] {
    const waiting = this.items.filter((item) => item.inFlight === 0);
    return waiting.slice(0, queueExcess(waiting.map((item) => item.events?.length ?? 0)));
  }

  /** Milliseconds until the next attempt after one more failure in a row. */
  failed(retryAfter: string | null): number {
    this.failures++;
    return retryDelay(this.failures, retryAfter, this.clock.now(), this.clock.random());
  }

  /** The server answered: backoff starts over. */
  succeeded(): void {
    this.failures = 0;
  }

  /** The page is visible again: a later hide sends again what is still waiting. */
  resetHide(): void {
    for (const item of this.items) item.sentOnHide = false;
  }
}
