import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStats } from '../../shared/api';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

const MIGRATIONS = new URL('../../server/storage/sqlite/migrations/', import.meta.url);
const T = Date.parse('2026-11-20T10:00:00Z');
const MIN = 60_000;
let server: TestServer;

/** A database as the foundation's schema (migration 001) left it, with two sessions in it. */
function foundationDatabase(dataDir: string): void {
  const db = new Database(path.join(dataDir, 'replay.sqlite'));
  db.exec(fs.readFileSync(new URL('001_init.sql', MIGRATIONS), 'utf8'));
  db.pragma('user_version = 1');
  const session = db.prepare(`INSERT INTO sessions (id, project, device_id, timeout_ms, clock_offset_ms, first_activity_at,
    last_activity_at, active_ms, event_count, pages, windows, entry_at, entry_url, exit_at, exit_url, created_at)
    VALUES (?, 'demo', 'device', 1800000, 0, ?, ?, 0, 2, 1, 1, ?, ?, ?, ?, 0)`);
  const span = db.prepare('INSERT INTO activity_spans (session_id, start_ts, end_ts) VALUES (?, ?, ?)');
  session.run('01900000-0000-7000-8000-000000000001', T, T + 20 * MIN, T, 'https://shop.test/', T + 20 * MIN, 'https://shop.test/cart');
  span.run('01900000-0000-7000-8000-000000000001', T, T + 2 * MIN);
  span.run('01900000-0000-7000-8000-000000000001', T + 20 * MIN, T + 20 * MIN);
  session.run('01900000-0000-7000-8000-000000000002', T + 60 * MIN, T + 61 * MIN, T + 60 * MIN, 'https://shop.test/', T + 61 * MIN, 'https://shop.test/');
  span.run('01900000-0000-7000-8000-000000000002', T + 60 * MIN, T + 61 * MIN);
  // Two batches' spans less than ACTIVE_IDLE_MS apart: one merged span once upgraded.
  span.run('01900000-0000-7000-8000-000000000002', T + 61 * MIN + 3_000, T + 61 * MIN + 3_000);
  db.close();
}

beforeAll(async () => {
  const dataDir = tempDataDir();
  foundationDatabase(dataDir);
  server = await startServer({ dataDir });
});
afterAll(() => server.stop());

describe('upgrading a foundation database', () => {
  it('fills the aggregates, pages and idle gaps of the sessions already there', async () => {
    const stats: SessionStats = await (await server.api('/api/stats')).json();
    expect([stats.count, stats.totalMs, stats.medianMs]).toEqual([2, 21 * MIN, 10.5 * MIN]);
    const cart = await (await server.api('/api/sessions?url=/cart')).json();
    expect(cart.sessions.map((s: { id: string }) => s.id)).toEqual(['01900000-0000-7000-8000-000000000001']);
    // The 18-minute idle gap was found in the stored activity spans: a 10-minute timeout splits there.
    const split: SessionStats = await (await server.api(`/api/stats?timeoutMs=${10 * MIN}`)).json();
    expect(split.count).toBe(3);
    // A 45-minute timeout merges the two sessions, 40 minutes apart.
    const merged: SessionStats = await (await server.api(`/api/stats?timeoutMs=${45 * MIN}`)).json();
    expect([merged.count, merged.totalMs]).toEqual([1, 61 * MIN]);
  });

  it('merges the stored activity spans of each session, as batches now fold theirs in', () => {
    const db = new Database(path.join(server.dataDir, 'replay.sqlite'), { readonly: true });
    const spans = db.prepare('SELECT session_id, start_ts, end_ts FROM activity_spans ORDER BY session_id, start_ts').raw().all();
    db.close();
    expect(spans).toEqual([
      ['01900000-0000-7000-8000-000000000001', T, T + 2 * MIN],
      ['01900000-0000-7000-8000-000000000001', T + 20 * MIN, T + 20 * MIN],
      ['01900000-0000-7000-8000-000000000002', T + 60 * MIN, T + 61 * MIN + 3_000],
    ]);
  });
});
