/**
 * Retention: sessions that ended more than RETENTION_DAYS ago are deleted with their
 * recordings, a few at a time, yielding to the event loop between batches so ingest never
 * waits behind a long delete. SQLite reuses the freed pages, so the file stops growing once
 * old data goes as fast as new data comes.
 */
import { setImmediate as nextTick } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Metrics } from './operating/metrics';
import type { Storage } from './storage/storage';

const DAY_MS = 86_400_000;
/** Sessions per delete transaction: each holds the write lock for a few milliseconds only. */
export const RETENTION_BATCH = 50;
/** How often old sessions are looked for. */
const RETENTION_INTERVAL_MS = 600_000;
/** The first pass waits until the server is up and serving. */
const FIRST_PASS_DELAY_MS = 10_000;

export interface Retention {
  /** Deletes everything past retention now; resolves to how many sessions went. */
  runOnce(): Promise<number>;
  stop(): void;
}

export interface RetentionOptions {
  storage: Storage;
  /** Sessions that ended longer ago are deleted; 0 keeps everything. */
  days: number;
  now: () => number;
  logger: Logger;
  metrics: Metrics;
}

/** Starts the periodic deletion; `days` 0 keeps everything. */
export function startRetention({ storage, days, now, logger, metrics }: RetentionOptions): Retention {
  let running: Promise<number> | null = null;
  let stopped = false;
  const pass = async (): Promise<number> => {
    const cutoff = now() - days * DAY_MS;
    let total = 0;
    for (;;) {
      if (stopped) return total;
      const deleted = await storage.deleteSessionsEndedBefore(cutoff, RETENTION_BATCH);
      total += deleted;
      metrics.retentionDeletedSessions.inc(deleted);
      if (deleted < RETENTION_BATCH) return total;
      // SQLite's answer resolves as a microtask, which lets no request in: yield a whole turn.
      await nextTick();
    }
  };
  const runOnce = () => {
    if (days <= 0) return Promise.resolve(0);
    running ??= pass().finally(() => (running = null));
    return running;
  };
  const tick = () => void runOnce().catch((err: unknown) => logger.error({ err }, 'retention pass failed'));
  const first = days > 0 ? setTimeout(tick, FIRST_PASS_DELAY_MS) : undefined;
  const timer = days > 0 ? setInterval(tick, RETENTION_INTERVAL_MS) : undefined;
  // Timers must not keep a process alive that has nothing else to do (tests, a closing server).
  first?.unref();
  timer?.unref();
  return {
    runOnce,
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
