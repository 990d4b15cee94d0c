/**
 * Folding an accepted batch into its session, and deleting sessions: the SQL both databases
 * run (target columns qualified, as PostgreSQL requires in an upsert), written once.
 */
import { IDLE_GAP_MS } from '../../../shared/constants';
import { keptSignalTimes } from '../../../shared/signals';
import { changes, rows, type Work } from '../sql';
import type { BatchRecord } from '../storage';
import { storeSpans, type StoredFold } from './foldSpans';

const INSERT_CHUNK = `
INSERT INTO chunks (session_id, window_id, seq, first_ts, last_ts, event_count, received_at, clock_offset_ms, data, verdict)
VALUES (:sessionId, :windowId, :seq, :firstTs, :lastTs, :eventCount, :receivedAt, :clockOffsetMs, :data, :verdict)
ON CONFLICT DO NOTHING`;

/** A new window of the session: 1 row changed, 0 for one already seen. */
const INSERT_WINDOW = 'INSERT INTO session_windows (session_id, window_id, first_ts) VALUES (:sessionId, :windowId, :firstTs) ON CONFLICT DO NOTHING';

/** Batches may arrive out of order: a window's place is its earliest event. */
const EARLIER_WINDOW = `UPDATE session_windows SET first_ts = :firstTs
WHERE session_id = :sessionId AND window_id = :windowId AND first_ts > :firstTs`;

/** What the session's row holds that a batch's fold starts from, read under the session's lock. */
const SELECT_FOLDED = `SELECT idle_gaps AS "idleGaps", longest_idle_ms AS "longestIdleMs", signal_times AS "signalTimes"
FROM sessions WHERE id = :sessionId`;

/**
 * Creates the session or folds the batch into it, in the one write of its row per batch (each
 * write maintains every index of sessions and fires its triggers). Counts and first/last values
 * are computed from the row as stored, under its row lock; the spans' and signals' fold was
 * computed beforehand under the session's lock, so it replaces what it was computed from.
 */
const UPSERT_SESSION = `
INSERT INTO sessions (id, project, device_id, user_id, user_traits, user_agent, timeout_ms, clock_offset_ms,
  first_activity_at, last_activity_at, event_count, error_count, bytes, pages, windows, active_ms, idle_gaps, longest_idle_ms,
  dropped_batches, entry_at, entry_url, exit_at, exit_url, rage_clicks, dead_clicks, error_clicks, signal_times, created_at)
VALUES (:sessionId, :project, :deviceId, :userId, :userTraits, :userAgent, :timeoutMs, :clockOffsetMs,
  :firstActivityAt, :lastActivityAt, :eventCount, :errorCount, :bytes, :pages, :addedWindows, :addedActiveMs, :idleGaps, :longestIdleMs,
  :droppedBatches, :entryAt, :entryUrl, :exitAt, :exitUrl, :rageClicks, :deadClicks, :errorClicks, :keptSignalTimes, :receivedAt)
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
  windows = sessions.windows + excluded.windows,
  active_ms = sessions.active_ms + excluded.active_ms,
  idle_gaps = excluded.idle_gaps,
  longest_idle_ms = excluded.longest_idle_ms,
  dropped_batches = sessions.dropped_batches + excluded.dropped_batches,
  rage_clicks = sessions.rage_clicks + excluded.rage_clicks,
  dead_clicks = sessions.dead_clicks + excluded.dead_clicks,
  error_clicks = sessions.error_clicks + excluded.error_clicks,
  signal_times = excluded.signal_times,
  entry_url = CASE WHEN sessions.entry_at IS NULL OR excluded.entry_at < sessions.entry_at
    THEN excluded.entry_url ELSE sessions.entry_url END,
  entry_at = CASE WHEN sessions.entry_at IS NULL OR excluded.entry_at < sessions.entry_at
    THEN excluded.entry_at ELSE sessions.entry_at END,
  exit_url = CASE WHEN sessions.exit_at IS NULL OR excluded.exit_at >= sessions.exit_at
    THEN excluded.exit_url ELSE sessions.exit_url END,
  exit_at = CASE WHEN sessions.exit_at IS NULL OR excluded.exit_at >= sessions.exit_at
    THEN excluded.exit_at ELSE sessions.exit_at END`;

const SELECT_URL = 'SELECT id FROM urls WHERE url = :url';
const INSERT_URL = 'INSERT INTO urls (url) VALUES (:url) ON CONFLICT DO NOTHING RETURNING id';

/** The tables holding a session's rows besides `sessions`, cleared when it is deleted. */
const SESSION_TABLES = ['chunks', 'activity_spans', 'session_windows', 'session_pages', 'session_events', 'shares'] as const;

/** Everything appendBatch writes of a batch: its statements' parameters, its distinct urls and track names sorted. */
export type BatchParams = ReturnType<typeof batchParams>;

/**
 * Stores a batch (`params`, see batchParams; its recording `data`, gzipped) and folds it into its
 * session; false for a repeat. The rows keyed by the batch's window, pages and events come first,
 * the session's last: its lock (and the aggregate rows its trigger updates) are then held only for
 * the last few statements and the commit, which is what serialises concurrent batches of one
 * session. The session's lock comes before its row is read: on PostgreSQL an advisory lock, which
 * serialises the batches of a session not yet inserted too (SqlDialect.lockSession); on SQLite the
 * transaction's own (BEGIN IMMEDIATE). PostgreSQL's append_batches (its migration 011) does the same.
 */
export function* appendBatch(params: BatchParams, data: Buffer, lockSession: string | null): Work<boolean> {
  const { sessionId } = params;
  if ((yield* changes(INSERT_CHUNK, { ...params, data })) === 0) return false;
  const addedWindows = yield* changes(INSERT_WINDOW, params);
  if (addedWindows === 0) yield* changes(EARLIER_WINDOW, params);
  // Sorted so that concurrent writers lock them in one order.
  for (const url of params.urls) {
    const urlId = yield* urlIdOf(url);
    yield* changes('INSERT INTO session_pages (url_id, session_id) VALUES (:urlId, :sessionId) ON CONFLICT DO NOTHING', {
      urlId,
      sessionId,
    });
  }
  for (const name of params.trackNames) {
    yield* changes('INSERT INTO session_events (name, session_id) VALUES (:name, :sessionId) ON CONFLICT DO NOTHING', {
      name,
      sessionId,
    });
  }
  if (lockSession !== null) yield* rows(lockSession, { sessionId });
  const [stored] = yield* rows<Omit<StoredFold, 'addedActiveMs'> & { signalTimes: string | null }>(SELECT_FOLDED, { sessionId });
  const fold: StoredFold =
    params.spans.length > 0
      ? yield* storeSpans(sessionId, params.spans, stored?.idleGaps ?? null)
      : { addedActiveMs: 0, idleGaps: stored?.idleGaps ?? null, longestIdleMs: stored?.longestIdleMs ?? 0 };
  const storedTimes = stored?.signalTimes ?? null;
  const keptTimes = params.signalTimes.length > 0 ? withSignalTimes(storedTimes, params.signalTimes) : storedTimes;
  yield* changes(UPSERT_SESSION, { ...params, ...fold, addedWindows, keptSignalTimes: keptTimes });
  return true;
}

/** A batch's signal times merged into its session's (`storedJson`), as JSON. */
function withSignalTimes(storedJson: string | null, times: readonly number[]): string {
  const stored = storedJson ? (JSON.parse(storedJson) as number[]) : [];
  return JSON.stringify(keptSignalTimes([...stored, ...times].sort((a, b) => a - b), IDLE_GAP_MS));
}

/**
 * The id of `url`, adding it when new. Read first: nearly every batch visits a known page, and
 * an upsert would lock that URL's row, making every node's batches wait for each other.
 */
function* urlIdOf(url: string): Work<number> {
  for (const sql of [SELECT_URL, INSERT_URL, SELECT_URL]) {
    const [found] = yield* rows<{ id: number }>(sql, { url });
    if (found) return found.id;
  }
  throw new Error(`url ${url} neither found nor added`);
}

/** The parameters of `batch`'s statements (see BatchParams), its recording taking `bytes` gzipped. */
export function batchParams(batch: BatchRecord, bytes: number) {
  const { summary } = batch;
  const firstPage = summary.pageViews[0];
  const lastPage = summary.pageViews[summary.pageViews.length - 1];
  return {
    sessionId: batch.sessionId,
    windowId: batch.windowId,
    seq: batch.seq,
    firstTs: summary.firstTs,
    lastTs: summary.lastTs,
    receivedAt: batch.receivedAt,
    // Events the server read itself need no later check; a client's summary does.
    verdict: batch.eventsRead ? 'ok' : null,
    project: batch.project,
    deviceId: batch.deviceId,
    userId: summary.userId,
    userTraits: summary.userTraits === null ? null : JSON.stringify(summary.userTraits),
    userAgent: batch.userAgent,
    timeoutMs: batch.sessionTimeoutMs,
    clockOffsetMs: batch.clockOffsetMs,
    // A client's summary may list its spans in any order.
    firstActivityAt: summary.spans.length > 0 ? Math.min(...summary.spans.map(([start]) => start)) : null,
    lastActivityAt: summary.spans.length > 0 ? Math.max(...summary.spans.map(([, end]) => end)) : null,
    eventCount: summary.eventCount,
    errorCount: summary.errorCount,
    bytes,
    pages: summary.pageViews.length,
    droppedBatches: batch.droppedBatches,
    entryAt: firstPage?.at ?? null,
    entryUrl: firstPage?.url ?? null,
    exitAt: lastPage?.at ?? null,
    exitUrl: lastPage?.url ?? null,
    rageClicks: summary.signals.rage,
    deadClicks: summary.signals.dead,
    errorClicks: summary.signals.error,
    // The pages a batch visited and the events it tracked, for the url and event filters.
    urls: [...new Set(summary.pageViews.map((view) => view.url))].sort(),
    trackNames: [...new Set(summary.trackNames)].sort(),
    signalTimes: summary.signalTimes,
    spans: summary.spans,
  };
}

/** Deletes the sessions `ids` with all their rows; resolves to how many sessions there were. */
export function* deleteSessions(ids: readonly string[]): Work<number> {
  if (ids.length === 0) return 0;
  const params = Object.fromEntries(ids.map((id, i) => [`id${i}`, id]));
  const list = ids.map((_id, i) => `:id${i}`).join(', ');
  for (const table of SESSION_TABLES) yield* changes(`DELETE FROM ${table} WHERE session_id IN (${list})`, params);
  return yield* changes(`DELETE FROM sessions WHERE id IN (${list})`, params);
}
