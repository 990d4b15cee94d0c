import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_SORTS } from '../../shared/api';
import { openDatabase } from '../../server/storage/sqlite/openDatabase';
import { pageSql } from '../../server/storage/queries/sessionRows';
import { sqliteDialect } from '../../server/storage/sqlite/sqliteDriver';
import type Database from 'better-sqlite3';
import { tempDataDir } from '../helpers/server';

let db: Database.Database;
const NOW = Date.parse('2026-11-23T12:00:00Z');

beforeAll(() => {
  db = openDatabase(path.join(tempDataDir(), 'replay.sqlite'));
  const insert = db.prepare(`INSERT INTO sessions (id, project, device_id, timeout_ms, clock_offset_ms, first_activity_at,
    last_activity_at, active_ms, event_count, error_count, created_at) VALUES (?, 'demo', ?, 1800000, 0, ?, ?, ?, ?, ?, 0)`);
  for (let i = 0; i < 200; i++) {
    const start = NOW - i * 3_600_000;
    insert.run(randomUUID(), `d${i % 7}`, start, start + ((i * 7919) % 100_000), i % 13, i % 17, i % 3 === 0 ? 1 : 0);
  }
});
afterAll(() => db.close());

describe('pageSql', () => {
  it.each(SESSION_SORTS)('walks the %s index with the same rows as the planner’s own choice', (sort) => {
    const query = {
      sort,
      order: 'desc' as const,
      limit: 20,
      cursor: null,
      from: NOW - 150 * 3_600_000,
      minLengthMs: 1_000,
      hasErrors: true,
      status: 'concluded' as const,
    };
    const rows = (walk: boolean) => {
      const { sql, params } = pageSql(query, NOW, sqliteDialect, walk);
      return db.prepare(sql).all(params).map((row) => (row as { id: string }).id);
    };
    expect(rows(true)).toHaveLength(21);
    expect(rows(true)).toEqual(rows(false));
    const walking = pageSql(query, NOW, sqliteDialect, true);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${walking.sql}`).all(walking.params) as { detail: string }[];
    expect(plan.map((step) => step.detail).join(' ')).not.toContain('TEMP B-TREE');
  });
});
