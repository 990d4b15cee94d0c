/**
 * PostgreSQL's gap trigger locks every session of a device before recomputing its gaps. A batch
 * that moves neither first nor last activity of its session changes no gap, so it must neither
 * recompute nor wait for a lock another node holds on a later session of the same device.
 */
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { summarizeBatch } from '../../shared/summarizeBatch';
import type { WireEvent } from '../../shared/wire';
import { openSqlDriver } from '../../server/storage/openSqlDriver';
import { sqlStorage } from '../../server/storage/sqlStorage';
import type { Storage } from '../../server/storage/storage';
import { clickEvent, metaEvent, mutationEvent, T0 } from '../helpers/batches';
import { createDatabase } from '../helpers/postgres';
import { tempDataDir } from '../helpers/server';

const HOUR = 3_600_000;
let url: string;
let storage: Storage;

const batch = (sessionId: string, seq: number, events: WireEvent[]) =>
  storage.appendBatch({
    project: 'demo',
    sessionId,
    windowId: `w-${sessionId}`,
    deviceId: 'device',
    seq,
    sessionTimeoutMs: 1_800_000,
    userAgent: null,
    receivedAt: T0 + 24 * HOUR,
    clockOffsetMs: 0,
    summary: summarizeBatch(events),
    recording: { gzip: gzipSync(JSON.stringify({ events })) },
    eventsRead: true,
    droppedBatches: 0,
  });

beforeAll(async () => {
  url = await createDatabase(inject('postgresUrl'));
  storage = sqlStorage(await openSqlDriver({ dataDir: tempDataDir(), databaseUrl: url }, () => undefined));
  await batch('earlier', 0, [metaEvent(T0), clickEvent(T0 + 1_000), clickEvent(T0 + 60_000)]);
  await batch('later', 0, [metaEvent(T0 + 2 * HOUR), clickEvent(T0 + 2 * HOUR + 1_000)]);
});
afterAll(() => storage?.close());

describe('the gaps of a device on PostgreSQL', () => {
  it('are not recomputed, nor the device locked, for a batch that moves no activity of an earlier session', async () => {
    const other = new pg.Client(url);
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query("SELECT 1 FROM sessions WHERE id = 'later' FOR UPDATE");
      // Within the earlier session's activity: a mutation is not activity, a click inside it moves nothing.
      const stored = Promise.race([
        batch('earlier', 1, [mutationEvent(T0 + 20_000), clickEvent(T0 + 30_000)]).then(() => 'stored'),
        new Promise((resolve) => setTimeout(resolve, 3_000, 'waited for the lock')),
      ]);
      expect(await stored).toBe('stored');
      await other.query('ROLLBACK');
      // One that moves its last activity recomputes the gaps, which the later session shows.
      await batch('earlier', 2, [clickEvent(T0 + HOUR)]);
      const [row] = (await other.query<{ gap: string; first: string }>("SELECT gap_before_ms AS gap, first_activity_at AS first FROM sessions WHERE id = 'later'")).rows;
      expect(Number(row.gap)).toBe(Number(row.first) - (T0 + HOUR));
    } finally {
      await other.end();
    }
  });
});
