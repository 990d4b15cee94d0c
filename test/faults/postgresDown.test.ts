/**
 * The shared PostgreSQL goes down and comes back: ingest answers 503 with Retry-After (the
 * recorder keeps the batch and retries), the node keeps serving, and once the database is back
 * the retried batch is stored next to everything accepted before.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionSummary } from '../../shared/api';
import { clickEvent, makeBatch, postIngest, T0 } from '../helpers/batches';
import { createDatabase, startPostgres, type PostgresServer } from '../helpers/postgres';
import { postgresBinDir } from '../helpers/postgresBin';
import { startServer, type TestServer } from '../helpers/server';

let database: PostgresServer;
let databaseUrl: string;
let node: TestServer;
/** The node's log, one JSON object per line (warnings and worse). */
const logLines: string[] = [];

beforeAll(async () => {
  // A server of its own: the run's shared one must stay up for the other test files.
  database = await startPostgres(postgresBinDir() as string);
  databaseUrl = await createDatabase(database.url);
  node = await startServer({ databaseUrl, logDestination: { write: (line: string) => void logLines.push(line) } });
});
afterAll(async () => {
  await node?.stop();
  await database?.stop();
});

describe('PostgreSQL unreachable', () => {
  it('answers 503 with Retry-After, keeps serving, and stores the retried batch once it is back', async () => {
    const first = makeBatch();
    expect((await postIngest(node.url, first)).status).toBe(200);

    await database.pause();
    const next = { ...first, seq: 1, events: [clickEvent(T0 + 60_000)] };
    const refused = await postIngest(node.url, next);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await refused.json()).error.code).toBe('storage_unavailable');
    expect((await node.api(`/api/sessions/${first.sessionId}`)).status).toBe(503);
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);

    await database.resume();
    expect((await postIngest(node.url, next)).status).toBe(200);
    const session = (await (await node.api(`/api/sessions/${first.sessionId}`)).json()) as SessionSummary;
    expect([session.eventCount, session.lengthMs]).toEqual([3, 60_000]);
  });

  it('logs an idle connection the database dropped, and goes on serving on a fresh one', async () => {
    const batch = makeBatch();
    expect((await postIngest(node.url, batch)).status).toBe(200);
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const lost = await vi.waitFor(() => {
      const line = logLines.map((l) => JSON.parse(l) as { msg: string; level: number; err?: { message: string } }).find((l) => l.msg === 'idle PostgreSQL connection lost');
      if (!line) throw new Error('not logged yet');
      return line;
    });
    expect(lost.err?.message).toMatch(/terminat/i);
    expect((await node.api(`/api/sessions/${batch.sessionId}`)).status).toBe(200);
  });
});
