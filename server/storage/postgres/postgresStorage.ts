/**
 * The Storage interface on a PostgreSQL database that several server nodes share. A node keeps
 * nothing of its own: every batch is folded into its session inside one transaction, under the
 * session's row lock, so any node can take any batch of any session, in any order.
 */
import type pg from 'pg';
import type { Span } from '../../../shared/session';
import {
  activityValues,
  batchLabels,
  chunkValues,
  INSERT_CHUNK,
  INSERT_EVENT,
  INSERT_PAGE,
  INSERT_URL,
  SELECT_SPANS,
  SELECT_URL,
  SESSION_TABLES,
  sessionValues,
  spanInserts,
  UPDATE_ACTIVITY,
  UPDATE_WINDOWS,
  UPSERT_SESSION,
  UPSERT_WINDOW,
} from '../appendStatements';
import { SessionReads } from '../sessionReads';
import { sqlShareStore, type ShareStore } from '../shareStore';
import type { BatchRecord, Storage, StoredChunk } from '../storage';
import { connectPostgres, inTransaction, numbered, unavailableOr } from './database';

/** Chunks read per query while replaying: a few MB at most in memory at once. */
const CHUNKS_PER_READ = 16;

/** Connects to `url`, migrates, and returns the storage over it. */
export async function openPostgresStorage(url: string): Promise<Storage> {
  return new PostgresStorage(await connectPostgres(url));
}

/** Runs `sql` (`?` placeholders) on a pool or a transaction's client. */
async function query<T extends pg.QueryResultRow>(db: pg.Pool | pg.PoolClient, sql: string, params: unknown[] = []) {
  return db.query<T>(numbered(sql), params).catch((error: unknown) => {
    throw unavailableOr(error);
  });
}

class PostgresStorage extends SessionReads implements Storage {
  readonly shares: ShareStore;

  constructor(private readonly pool: pg.Pool) {
    const all = async <T>(sql: string, params: unknown[]) => (await query(pool, sql, params)).rows as T[];
    super({ dialect: 'postgres', all });
    this.shares = sqlShareStore({ all, run: async (sql, params) => (await query(pool, sql, params)).rowCount ?? 0 });
  }

  async appendBatch(batch: BatchRecord): Promise<{ stored: boolean }> {
    return { stored: await inTransaction(this.pool, (client) => this.append(client, batch)) };
  }

  async *readChunks(id: string): AsyncIterable<StoredChunk> {
    const windows = await query<{ window_id: string }>(
      this.pool,
      'SELECT window_id FROM session_windows WHERE session_id = ? ORDER BY first_ts, window_id',
      [id],
    );
    for (const { window_id: windowId } of windows.rows) {
      let after = -1;
      for (;;) {
        const { rows } = await query<{ seq: number; data: Buffer }>(
          this.pool,
          'SELECT seq, data FROM chunks WHERE session_id = ? AND window_id = ? AND seq > ? ORDER BY seq LIMIT ?',
          [id, windowId, after, CHUNKS_PER_READ],
        );
        for (const row of rows) yield { windowId, seq: row.seq, gzip: row.data };
        if (rows.length < CHUNKS_PER_READ) break;
        after = rows[rows.length - 1].seq;
      }
    }
  }

  async deleteSession(id: string): Promise<boolean> {
    return (await this.deleteSessions([id])) > 0;
  }

  async deleteSessionsEndedBefore(cutoffMs: number, limit: number): Promise<number> {
    const ended = await query<{ id: string }>(
      this.pool,
      'SELECT id FROM sessions WHERE first_activity_at IS NOT NULL AND ended_at < ? ORDER BY ended_at LIMIT ?',
      [cutoffMs, limit],
    );
    const ids = ended.rows.map((row) => row.id);
    if (ids.length < limit) {
      const unlisted = await query<{ id: string }>(
        this.pool,
        'SELECT id FROM sessions WHERE first_activity_at IS NULL AND created_at < ? LIMIT ?',
        [cutoffMs, limit - ids.length],
      );
      ids.push(...unlisted.rows.map((row) => row.id));
    }
    // Counted as gone even when another node's retention deleted some of them first: the pass
    // goes on while full batches of old sessions are found.
    await this.deleteSessions(ids);
    return ids.length;
  }

  async sharedAdminToken(generated: string): Promise<string> {
    await query(this.pool, "INSERT INTO settings (name, value) VALUES ('admin_token', ?) ON CONFLICT DO NOTHING", [generated]);
    const { rows } = await query<{ value: string }>(this.pool, "SELECT value FROM settings WHERE name = 'admin_token'");
    return rows[0].value;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Deletes the sessions and their rows in one transaction; resolves to how many sessions there were. */
  private deleteSessions(ids: string[]): Promise<number> {
    if (ids.length === 0) return Promise.resolve(0);
    return inTransaction(this.pool, async (client) => {
      for (const table of SESSION_TABLES) await client.query(`DELETE FROM ${table} WHERE session_id = ANY($1)`, [ids]);
      return (await client.query('DELETE FROM sessions WHERE id = ANY($1)', [ids])).rowCount ?? 0;
    });
  }

  /**
   * The rows keyed by the batch's window, pages and events first, the session's row last: its
   * row lock (and the aggregate rows its trigger updates) are then held only for the last few
   * statements and the commit, which is what serialises concurrent batches of one session.
   */
  private async append(client: pg.PoolClient, batch: BatchRecord): Promise<boolean> {
    const { sessionId, summary } = batch;
    const inserted = await query(client, INSERT_CHUNK, chunkValues(batch));
    if (inserted.rowCount === 0) return false;
    await query(client, UPSERT_WINDOW, [sessionId, batch.windowId, summary.firstTs]);
    for (const { sql, values } of spanInserts(sessionId, summary.spans)) await query(client, sql, values);
    const { urls, names } = batchLabels(summary);
    for (const url of urls) await query(client, INSERT_PAGE, [await this.urlId(client, url), sessionId]);
    for (const name of names) await query(client, INSERT_EVENT, [name, sessionId]);
    await query(client, UPSERT_SESSION, sessionValues(batch));
    if (summary.spans.length > 0) {
      // Read under the row lock: every span a concurrent batch of this session committed is here.
      const spans = await client.query<Span>({ text: numbered(SELECT_SPANS), values: [sessionId], rowMode: 'array' });
      await query(client, UPDATE_ACTIVITY, activityValues(sessionId, spans.rows));
    } else {
      await query(client, UPDATE_WINDOWS, [sessionId, sessionId]);
    }
    return true;
  }

  /**
   * The id of `url`, adding it when new. Read first: nearly every batch visits a known page,
   * and an upsert would lock that URL's row, making every node's batches wait for each other.
   */
  private async urlId(client: pg.PoolClient, url: string): Promise<number> {
    for (const sql of [SELECT_URL, INSERT_URL, SELECT_URL]) {
      const { rows } = await query<{ id: number }>(client, sql, [url]);
      if (rows.length > 0) return rows[0].id;
    }
    throw new Error(`url ${url} neither found nor added`);
  }
}
