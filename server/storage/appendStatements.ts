/**
 * The statements that fold an accepted batch into its session, in the SQL SQLite and
 * PostgreSQL share (`?` placeholders; target columns qualified, as PostgreSQL requires in an
 * upsert), and the values they take.
 */
import { ACTIVE_IDLE_MS, IDLE_GAP_MS } from '../../shared/constants';
import { activeTime, idleGaps, mergeSpans, type Span } from '../../shared/session';
import type { BatchRecord } from './storage';

export const INSERT_CHUNK = `
INSERT INTO chunks (session_id, window_id, seq, first_ts, last_ts, event_count, received_at, clock_offset_ms, data)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;

/** Batches may arrive out of order: a window's place is its earliest event. */
export const UPSERT_WINDOW = `
INSERT INTO session_windows (session_id, window_id, first_ts) VALUES (?, ?, ?)
ON CONFLICT (session_id, window_id) DO UPDATE SET first_ts = CASE
  WHEN excluded.first_ts < session_windows.first_ts THEN excluded.first_ts ELSE session_windows.first_ts END`;

/**
 * Spans per insert statement: one round trip for a usual batch, few distinct statements to
 * prepare, and far below SQLite's 32 766 parameters however many spans a batch holds.
 */
const SPANS_PER_INSERT = 100;

/** The statements inserting the batch's activity spans, SPANS_PER_INSERT at a time. */
export function spanInserts(sessionId: string, spans: Span[]): { sql: string; values: unknown[] }[] {
  const inserts = [];
  for (let i = 0; i < spans.length; i += SPANS_PER_INSERT) {
    const group = spans.slice(i, i + SPANS_PER_INSERT);
    inserts.push({
      sql: `INSERT INTO activity_spans (session_id, start_ts, end_ts) VALUES ${group.map(() => '(?, ?, ?)').join(', ')}`,
      values: group.flatMap(([start, end]) => [sessionId, start, end]),
    });
  }
  return inserts;
}

/**
 * Creates the session or folds the batch into it. Every new value is computed from the row as
 * stored, under its row lock, so batches of one session stored at once by several server
 * nodes all count.
 */
export const UPSERT_SESSION = `
INSERT INTO sessions (id, project, device_id, user_id, user_traits, user_agent, timeout_ms, clock_offset_ms,
  first_activity_at, last_activity_at, event_count, error_count, bytes, pages, dropped_batches,
  entry_at, entry_url, exit_at, exit_url, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
  user_traits = CASE WHEN excluded.user_id IS NOT NULL THEN excluded.user_traits ELSE sessions.user_traits END,
  user_id = COALESCE(excluded.user_id, sessions.user_id),
  user_agent = COALESCE(sessions.user_agent, excluded.user_agent),
  first_activity_at = CASE WHEN sessions.first_activity_at IS NULL OR excluded.first_activity_at < sessions.first_activity_at
    THEN excluded.first_activity_at ELSE sessions.first_activity_at END,
  last_activity_at = CASE WHEN sessions.last_activity_at IS NULL OR excluded.last_activity_at > sessions.last_activity_at
    THEN excluded.last_activity_at ELSE sessions.last_activity_at END,
  event_count = sessions.event_count + excluded.event_count,
  error_count = sessions.error_count + excluded.error_count,
  bytes = sessions.bytes + excluded.bytes,
  pages = sessions.pages + excluded.pages,
  dropped_batches = sessions.dropped_batches + excluded.dropped_batches,
  entry_url = CASE WHEN sessions.entry_at IS NULL OR excluded.entry_at < sessions.entry_at
    THEN excluded.entry_url ELSE sessions.entry_url END,
  entry_at = CASE WHEN sessions.entry_at IS NULL OR excluded.entry_at < sessions.entry_at
    THEN excluded.entry_at ELSE sessions.entry_at END,
  exit_url = CASE WHEN sessions.exit_at IS NULL OR excluded.exit_at >= sessions.exit_at
    THEN excluded.exit_url ELSE sessions.exit_url END,
  exit_at = CASE WHEN sessions.exit_at IS NULL OR excluded.exit_at >= sessions.exit_at
    THEN excluded.exit_at ELSE sessions.exit_at END`;

const COUNT_WINDOWS = '(SELECT count(*) FROM session_windows WHERE session_id = ?)';

/** Recounts the session's windows; runs after UPSERT_SESSION, so under the session's row lock. */
export const UPDATE_WINDOWS = `UPDATE sessions SET windows = ${COUNT_WINDOWS} WHERE id = ?`;

/** Every activity span of a session, read under its row lock to recompute active time. */
export const SELECT_SPANS = 'SELECT start_ts, end_ts FROM activity_spans WHERE session_id = ?';

/** UPDATE_WINDOWS and active time and idle gaps in one write of the row, from `activityValues`. */
export const UPDATE_ACTIVITY = `UPDATE sessions SET windows = ${COUNT_WINDOWS}, active_ms = ?, idle_gaps = ? WHERE id = ?`;

export const SELECT_URL = 'SELECT id FROM urls WHERE url = ?';
export const INSERT_URL = 'INSERT INTO urls (url) VALUES (?) ON CONFLICT DO NOTHING RETURNING id';
export const INSERT_PAGE = 'INSERT INTO session_pages (url_id, session_id) VALUES (?, ?) ON CONFLICT DO NOTHING';
export const INSERT_EVENT = 'INSERT INTO session_events (name, session_id) VALUES (?, ?) ON CONFLICT DO NOTHING';

/** The values of INSERT_CHUNK for `batch`. */
export function chunkValues(batch: BatchRecord): unknown[] {
  const { summary } = batch;
  return [
    batch.sessionId,
    batch.windowId,
    batch.seq,
    summary.firstTs,
    summary.lastTs,
    summary.eventCount,
    batch.receivedAt,
    batch.clockOffsetMs,
    batch.gzip,
  ];
}

/** The values of UPSERT_SESSION for `batch`. */
export function sessionValues(batch: BatchRecord): unknown[] {
  const { summary } = batch;
  const firstPage = summary.pageViews[0];
  const lastPage = summary.pageViews[summary.pageViews.length - 1];
  return [
    batch.sessionId,
    batch.project,
    batch.deviceId,
    summary.userId,
    summary.userTraits === null ? null : JSON.stringify(summary.userTraits),
    batch.userAgent,
    batch.sessionTimeoutMs,
    batch.clockOffsetMs,
    summary.spans[0]?.[0] ?? null,
    summary.spans[summary.spans.length - 1]?.[1] ?? null,
    summary.eventCount,
    summary.errorCount,
    batch.gzip.length,
    summary.pageViews.length,
    batch.droppedBatches,
    firstPage?.at ?? null,
    firstPage?.url ?? null,
    lastPage?.at ?? null,
    lastPage?.url ?? null,
    batch.receivedAt,
  ];
}

/** The values of UPDATE_ACTIVITY, from every activity span the session has stored. */
export function activityValues(sessionId: string, spans: Span[]): unknown[] {
  const merged = mergeSpans(spans, ACTIVE_IDLE_MS);
  const gaps = idleGaps(merged, IDLE_GAP_MS);
  return [sessionId, activeTime(merged), gaps.length > 0 ? JSON.stringify(gaps) : null, sessionId];
}

/** The batch's distinct page URLs and track() names, sorted so concurrent writers lock them in one order. */
export function batchLabels(summary: BatchRecord['summary']): { urls: string[]; names: string[] } {
  return {
    urls: [...new Set(summary.pageViews.map((view) => view.url))].sort(),
    names: [...new Set(summary.trackNames)].sort(),
  };
}

/** The tables holding a session's rows besides `sessions`, cleared when it is deleted. */
export const SESSION_TABLES = ['chunks', 'activity_spans', 'session_windows', 'session_pages', 'session_events', 'shares'] as const;
