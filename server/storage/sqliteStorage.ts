/** The Storage interface on one SQLite file, every statement prepared once. */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ACTIVE_IDLE_MS } from '../../shared/constants';
import { activeTime, mergeSpans, type Span } from '../../shared/session';
import { encodeCursor } from './cursor';
import { openDatabase } from './db';
import { filterClause, pageSql, SESSION_COLUMNS, SORT_COLUMNS, toSummary, type SessionRow } from './sessionRows';
import type { BatchRecord, SessionQuery, Storage, StoredChunk } from './storage';

/** Name of the database file inside DATA_DIR. */
export const DATABASE_FILE = 'replay.sqlite';

const UPSERT_SESSION = `
INSERT INTO sessions (id, project, device_id, user_id, user_agent, timeout_ms, clock_offset_ms,
  first_activity_at, last_activity_at, event_count, error_count, bytes, pages,
  entry_at, entry_url, exit_at, exit_url, created_at)
VALUES (@id, @project, @deviceId, @userId, @userAgent, @timeoutMs, @clockOffsetMs,
  @firstActivityAt, @lastActivityAt, @eventCount, @errorCount, @bytes, @pages,
  @entryAt, @entryUrl, @exitAt, @exitUrl, @receivedAt)
ON CONFLICT (id) DO UPDATE SET
  user_id = COALESCE(excluded.user_id, user_id),
  user_agent = COALESCE(user_agent, excluded.user_agent),
  first_activity_at = CASE WHEN first_activity_at IS NULL OR excluded.first_activity_at < first_activity_at
    THEN excluded.first_activity_at ELSE first_activity_at END,
  last_activity_at = CASE WHEN last_activity_at IS NULL OR excluded.last_activity_at > last_activity_at
    THEN excluded.last_activity_at ELSE last_activity_at END,
  event_count = event_count + excluded.event_count,
  error_count = error_count + excluded.error_count,
  bytes = bytes + excluded.bytes,
  pages = pages + excluded.pages,
  entry_url = CASE WHEN entry_at IS NULL OR excluded.entry_at < entry_at THEN excluded.entry_url ELSE entry_url END,
  entry_at = CASE WHEN entry_at IS NULL OR excluded.entry_at < entry_at THEN excluded.entry_at ELSE entry_at END,
  exit_url = CASE WHEN exit_at IS NULL OR excluded.exit_at >= exit_at THEN excluded.exit_url ELSE exit_url END,
  exit_at = CASE WHEN exit_at IS NULL OR excluded.exit_at >= exit_at THEN excluded.exit_at ELSE exit_at END`;

/** Opens `DATA_DIR/replay.sqlite` and returns the storage over it. */
export function openSqliteStorage(dataDir: string): Storage {
  return new SqliteStorage(openDatabase(path.join(dataDir, DATABASE_FILE)));
}

class SqliteStorage implements Storage {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly appendTransaction: (batch: BatchRecord) => boolean;
  private readonly deleteTransaction: (id: string) => boolean;

  constructor(private readonly db: Database.Database) {
    this.appendTransaction = db.transaction((batch: BatchRecord) => this.append(batch));
    this.deleteTransaction = db.transaction((id: string) => {
      for (const table of ['chunks', 'activity_spans', 'session_windows']) {
        this.statement(`DELETE FROM ${table} WHERE session_id = ?`).run(id);
      }
      return this.statement('DELETE FROM sessions WHERE id = ?').run(id).changes > 0;
    });
  }

  appendBatch(batch: BatchRecord): { stored: boolean } {
    return { stored: this.appendTransaction(batch) };
  }

  listSessions(query: SessionQuery, now: number) {
    const { sql, params } = pageSql(query);
    const rows = this.statement(sql).all(...params) as SessionRow[];
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    const { where, params: countParams } = filterClause(query);
    const { total } = this.statement(`SELECT count(*) AS total FROM sessions WHERE ${where}`).get(...countParams) as {
      total: number;
    };
    return {
      sessions: page.map((row) => toSummary(row, now)),
      total,
      nextCursor: more && last ? encodeCursor({ value: last[SORT_COLUMNS[query.sort]] as number, id: last.id }) : null,
    };
  }

  getSession(id: string, now: number) {
    const row = this.statement(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ? AND first_activity_at IS NOT NULL`,
    ).get(id) as SessionRow | undefined;
    return row ? toSummary(row, now) : null;
  }

  *readChunks(id: string): Iterable<StoredChunk> {
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

  deleteSession(id: string): boolean {
    return this.deleteTransaction(id);
  }

  close(): void {
    this.db.close();
  }

  private append(batch: BatchRecord): boolean {
    const { summary } = batch;
    const inserted = this.statement(
      `INSERT INTO chunks (session_id, window_id, seq, first_ts, last_ts, event_count, received_at, clock_offset_ms, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(
      batch.sessionId,
      batch.windowId,
      batch.seq,
      summary.firstTs,
      summary.lastTs,
      summary.eventCount,
      batch.receivedAt,
      batch.clockOffsetMs,
      batch.gzip,
    );
    if (inserted.changes === 0) return false;

    const firstPage = summary.pageViews[0];
    const lastPage = summary.pageViews[summary.pageViews.length - 1];
    this.statement(UPSERT_SESSION).run({
      id: batch.sessionId,
      project: batch.project,
      deviceId: batch.deviceId,
      userId: summary.userId,
      userAgent: batch.userAgent,
      timeoutMs: batch.sessionTimeoutMs,
      clockOffsetMs: batch.clockOffsetMs,
      firstActivityAt: summary.spans[0]?.[0] ?? null,
      lastActivityAt: summary.spans[summary.spans.length - 1]?.[1] ?? null,
      eventCount: summary.eventCount,
      errorCount: summary.errorCount,
      bytes: batch.gzip.length,
      pages: summary.pageViews.length,
      entryAt: firstPage?.at ?? null,
      entryUrl: firstPage?.url ?? null,
      exitAt: lastPage?.at ?? null,
      exitUrl: lastPage?.url ?? null,
      receivedAt: batch.receivedAt,
    });

    // Batches may arrive out of order: a window's place is its earliest event.
    this.statement(
      `INSERT INTO session_windows (session_id, window_id, first_ts) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET first_ts = min(first_ts, excluded.first_ts)`,
    ).run(batch.sessionId, batch.windowId, summary.firstTs);
    this.statement(
      'UPDATE sessions SET windows = (SELECT count(*) FROM session_windows WHERE session_id = ?) WHERE id = ?',
    ).run(batch.sessionId, batch.sessionId);
    if (summary.spans.length > 0) this.addSpans(batch.sessionId, summary.spans);
    return true;
  }

  /** Stores the batch's activity spans and recomputes active time over all of the session's. */
  private addSpans(sessionId: string, spans: Span[]): void {
    const insert = this.statement('INSERT INTO activity_spans (session_id, start_ts, end_ts) VALUES (?, ?, ?)');
    for (const [start, end] of spans) insert.run(sessionId, start, end);
    const all = this.statement('SELECT start_ts, end_ts FROM activity_spans WHERE session_id = ?')
      .raw()
      .all(sessionId) as Span[];
    this.statement('UPDATE sessions SET active_ms = ? WHERE id = ?').run(
      activeTime(mergeSpans(all, ACTIVE_IDLE_MS)),
      sessionId,
    );
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
