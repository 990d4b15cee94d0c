/** The Storage interface on one SQLite file, every statement prepared once. */
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { SessionFilters } from '../../shared/api';
import { ACTIVE_IDLE_MS, IDLE_GAP_MS } from '../../shared/constants';
import { activeTime, idleGaps, mergeSpans, type RecordedSession, type Span } from '../../shared/session';
import { arraySource, type LengthSource } from '../stats/lengthSource';
import { Aggregates } from './aggregates';
import { encodeCursor } from './cursor';
import { openDatabase } from './db';
import { filterClause, pageSql, SESSION_COLUMNS, SORT_COLUMNS, toSummary, type SessionRow } from './sessionRows';
import type { BatchRecord, SessionQuery, Storage, StoredChunk } from './storage';

/**
 * From how many matching sessions a page walks the sort order's index. Walking reads about
 * limit × sessions / matches index entries (10 000 for 5 000 matches among a million); with
 * fewer matches, reading just those and sorting them is quicker.
 */
const WALK_SORT_INDEX_FROM = 5_000;

const NO_GAPS: readonly Span[] = Object.freeze([]);

/** A session as recordedSessions reads it: first and last activity, clock offset, idle gaps. */
type DeviceSession = [number, number, number, Span[] | null];

/** The filters the maintained aggregates cannot answer. */
const OTHER_FILTERS = [
  'minLengthMs',
  'maxLengthMs',
  'userId',
  'deviceId',
  'url',
  'event',
  'hasErrors',
  'status',
] as const satisfies readonly (keyof SessionFilters)[];

/** Name of the database file inside DATA_DIR. */
export const DATABASE_FILE = 'replay.sqlite';

const UPSERT_SESSION = `
INSERT INTO sessions (id, project, device_id, user_id, user_traits, user_agent, timeout_ms, clock_offset_ms,
  first_activity_at, last_activity_at, event_count, error_count, bytes, pages, dropped_batches,
  entry_at, entry_url, exit_at, exit_url, created_at)
VALUES (@id, @project, @deviceId, @userId, @userTraits, @userAgent, @timeoutMs, @clockOffsetMs,
  @firstActivityAt, @lastActivityAt, @eventCount, @errorCount, @bytes, @pages, @droppedBatches,
  @entryAt, @entryUrl, @exitAt, @exitUrl, @receivedAt)
ON CONFLICT (id) DO UPDATE SET
  user_traits = CASE WHEN excluded.user_id IS NOT NULL THEN excluded.user_traits ELSE user_traits END,
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
  dropped_batches = dropped_batches + excluded.dropped_batches,
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
  private readonly aggregates = new Aggregates((sql) => this.statement(sql));
  private readonly appendTransaction: (batch: BatchRecord) => boolean;
  private readonly deleteTransaction: (id: string) => boolean;

  constructor(private readonly db: Database.Database) {
    this.appendTransaction = db.transaction((batch: BatchRecord) => this.append(batch));
    this.deleteTransaction = db.transaction((id: string) => {
      for (const table of ['chunks', 'activity_spans', 'session_windows', 'session_pages', 'session_events']) {
        this.statement(`DELETE FROM ${table} WHERE session_id = ?`).run(id);
      }
      return this.statement('DELETE FROM sessions WHERE id = ?').run(id).changes > 0;
    });
  }

  appendBatch(batch: BatchRecord): { stored: boolean } {
    return { stored: this.appendTransaction(batch) };
  }

  listSessions(query: SessionQuery, now: number) {
    const total = this.count(query, now);
    return { ...this.page(query, now, total), total };
  }

  *scanSessions(query: SessionQuery, now: number) {
    // Page by page on the keyset cursor: an open iterator would hold the connection while the
    // export waits for a slow client.
    const total = this.count(query, now);
    let cursor = query.cursor;
    do {
      const page = this.page({ ...query, cursor }, now, total);
      if (page.sessions.length > 0) yield page.sessions;
      cursor = page.nextCursor === null ? null : page.lastKey;
    } while (cursor);
  }

  lengthSource(filters: SessionFilters, now: number): LengthSource {
    if (onlyLengthBounds(filters)) {
      const { project, from, to, minLengthMs, maxLengthMs } = filters;
      return this.aggregates.lengths(project, from, to, minLengthMs, maxLengthMs);
    }
    const { where, params } = filterClause(filters, now);
    const rows = this.statement(`SELECT started_at AS startedAt, length_ms AS lengthMs FROM sessions WHERE ${where}`).all(
      ...params,
    ) as { startedAt: number; lengthMs: number }[];
    return arraySource(rows);
  }

  *recordedSessions(filters: SessionFilters, now: number): Iterable<RecordedSession> {
    let { where, params } = filterClause(filters, now);
    if (activeFilters(filters).length === 0) {
      // started_at spelled out as its columns, so sessions_by_device_time alone answers.
      const started = 'first_activity_at + clock_offset_ms';
      where = `first_activity_at IS NOT NULL AND ${started} >= ? AND ${started} < ?`;
      params = [filters.from ?? -Number.MAX_SAFE_INTEGER, filters.to ?? Number.MAX_SAFE_INTEGER];
      if (filters.project !== undefined) {
        where += ' AND project = ?';
        params.push(filters.project);
      }
    }
    // One JSON array per device: a million sessions cross into JavaScript as a few thousand
    // strings, which is several times faster than a million rows.
    const devices = this.statement(
      `SELECT project || char(10) || device_id, json_group_array(
         json_array(first_activity_at, last_activity_at, clock_offset_ms, json(idle_gaps)) ORDER BY first_activity_at)
       FROM sessions WHERE ${where} GROUP BY project, device_id`,
    )
      .raw()
      .all(...params) as [string, string][];
    for (const [key, json] of devices) {
      for (const [firstActivityAt, lastActivityAt, clockOffsetMs, gaps] of JSON.parse(json) as DeviceSession[]) {
        yield { key, firstActivityAt, lastActivityAt, idleGaps: gaps ?? NO_GAPS, clockOffsetMs };
      }
    }
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

  /** How many sessions the filters match: from the slot totals when they only bound the start time. */
  private count(filters: SessionFilters, now: number): number {
    if (onlyLengthBounds(filters)) {
      const { project, from, to, minLengthMs, maxLengthMs } = filters;
      return this.aggregates.count(project, from, to, minLengthMs, maxLengthMs);
    }
    const only = activeFilters(filters);
    // A label filter alone is counted from its own table's index, not by visiting each session.
    if (only.length === 1 && only[0] === 'url') {
      return this.statement(
        'SELECT count(DISTINCT session_id) FROM session_pages WHERE url_id IN (SELECT id FROM urls WHERE instr(url, ?) > 0)',
      )
        .pluck()
        .get(filters.url) as number;
    }
    if (only.length === 1 && only[0] === 'event') {
      return this.statement('SELECT count(*) FROM session_events WHERE name = ?').pluck().get(filters.event) as number;
    }
    const { where, params } = filterClause(filters, now);
    // Without statistics SQLite scans another index for this one; the partial index holds only the 5 % with errors.
    const from = only.length === 1 && filters.hasErrors ? 'sessions INDEXED BY sessions_with_errors' : 'sessions';
    return this.statement(`SELECT count(*) FROM ${from} WHERE ${where}`).pluck().get(...params) as number;
  }

  /** One page of rows after `query.cursor`, `matching` being how many sessions the filters match. */
  private page(query: SessionQuery, now: number, matching: number) {
    const { sql, params } = pageSql(query, now, matching >= WALK_SORT_INDEX_FROM);
    const rows = this.statement(sql).all(...params) as SessionRow[];
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    const lastKey = last ? { value: last[SORT_COLUMNS[query.sort]] as number, id: last.id } : null;
    return {
      sessions: page.map((row) => toSummary(row, now)),
      nextCursor: more && lastKey ? encodeCursor(lastKey) : null,
      lastKey,
    };
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
      userTraits: summary.userTraits === null ? null : JSON.stringify(summary.userTraits),
      userAgent: batch.userAgent,
      timeoutMs: batch.sessionTimeoutMs,
      clockOffsetMs: batch.clockOffsetMs,
      firstActivityAt: summary.spans[0]?.[0] ?? null,
      lastActivityAt: summary.spans[summary.spans.length - 1]?.[1] ?? null,
      eventCount: summary.eventCount,
      errorCount: summary.errorCount,
      bytes: batch.gzip.length,
      pages: summary.pageViews.length,
      droppedBatches: batch.droppedBatches,
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
    this.addLabels(batch.sessionId, summary);
    return true;
  }

  /** Records the pages a batch visited and the events it tracked, for the url and event filters. */
  private addLabels(sessionId: string, summary: BatchRecord['summary']): void {
    const url = this.statement('INSERT INTO urls (url) VALUES (?) ON CONFLICT (url) DO UPDATE SET url = url RETURNING id');
    const page = this.statement('INSERT OR IGNORE INTO session_pages (url_id, session_id) VALUES (?, ?)');
    for (const href of new Set(summary.pageViews.map((view) => view.url))) {
      page.run((url.get(href) as { id: number }).id, sessionId);
    }
    const event = this.statement('INSERT OR IGNORE INTO session_events (name, session_id) VALUES (?, ?)');
    for (const name of summary.trackNames) event.run(name, sessionId);
  }

  /** Stores the batch's activity spans and recomputes active time over all of the session's. */
  private addSpans(sessionId: string, spans: Span[]): void {
    const insert = this.statement('INSERT INTO activity_spans (session_id, start_ts, end_ts) VALUES (?, ?, ?)');
    for (const [start, end] of spans) insert.run(sessionId, start, end);
    const all = this.statement('SELECT start_ts, end_ts FROM activity_spans WHERE session_id = ?')
      .raw()
      .all(sessionId) as Span[];
    const merged = mergeSpans(all, ACTIVE_IDLE_MS);
    const gaps = idleGaps(merged, IDLE_GAP_MS);
    this.statement('UPDATE sessions SET active_ms = ?, idle_gaps = ? WHERE id = ?').run(
      activeTime(merged),
      gaps.length > 0 ? JSON.stringify(gaps) : null,
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

  deleteSessionsEndedBefore(cutoffMs: number, limit: number): number {
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
}

/** Whether the filters only bound the project, start time and length: the aggregates answer those. */
function onlyLengthBounds(filters: SessionFilters): boolean {
  return activeFilters(filters).every((key) => key === 'minLengthMs' || key === 'maxLengthMs');
}

function activeFilters(filters: SessionFilters): (typeof OTHER_FILTERS)[number][] {
  return OTHER_FILTERS.filter((key) => filters[key] !== undefined);
}
