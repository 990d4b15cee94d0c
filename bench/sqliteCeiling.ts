/**
 * The storage ceiling for ingest: the same gzipped bodies inserted straight into better-sqlite3,
 * in this process, with no HTTP, no parsing and no validation: the schema of
 * server/storage/db.ts openDatabase (WAL, synchronous = FULL) over a fresh file, one
 * transaction per batch, each client's session with its own sequence numbers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../server/storage/sqlite/openDatabase';
import { DATABASE_FILE } from '../server/storage/sqlite/sqliteDriver';
import { percentile } from './stats';
import type { IngestRun } from './ingestLoad';

export function runSqliteCeiling(bodies: readonly Buffer[], eventCounts: readonly number[], clients: number, seconds: number): IngestRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-sqlite-'));
  const db = openDatabase(path.join(dir, DATABASE_FILE));
  const insert = db.prepare(
    `INSERT INTO chunks (session_id, window_id, seq, first_ts, last_ts, event_count, received_at, clock_offset_ms, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const store = db.transaction((session: string, seq: number, body: Buffer, events: number) => {
    const now = Date.now();
    insert.run(session, 'window', seq, now, now, events, now, 0, body);
  });
  const latencies: number[] = [];
  let bytes = 0;
  const end = performance.now() + seconds * 1000;
  for (let seq = 0; performance.now() < end; seq++) {
    for (let client = 0; client < clients; client++) {
      const i = (seq + client) % bodies.length;
      const start = performance.now();
      store(`session-${client}`, seq, bodies[i], eventCounts[i]);
      latencies.push(performance.now() - start);
      bytes += bodies[i].length;
    }
  }
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: 0,
    bytes: bytes / latencies.length,
    slowestSecond: NaN,
    acked: new Map(),
  };
}
