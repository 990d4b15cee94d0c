/**
 * A session's merged activity spans are changed in place as batches arrive in any order (a span
 * extended, spans a batch bridges merged away, new ones added): after every batch the stored
 * rows, active time, idle gaps and longest gap are those of merging every span so far at once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SqlDriver } from '../../server/storage/sql';
import { sqlStorage } from '../../server/storage/sqlStorage';
import type { Storage } from '../../server/storage/storage';
import { ACTIVE_IDLE_MS, IDLE_GAP_MS } from '../../shared/constants';
import { activeTime, idleGaps, mergeSpans, type Span } from '../../shared/session';
import { spansRecord, T0 } from '../helpers/batches';
import { random } from '../helpers/random';
import { openTestDriver } from '../helpers/storage';

let driver: SqlDriver;
let storage: Storage;

beforeAll(async () => {
  driver = await openTestDriver();
  storage = sqlStorage(driver);
});
afterAll(() => storage?.close());

it('keeps the stored spans, active time and idle gaps of merging every batch so far, in any order', async () => {
  let shrank = false;
  let gapped = false;
  for (let seed = 1; seed <= 4; seed++) {
    const next = random(seed);
    const batches: Span[][] = [];
    for (let b = 0, t = T0; b < 14; b++) {
      const spans: Span[] = [];
      for (let s = 0; s < 1 + Math.floor(next() * 2); s++) {
        t += [0, 500, ACTIVE_IDLE_MS - 1, ACTIVE_IDLE_MS + 1, IDLE_GAP_MS + 1][Math.floor(next() * 5)];
        spans.push([t, t + Math.floor(next() * 3_000)]);
        t = spans[spans.length - 1][1];
      }
      batches.push(spans);
    }
    const order = batches.map((_spans, i) => i).sort(() => next() - 0.5);
    const sessionId = `spans-${seed}`;
    const seen: Span[] = [];
    let rowsBefore = 0;
    for (const [seq, i] of order.entries()) {
      await storage.appendBatch(spansRecord(sessionId, 'w', seq, batches[i]));
      seen.push(...batches[i]);
      const merged = mergeSpans(seen, ACTIVE_IDLE_MS);
      const gaps = idleGaps(merged, IDLE_GAP_MS);
      const stored = await driver.rows<{ start_ts: number; end_ts: number }>(
        'SELECT start_ts, end_ts FROM activity_spans WHERE session_id = :sessionId ORDER BY start_ts',
        { sessionId },
      );
      const [session] = await driver.rows<{ active_ms: number; idle_gaps: string | null; longest_idle_ms: number }>(
        'SELECT active_ms, idle_gaps, longest_idle_ms FROM sessions WHERE id = :sessionId',
        { sessionId },
      );
      expect({ seed, seq, spans: stored.map((row) => [row.start_ts, row.end_ts]), session }).toEqual({
        seed,
        seq,
        spans: merged,
        session: {
          active_ms: activeTime(merged),
          idle_gaps: gaps.length > 0 ? JSON.stringify(gaps) : null,
          longest_idle_ms: Math.max(0, ...gaps.map(([from, to]) => to - from)),
        },
      });
      shrank ||= stored.length < rowsBefore;
      gapped ||= gaps.length > 0;
      rowsBefore = stored.length;
    }
  }
  // Some batch bridged stored spans, so rows were merged away; some sessions had idle gaps.
  expect({ shrank, gapped }).toEqual({ shrank: true, gapped: true });
});
