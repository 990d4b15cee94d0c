/**
 * PostgreSQL's append_batches (one statement per group of batches) against the statements of
 * queries/appendBatch.ts (the TypeScript span folding and signal thinning of shared/): the same
 * batches, in groups on one database and one transaction each on another, must leave the same rows.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { ACTIVE_IDLE_MS, IDLE_GAP_MS } from '../../shared/constants';
import type { Span } from '../../shared/session';
import { appendBatch, batchParams } from '../../server/storage/queries/appendBatch';
import { openPostgresDriver } from '../../server/storage/postgres/postgresDriver';
import type { SqlDriver } from '../../server/storage/sql';
import type { BatchRecord } from '../../server/storage/storage';
import { createDatabase } from '../helpers/postgres';
import { random } from '../helpers/random';
import { T0 } from '../helpers/batches';

const SESSIONS = 5;
const BATCHES = 120;
/** Batches stored at once on the grouped side: several of one session land in one group. */
const GROUP = 12;

let grouped: { driver: SqlDriver; url: string };
let oneByOne: { driver: SqlDriver; url: string };

async function open(): Promise<{ driver: SqlDriver; url: string }> {
  const url = await createDatabase(inject('postgresUrl'));
  return { driver: await openPostgresDriver(url, () => undefined), url };
}

beforeAll(async () => {
  grouped = await open();
  oneByOne = await open();
});
afterAll(async () => {
  await grouped.driver.close();
  await oneByOne.driver.close();
});

/** Times around the thresholds the folding tests (ACTIVE_IDLE_MS, IDLE_GAP_MS), in any order. */
function batches(next: () => number): BatchRecord[] {
  const sessions = Array.from({ length: SESSIONS }, () => randomUUID());
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const steps = [ACTIVE_IDLE_MS - 1, ACTIVE_IDLE_MS, ACTIVE_IDLE_MS + 1, IDLE_GAP_MS, IDLE_GAP_MS + 1, 3 * IDLE_GAP_MS, 500];
  const records: BatchRecord[] = [];
  for (let i = 0; i < BATCHES; i++) {
    const at = T0 + Math.floor(next() * 40) * pick(steps);
    const spans: Span[] = [];
    for (let s = 0, start = at; s < Math.floor(next() * 4); s++) {
      const end = start + pick([0, 200, ACTIVE_IDLE_MS]);
      spans.push([start, end]);
      start = end + pick(steps);
    }
    const signalTimes = spans.length > 0 && next() < 0.4 ? [spans[0][0], spans[0][0] + pick(steps)].sort((a, b) => a - b) : [];
    const pageViews = next() < 0.5 ? [{ at, url: `https://shop.test/${pick(['a', 'b', 'c'])}` }, { at: at + 1, url: `https://shop.test/${i}` }] : [];
    records.push({
      project: 'demo',
      sessionId: pick(sessions),
      windowId: pick(['w1', 'w2']),
      deviceId: 'device',
      // Now and then the seq of an earlier batch: a repeat, stored once.
      seq: next() < 0.1 ? 0 : i,
      sessionTimeoutMs: 1_800_000,
      userAgent: pick([null, 'agent']),
      receivedAt: at,
      clockOffsetMs: 5,
      summary: {
        firstTs: at,
        lastTs: at + 1_000,
        eventCount: 3,
        errorCount: pick([0, 1]),
        spans,
        pageViews,
        userId: pick([null, 'user']),
        userTraits: pick([null, { plan: 'pro' }]),
        trackNames: pick([[], ['b', 'a', 'b']]),
        signals: { rage: signalTimes.length, dead: 0, error: 0 },
        signalTimes,
      },
      recording: { gzip: Buffer.alloc(0) },
      eventsRead: next() < 0.5,
      droppedBatches: 0,
    });
  }
  return records;
}

const TABLES = {
  sessions: 'SELECT * FROM sessions ORDER BY id',
  chunks: 'SELECT * FROM chunks ORDER BY session_id, window_id, seq',
  session_windows: 'SELECT * FROM session_windows ORDER BY session_id, window_id',
  activity_spans: 'SELECT * FROM activity_spans ORDER BY session_id, start_ts',
  session_pages: 'SELECT url, session_id FROM session_pages JOIN urls ON urls.id = url_id ORDER BY url, session_id',
  session_events: 'SELECT * FROM session_events ORDER BY name, session_id',
};

async function dump(url: string): Promise<Record<string, unknown[]>> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const entries = [];
    for (const [table, sql] of Object.entries(TABLES)) entries.push([table, (await client.query(sql)).rows]);
    return Object.fromEntries(entries);
  } finally {
    await client.end();
  }
}

it('stores batches in one statement per group exactly as their statements one transaction each', async () => {
  const records = batches(random(15));
  const works = records.map((record, i) => {
    const data = Buffer.from(`recording ${i}`);
    const params = batchParams(record, data.length);
    return { params, data, work: () => appendBatch(params, data, oneByOne.driver.dialect.lockSession) };
  });
  const groupedStored: boolean[] = [];
  for (let i = 0; i < works.length; i += GROUP) {
    const group = works.slice(i, i + GROUP);
    groupedStored.push(...(await Promise.all(group.map(({ params, data, work }) => grouped.driver.appendBatch!(params, data, work)))));
  }
  const oneByOneStored: boolean[] = [];
  for (const { work } of works) oneByOneStored.push(await oneByOne.driver.transaction(work));

  expect(groupedStored).toEqual(oneByOneStored);
  expect(groupedStored.filter((stored) => !stored).length).toBeGreaterThan(0);
  const [groupedRows, oneByOneRows] = await Promise.all([dump(grouped.url), dump(oneByOne.url)]);
  expect(groupedRows).toEqual(oneByOneRows);
  // The batches exercised what the folding decides: merged spans, idle gaps, thinned signals.
  const sessions = oneByOneRows.sessions as Array<{ idle_gaps: string | null; signal_times: string | null }>;
  expect(sessions.some((session) => session.idle_gaps !== null)).toBe(true);
  expect(sessions.some((session) => session.signal_times !== null)).toBe(true);
});
