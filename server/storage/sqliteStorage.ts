/**
 * The Storage interface on one SQLite file, every statement prepared once. better-sqlite3 answers
 * synchronously: the methods are async only to fit the interface, and transactions stay
 * synchronous inside them, so no other request's statements can interleave with one.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Span } from '../../shared/session';
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
} from './appendStatements';
import { openDatabase } from './db';
import { SessionReads } from './sessionReads';
import { sqlShareStore, type ShareStore } from './shareStore';
import type { BatchRecord, Storage, StoredChunk } from './storage';

/** Name of the database file inside DATA_DIR. */
export const DATABASE_FILE = 'replay.sqlite';

/** Opens `DATA_DIR/replay.sqlite` and returns the storage over it. */
export function openSqliteStorage(dataDir: string): Storage {
  return new SqliteStorage(openDatabase(path.join(dataDir, DATABASE_FILE)));
}

/** Prepares each distinct statement once, on first use. */
function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

class SqliteStorage extends SessionReads implements Storage {
  private readonly statement: (sql: string) => Database.Statement;
  private readonly appendTransaction: (batch: BatchRecord) => boolean;
  private readonly deleteTransaction: (id: string) => boolean;
  readonly shares: ShareStore;

  constructor(private readonly db: Database.Database) {
    const statement = statementCache(db);
    super({ dialect: 'sqlite', all: async <T>(sql: string, params: unknown[]) => statement(sql).all(...params) as T[] });
    this.statement = statement;
    this.shares = sqlShareStore({
      all: async <T>(sql: string, params: unknown[]) => statement(sql).all(...params) as T[],
      run: async (sql, params) => statement(sql).run(...params).changes,
    });
    this.appendTransaction = db.transaction((batch: BatchRecord) => this.append(batch));
    this.deleteTransaction = db.transaction((id: string) => {
      for (const table of SESSION_TABLES) this.statement(`DELETE FROM ${table} WHERE session_id = ?`).run(id);
      return this.statement('DELETE FROM sessions WHERE id = ?').run(id).changes > 0;
    });
  }

  async appendBatch(batch: BatchRecord): Promise<{ stored: boolean }> {
    return { stored: this.appendTransaction(batch) };
  }

  async *readChunks(id: string): AsyncIterable<StoredChunk> {
    // Keys first, then one point read per chunk: an open iterator would keep the connection
    // busy while the response waits for the client, blocking every other request.
    const keys = this.statement(
      `SELECT c.window_id AS windowId, c.seq AS seq FROM chunks c
       JOIN session_windows w ON w.session_id = c.session_id AND w.window_id = c.window_id
       WHERE c.session_id = ? ORDER BY w.first_ts, c.window_id, c.seq`,
    ).all(id) as { windowId: string; seq: number }[];
    const read = this.statement('SELECT data FROM chunks WHERE session_id = ? AND window_id = ? AND seq = ?');
    for (const key of keys) {
      const row = read.get(id, key.windowId, key.seq) as { data: Buffer } | undefined;
      if (row) yield { ...key, gzip: row.data };
    }
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.deleteTransaction(id);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async deleteSessionsEndedBefore(cutoffMs: number, limit: number): Promise<number> {
    const ended = this.statement(
      'SELECT id FROM sessions WHERE first_activity_at IS NOT NULL AND ended_at < ? LIMIT ?',
    ).pluck().all(cutoffMs, limit) as string[];
    // Sessions without activity have no end and no index: scanned for only once the ended ones are gone.
    const ids = ended.length < limit
      ? [...ended, ...(this.statement('SELECT id FROM sessions WHERE first_activity_at IS NULL AND created_at < ? LIMIT ?')
          .pluck().all(cutoffMs, limit - ended.length) as string[])]
      : ended;
    this.db.transaction(() => ids.forEach((id) => this.deleteTransaction(id)))();
    return ids.length;
  }

  private append(batch: BatchRecord): boolean {
    const { sessionId, summary } = batch;
    if (this.statement(INSERT_CHUNK).run(...chunkValues(batch)).changes === 0) return false;
    this.statement(UPSERT_SESSION).run(...sessionValues(batch));
    this.statement(UPSERT_WINDOW).run(sessionId, batch.windowId, summary.firstTs);
    if (summary.spans.length > 0) {
      for (const { sql, values } of spanInserts(sessionId, summary.spans)) this.statement(sql).run(...values);
      const spans = this.statement(SELECT_SPANS).raw().all(sessionId) as Span[];
      this.statement(UPDATE_ACTIVITY).run(...activityValues(sessionId, spans));
    } else {
      this.statement(UPDATE_WINDOWS).run(sessionId, sessionId);
    }
    // The pages a batch visited and the events it tracked, for the url and event filters.
    const { urls, names } = batchLabels(summary);
    for (const url of urls) this.statement(INSERT_PAGE).run(this.urlId(url), sessionId);
    for (const name of names) this.statement(INSERT_EVENT).run(name, sessionId);
    return true;
  }

  /** The id of `url`, adding it when new. */
  private urlId(url: string): number {
    const found = this.statement(SELECT_URL).get(url) as { id: number } | undefined;
    return (found ?? (this.statement(INSERT_URL).get(url) as { id: number })).id;
  }
}
