/**
 * The aggregates the statistics read (slot_totals, day_buckets, slot_buckets) are kept by
 * triggers as batches move sessions' activity: within their slot and length bucket (the usual
 * batch, a fast path), into another bucket, or to an earlier slot (a late batch). After every
 * batch they must equal the same sums computed from the sessions themselves.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SqlDriver } from '../../server/storage/sql';
import { sqlStorage } from '../../server/storage/sqlStorage';
import type { Storage } from '../../server/storage/storage';
import type { Span } from '../../shared/session';
import { spansRecord, T0 } from '../helpers/batches';
import { openTestDriver } from '../helpers/storage';

const MIN = 60_000;
let driver: SqlDriver;
let storage: Storage;

beforeAll(async () => {
  driver = await openTestDriver();
  storage = sqlStorage(driver);
});
afterAll(() => storage?.close());

const KEPT = {
  slot_totals: `SELECT project, slot, sessions, total_ms FROM slot_totals WHERE sessions <> 0 OR total_ms <> 0 ORDER BY 1, 2`,
  day_buckets: `SELECT project, day, bucket, sessions FROM day_buckets WHERE sessions <> 0 ORDER BY 1, 2, 3`,
  slot_buckets: `SELECT project, slot, bucket, sessions, total_ms FROM slot_buckets WHERE sessions <> 0 OR total_ms <> 0 ORDER BY 1, 2, 3`,
};
const COMPUTED = {
  slot_totals: `SELECT project, start_slot AS slot, count(*) AS sessions, sum(length_ms) AS total_ms FROM sessions
    WHERE first_activity_at IS NOT NULL GROUP BY project, start_slot ORDER BY 1, 2`,
  day_buckets: `SELECT project, started_at - started_at % 86400000 AS day, length_bucket AS bucket, count(*) AS sessions FROM sessions
    WHERE first_activity_at IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  slot_buckets: `SELECT project, start_slot AS slot, length_bucket AS bucket, count(*) AS sessions, sum(length_ms) AS total_ms FROM sessions
    WHERE first_activity_at IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
};

async function tables(queries: Record<string, string>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, sql] of Object.entries(queries)) {
    // Sums come back as strings or numbers depending on the database: compare numbers.
    out[table] = (await driver.rows<Record<string, unknown>>(sql)).map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, key === 'project' ? value : Number(value)])),
    );
  }
  return out;
}

it('match the sums over sessions after batches that move activity within, across and before slots and buckets', async () => {
  const start = T0 - (T0 % (15 * MIN)) + 2 * MIN;
  const steps: Array<[string, Span]> = [
    ['a', [start, start + 1_000]],
    ['b', [start + 5 * MIN, start + 5 * MIN + 500]],
    // Within the slot and bucket: only the summed lengths change.
    ['a', [start + 1_500, start + 2_500]],
    ['a', [start + 2_800, start + 2_900]],
    // Into longer buckets.
    ['a', [start + 40_000, start + 41_000]],
    ['b', [start + 25 * MIN, start + 25 * MIN + 100]],
    // A late batch moves the start to an earlier slot.
    ['b', [start - 20 * MIN, start - 20 * MIN + 100]],
    ['a', [start + 41_500, start + 42_000]],
  ];
  for (const [seq, [session, span]] of steps.entries()) {
    await storage.appendBatch(spansRecord(session, 'w', seq, [span]));
    expect({ seq, ...(await tables(KEPT)) }).toEqual({ seq, ...(await tables(COMPUTED)) });
  }
});
