import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RETENTION_BATCH } from '../../server/retention';
import { DATABASE_FILE } from '../../server/storage/sqlite/sqliteDriver';
import { clickEvent, makeBatch, metaEvent, mutationEvent, postIngest } from '../helpers/batches';
import { backend, startServer, type TestServer } from '../helpers/server';

const DAY_MS = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
let clock = START;
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ now: () => clock, retentionDays: 30 });
});
afterAll(() => server.stop());

/** Ingests `count` sessions as if sent at the server's current clock, each a few KB. */
async function ingestSessions(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    // Text that does not compress away, so each session takes real pages.
    const filler = Array.from({ length: 40 }, (_, k) => ({
      ...mutationEvent(clock + k),
      data: { source: 0, texts: [{ id: k, value: `${i}-${k}-${Math.random()}` }], attributes: [], removes: [], adds: [] },
    }));
    const batch = makeBatch({ sentAt: clock, events: [metaEvent(clock), clickEvent(clock + 500), ...filler] });
    expect((await postIngest(server.url, batch)).status).toBe(200);
    ids.push(batch.sessionId);
  }
  return ids;
}

function pageCount(): number {
  const db = new Database(path.join(server.dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db.pragma('page_count', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('retention (RETENTION_DAYS)', () => {
  it('deletes sessions that ended before the cutoff with their recordings, in small batches, and keeps the rest', async () => {
    const old = await ingestSessions(RETENTION_BATCH * 2 + 7);
    clock += 20 * DAY_MS;
    const recent = await ingestSessions(3);
    clock += 15 * DAY_MS;
    // Watches (not replaces) the storage call each pass makes, to see how much each one removed.
    const deleteCall = vi.spyOn(server.replay.storage, 'deleteSessionsEndedBefore');
    expect(await server.replay.retention.runOnce()).toBe(old.length);
    const removedPerPass = await Promise.all(deleteCall.mock.results.map((r) => r.value as Promise<number>));
    deleteCall.mockRestore();
    expect(removedPerPass).toEqual([RETENTION_BATCH, RETENTION_BATCH, 7]);
    for (const id of [old[0], old[old.length - 1]]) {
      expect((await server.api(`/api/sessions/${id}`)).status).toBe(404);
      const chunks = [];
      for await (const chunk of server.replay.storage.readChunks(id)) chunks.push(chunk);
      expect(chunks).toHaveLength(0);
    }
    for (const id of recent) expect((await server.api(`/api/sessions/${id}`)).status).toBe(200);
    expect(await server.replay.retention.runOnce()).toBe(0);
  });
});

// PostgreSQL reuses freed space after (auto)vacuum, on its own schedule: only SQLite's file is checked.
describe.runIf(backend() === 'sqlite')('retention on SQLite', () => {
  it('lets the database file stop growing: new sessions reuse the pages old ones freed', async () => {
    await ingestSessions(100);
    const before = pageCount();
    clock += 31 * DAY_MS;
    expect(await server.replay.retention.runOnce()).toBeGreaterThanOrEqual(100);
    await ingestSessions(100);
    // Without retention the second 100 sessions would take about as many new pages again.
    expect(pageCount()).toBeLessThanOrEqual(before * 1.1);
  });
});

