/**
 * The one write of a session's row per batch. Each write of the row maintains the indexes of
 * sessions and fires its triggers; SQLite maintains every index on a column its SET names, changed
 * or not, so a batch's update names only the columns it may change: usually its counts and last
 * activity, which leaves most of the 17 indexes untouched. The upsert, which names them all, is
 * for the session's first batch.
 */
import { changes, type Work } from '../sql';
import type { StoredFold } from './foldSpans';

/** The batch's value of a column, as an SQL expression: the upsert's `excluded.<column>`, the update's parameter. */
type BatchValue = (column: string) => string;

/** A column a session's batches add to: the parameter of the batch's value, its type, and how it folds in. */
interface FoldedColumn {
  param: string;
  type: 'bigint' | 'text';
  /** The new value, from the batch's (`batch`) and the stored row's (`sessions.<column>`). */
  fold: (batch: BatchValue) => string;
}

const sum = (column: string) => (batch: BatchValue) => `sessions.${column} + ${batch(column)}`;
/** The batch's value of `column` if its `at` is earlier (`<`) or not earlier (`>=`) than the stored one, or none is stored. */
const byTime = (column: string, at: string, op: '<' | '>=') => (batch: BatchValue) =>
  `CASE WHEN sessions.${at} IS NULL OR ${batch(at)} ${op} sessions.${at} THEN ${batch(column)} ELSE sessions.${column} END`;
const replaced = (column: string) => (batch: BatchValue) => batch(column);

/** The columns a batch folds into; the fold of idle gaps and signal times is computed beforehand, under the session's lock. */
const FOLDED: Readonly<Record<string, FoldedColumn>> = {
  user_traits: {
    param: 'userTraits',
    type: 'text',
    fold: (batch) => `CASE WHEN ${batch('user_id')} IS NOT NULL THEN ${batch('user_traits')} ELSE sessions.user_traits END`,
  },
  user_id: { param: 'userId', type: 'text', fold: (batch) => `COALESCE(${batch('user_id')}, sessions.user_id)` },
  user_agent: { param: 'userAgent', type: 'text', fold: (batch) => `COALESCE(sessions.user_agent, ${batch('user_agent')})` },
  first_activity_at: { param: 'firstActivityAt', type: 'bigint', fold: byTime('first_activity_at', 'first_activity_at', '<') },
  last_activity_at: {
    param: 'lastActivityAt',
    type: 'bigint',
    fold: (batch) =>
      `CASE WHEN sessions.last_activity_at IS NULL OR ${batch('last_activity_at')} > sessions.last_activity_at THEN ${batch('last_activity_at')} ELSE sessions.last_activity_at END`,
  },
  event_count: { param: 'eventCount', type: 'bigint', fold: sum('event_count') },
  error_count: { param: 'errorCount', type: 'bigint', fold: sum('error_count') },
  bytes: { param: 'bytes', type: 'bigint', fold: sum('bytes') },
  pages: { param: 'pages', type: 'bigint', fold: sum('pages') },
  windows: { param: 'addedWindows', type: 'bigint', fold: sum('windows') },
  active_ms: { param: 'addedActiveMs', type: 'bigint', fold: sum('active_ms') },
  idle_gaps: { param: 'idleGaps', type: 'text', fold: replaced('idle_gaps') },
  longest_idle_ms: { param: 'longestIdleMs', type: 'bigint', fold: replaced('longest_idle_ms') },
  dropped_batches: { param: 'droppedBatches', type: 'bigint', fold: sum('dropped_batches') },
  rage_clicks: { param: 'rageClicks', type: 'bigint', fold: sum('rage_clicks') },
  dead_clicks: { param: 'deadClicks', type: 'bigint', fold: sum('dead_clicks') },
  error_clicks: { param: 'errorClicks', type: 'bigint', fold: sum('error_clicks') },
  signal_times: { param: 'keptSignalTimes', type: 'text', fold: replaced('signal_times') },
  entry_url: { param: 'entryUrl', type: 'text', fold: byTime('entry_url', 'entry_at', '<') },
  entry_at: { param: 'entryAt', type: 'bigint', fold: byTime('entry_at', 'entry_at', '<') },
  exit_url: { param: 'exitUrl', type: 'text', fold: byTime('exit_url', 'exit_at', '>=') },
  exit_at: { param: 'exitAt', type: 'bigint', fold: byTime('exit_at', 'exit_at', '>=') },
};

const FOLDED_NAMES = Object.keys(FOLDED);

const setClause = (columns: readonly string[], batch: BatchValue) => columns.map((column) => `${column} = ${FOLDED[column].fold(batch)}`).join(',\n  ');

/**
 * Creates the session, or folds the batch into it when a session of that id came first after all
 * (PostgreSQL's append_batches, its migration 011, runs this statement for every batch).
 */
const UPSERT_SESSION = `
INSERT INTO sessions (id, project, device_id, timeout_ms, clock_offset_ms, created_at, ${FOLDED_NAMES.join(', ')})
VALUES (:sessionId, :project, :deviceId, :timeoutMs, :clockOffsetMs, :receivedAt, ${FOLDED_NAMES.map((column) => `:${FOLDED[column].param}`).join(', ')})
ON CONFLICT (id) DO UPDATE SET
  ${setClause(FOLDED_NAMES, (column) => `excluded.${column}`)}`;

/** A parameter typed, as PostgreSQL cannot infer the type of one compared only with NULL. */
const parameter: BatchValue = (column) => `CAST(:${FOLDED[column].param} AS ${FOLDED[column].type})`;

const updates = new Map<string, string>();

/** The update of a stored session's `columns` (one text per set of columns, so each is prepared once). */
function updateSession(columns: readonly string[]): string {
  const key = columns.join();
  let sql = updates.get(key);
  if (sql === undefined) {
    sql = `UPDATE sessions SET ${setClause(columns, parameter)} WHERE id = :sessionId`;
    updates.set(key, sql);
  }
  return sql;
}

/** What a batch's write of its session starts from: the stored row's values it compares with. */
export const SELECT_STORED_SESSION = `SELECT first_activity_at AS "firstActivityAt", last_activity_at AS "lastActivityAt",
  entry_at AS "entryAt", exit_at AS "exitAt", user_agent AS "userAgent",
  idle_gaps AS "idleGaps", longest_idle_ms AS "longestIdleMs", signal_times AS "signalTimes"
FROM sessions WHERE id = :sessionId`;

/** A session's row as SELECT_STORED_SESSION reads it. */
export interface StoredSession extends Omit<StoredFold, 'addedActiveMs'> {
  firstActivityAt: number | null;
  lastActivityAt: number | null;
  entryAt: number | null;
  exitAt: number | null;
  userAgent: string | null;
  signalTimes: string | null;
}

/** The batch's values of the folded columns (their `param`s), and the few others an insert needs. */
export type SessionWrite = Readonly<Record<string, unknown>> & {
  sessionId: string;
  userId: string | null;
  userAgent: string | null;
  firstActivityAt: number | null;
  lastActivityAt: number | null;
  entryAt: number | null;
  exitAt: number | null;
  idleGaps: string | null;
  longestIdleMs: number;
  keptSignalTimes: string | null;
};

/** Whether a batch's `value` replaces the `stored` one it is compared with by `op`, as the folds decide. */
function replaces(value: number | null, stored: number | null, op: '<' | '>' | '>='): boolean {
  if (value === null) return false;
  return stored === null || (op === '<' ? value < stored : op === '>' ? value > stored : value >= stored);
}

/** The columns of `stored` that `write` may change: a superset of those whose fold gives another value. */
function changedColumns(write: SessionWrite, stored: StoredSession): string[] {
  const entry = replaces(write.entryAt, stored.entryAt, '<');
  const exit = replaces(write.exitAt, stored.exitAt, '>=');
  const may: Partial<Record<string, boolean>> = {
    user_traits: write.userId !== null,
    user_id: write.userId !== null,
    user_agent: stored.userAgent === null && write.userAgent !== null,
    first_activity_at: replaces(write.firstActivityAt, stored.firstActivityAt, '<'),
    last_activity_at: replaces(write.lastActivityAt, stored.lastActivityAt, '>'),
    idle_gaps: write.idleGaps !== stored.idleGaps,
    longest_idle_ms: write.longestIdleMs !== stored.longestIdleMs,
    signal_times: write.keptSignalTimes !== stored.signalTimes,
    entry_url: entry,
    entry_at: entry,
    exit_url: exit,
    exit_at: exit,
  };
  // The others are sums: they change when the batch adds anything.
  return FOLDED_NAMES.filter((column) => may[column] ?? write[FOLDED[column].param] !== 0);
}

/**
 * Writes the batch's `write` into its session, `stored` as read under the session's lock
 * (undefined when new). A session deleted since it was read is created again, as the upsert would.
 */
export function* writeSession(write: SessionWrite, stored: StoredSession | undefined): Work<void> {
  if (stored !== undefined) {
    const columns = changedColumns(write, stored);
    if (columns.length === 0 || (yield* changes(updateSession(columns), write)) > 0) return;
  }
  yield* changes(UPSERT_SESSION, write);
}
