/**
 * A page that walks its sort order's index lists the same sessions as one the planner plans
 * alone, under the filters a walk spells its own way (on PostgreSQL, `url` and `event` read the
 * page's ids first, testing each against the filter), first page and next.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_SORTS } from '../../shared/api';
import { summarizeBatch } from '../../shared/summarizeBatch';
import { pageSql, SORT_COLUMNS, type PageQuery, type SessionRow } from '../../server/storage/queries/sessionRows';
import type { SqlDriver } from '../../server/storage/sql';
import { sqlStorage } from '../../server/storage/sqlStorage';
import type { Storage } from '../../server/storage/storage';
import { clickEvent, metaEvent, T0 } from '../helpers/batches';
import { openTestDriver } from '../helpers/storage';

const NOW = T0 + 86_400_000;
let driver: SqlDriver;
let storage: Storage;
let cartIds: number[];

beforeAll(async () => {
  driver = await openTestDriver();
  storage = sqlStorage(driver);
  for (let i = 0; i < 120; i++) {
    const start = T0 + i * 60_000;
    const events = [metaEvent(start, `https://shop.test/${i % 3 === 0 ? 'cart' : 'home'}`), clickEvent(start + ((i * 7919) % 50_000))];
    const summary = summarizeBatch(events);
    if (i % 4 === 0) summary.trackNames = ['checkout'];
    await storage.appendBatch({
      project: 'demo',
      sessionId: `s-${String(i).padStart(3, '0')}`,
      windowId: 'w',
      deviceId: `d${i % 7}`,
      seq: 0,
      sessionTimeoutMs: 1_800_000,
      userAgent: null,
      receivedAt: NOW,
      clockOffsetMs: 0,
      summary,
      recording: { gzip: gzipSync(JSON.stringify({ events })) },
      eventsRead: true,
      droppedBatches: 0,
    });
  }
  cartIds = (await driver.rows<{ id: number }>("SELECT id FROM urls WHERE url = 'https://shop.test/cart'")).map((row) => row.id);
});
afterAll(() => storage?.close());

async function ids(query: PageQuery, walk: boolean): Promise<string[]> {
  const { sql, params } = pageSql(query, NOW, driver.dialect, walk);
  if (walk) expect(sql.startsWith('WITH page')).toBe(driver.dialect.walksIdsForSubqueryFilters);
  return (await driver.rows<{ id: string }>(sql, params)).map((row) => row.id);
}

describe('a page walking its sort index', () => {
  it.each(SESSION_SORTS)('lists what the planner lists by %s under url and event filters, page after page', async (sort) => {
    for (const filters of [{ url: 'cart', urlIds: cartIds }, { event: 'checkout' }, { url: 'cart', urlIds: cartIds, event: 'checkout' }]) {
      const query: PageQuery = { sort, order: 'desc', limit: 5, cursor: null, ...filters };
      const first = await ids(query, true);
      expect(first).toHaveLength(6);
      expect(first).toEqual(await ids(query, false));
      const [last] = await driver.rows<SessionRow>('SELECT * FROM sessions WHERE id = :id', { id: first[4] });
      const next = { ...query, cursor: { value: Number(last[SORT_COLUMNS[sort]]), id: first[4] } };
      expect(await ids(next, true)).toEqual(await ids(next, false));
    }
  });
});
