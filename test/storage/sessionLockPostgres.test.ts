/**
 * A session's batches are folded from its row and spans as read before its one write. Two nodes
 * storing its first batches at once find no row to lock: each must wait for the other's commit
 * (lock_session, migration 011) rather than fold from a read that misses the other's spans.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { appendBatch, batchParams } from '../../server/storage/queries/appendBatch';
import { openPostgresDriver } from '../../server/storage/postgres/postgresDriver';
import type { SqlDriver } from '../../server/storage/sql';
import { EMPTY_RECORDING as DATA, spansRecord, T0 } from '../helpers/batches';
import { createDatabase } from '../helpers/postgres';

let url: string;
let nodes: SqlDriver[];

beforeAll(async () => {
  url = await createDatabase(inject('postgresUrl'));
  nodes = [await openPostgresDriver(url, () => undefined), await openPostgresDriver(url, () => undefined)];
});
afterAll(async () => {
  await Promise.all((nodes ?? []).map((node) => node.close()));
});

/** Waits until `count` backends wait for a lock (the two nodes' batches, held back by `holder`). */
async function waitForLockWaiters(holder: pg.Client, count: number): Promise<void> {
  for (;;) {
    const { rows } = await holder.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("folds a session's first batches stored by two nodes at once as if stored one after the other", async () => {
  const holder = new pg.Client(url);
  await holder.connect();
  try {
    // An uncommitted row of the session holds back both batches' writes of it, after whatever they read before.
    await holder.query('BEGIN');
    await holder.query("INSERT INTO sessions (id, project, device_id, timeout_ms, clock_offset_ms, created_at) VALUES ('first-batches', 'demo', 'device', 0, 0, 0)");
    const first = spansRecord('first-batches', 'w1', 0, [[T0, T0 + 1_000]]);
    const second = spansRecord('first-batches', 'w2', 0, [[T0 + 1_500, T0 + 3_000]]);
    // One node stores in one statement (append_batches), the other statement by statement.
    const firstParams = batchParams(first, DATA.length);
    const secondParams = batchParams(second, DATA.length);
    const stored = Promise.all([
      nodes[0].appendBatch!(firstParams, DATA, () => appendBatch(firstParams, DATA, nodes[0].dialect.lockSession)),
      nodes[1].transaction(() => appendBatch(secondParams, DATA, nodes[1].dialect.lockSession)),
    ]);
    await waitForLockWaiters(holder, 2);
    await holder.query('ROLLBACK');
    expect(await stored).toEqual([true, true]);

    const [session] = (await holder.query('SELECT windows, active_ms, first_activity_at, last_activity_at FROM sessions')).rows;
    expect(session).toEqual({ windows: '2', active_ms: '3000', first_activity_at: String(T0), last_activity_at: String(T0 + 3_000) });
    const spans = (await holder.query('SELECT start_ts, end_ts FROM activity_spans')).rows;
    expect(spans).toEqual([{ start_ts: String(T0), end_ts: String(T0 + 3_000) }]);
  } finally {
    await holder.end();
  }
});
