/** Session rows: the listing's SQL (filters, keyset order) and the row → API mapping. */
import type { SessionFilters, SessionSort, SessionSummary } from '../../../shared/api';
import { SIGNAL_KINDS, type SignalKind } from '../../../shared/signals';
import type { Cursor } from '../cursor';
import type { Params, SqlDialect } from '../sql';
import type { SessionQuery } from '../storage';

/** The sessions columns the API reads, in SELECT form. */
export const SESSION_COLUMNS = `id, project, device_id, user_id, user_traits, user_agent, timeout_ms, length_ms,
  started_at, ended_at, active_ms, event_count, error_count, dropped_batches, bytes, pages, windows, entry_url, exit_url,
  rage_clicks, dead_clicks, error_clicks, frustration`;

export interface SessionRow {
  id: string;
  project: string;
  device_id: string;
  user_id: string | null;
  user_traits: string | null;
  user_agent: string | null;
  timeout_ms: number;
  length_ms: number;
  started_at: number;
  ended_at: number;
  active_ms: number;
  event_count: number;
  error_count: number;
  dropped_batches: number;
  bytes: number;
  pages: number;
  windows: number;
  entry_url: string | null;
  exit_url: string | null;
  rage_clicks: number;
  dead_clicks: number;
  error_clicks: number;
  frustration: number;
}

/** Column behind each sort key; each has an index on (column, id). */
export const SORT_COLUMNS: Record<SessionSort, keyof SessionRow> = {
  length: 'length_ms',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  events: 'event_count',
  activeTime: 'active_ms',
  frustration: 'frustration',
};

/** The index that walks sessions in each sort order (migration 002). */
const SORT_INDEXES: Record<SessionSort, string> = {
  length: 'sessions_by_length',
  startedAt: 'sessions_by_started',
  endedAt: 'sessions_by_ended',
  events: 'sessions_by_events',
  activeTime: 'sessions_by_active',
  frustration: 'sessions_by_frustration',
};

/**
 * Filters with the `url` text resolved to the ids of the URLs containing it, when there are
 * few enough to list: the database then counts their sessions from the index instead of
 * guessing how many URLs a substring matches (PostgreSQL guesses a third and reads them all).
 */
export interface ResolvedFilters extends SessionFilters {
  urlIds?: number[];
}

/** A listing's query with its cursor decoded. */
export type PageQuery = Omit<SessionQuery, 'cursor'> & ResolvedFilters & { cursor: Cursor | null };

/**
 * WHERE clause and parameters for a query's filters; `now` decides which sessions are live.
 * `probed`: the filters on visited pages and tracked events are conditions tested session by
 * session (a hashed subplan on PostgreSQL) rather than subqueries the planner may join.
 */
export function filterClause(query: ResolvedFilters, now: number, dialect: SqlDialect, probed = false): { where: string; params: Params } {
  // A session exists for listing once it has had activity; a batch of only mutations can
  // arrive before its session's first batch after a retry.
  const conditions = ['first_activity_at IS NOT NULL'];
  const params: Record<string, unknown> = {};
  const add = (condition: string, name: keyof SessionFilters) => {
    conditions.push(condition);
    params[name] = query[name];
  };
  if (query.project !== undefined) add('project = :project', 'project');
  if (query.minLengthMs !== undefined) add('length_ms >= :minLengthMs', 'minLengthMs');
  if (query.maxLengthMs !== undefined) add('length_ms <= :maxLengthMs', 'maxLengthMs');
  if (query.from !== undefined) add('started_at >= :from', 'from');
  if (query.to !== undefined) add('started_at < :to', 'to');
  if (query.userId !== undefined) add('user_id = :userId', 'userId');
  if (query.deviceId !== undefined) add('device_id = :deviceId', 'deviceId');
  if (query.hasErrors !== undefined) conditions.push(query.hasErrors ? 'error_count > 0' : 'error_count = 0');
  if (query.status !== undefined) {
    conditions.push(`ended_at + timeout_ms ${query.status === 'live' ? '>=' : '<'} :now`);
    params.now = now;
  }
  // A join of a subquery is a top-level IN; IS TRUE around it keeps it a condition.
  const member = (subquery: string) => (probed ? `(id IN (${subquery})) IS TRUE` : `id IN (${subquery})`);
  if (query.url !== undefined) {
    const pages = visitedPages(query.url, query.urlIds, dialect);
    conditions.push(member(`SELECT session_id FROM session_pages WHERE ${pages.condition}`));
    Object.assign(params, pages.params);
  }
  if (query.event !== undefined) add(member('SELECT session_id FROM session_events WHERE name = :event'), 'event');
  if (query.signal !== undefined) conditions.push(signalCondition(query.signal));
  return { where: conditions.join(' AND '), params };
}

/** Count column of each signal kind. */
const SIGNAL_COLUMNS: Record<SignalKind, string> = { rage: 'rage_clicks', dead: 'dead_clicks', error: 'error_clicks' };

/**
 * Sessions with any of `kinds`, spelled so the database reads only sessions with signals: all
 * kinds or one match a partial index (migration 003), two a range of sessions_by_frustration.
 */
function signalCondition(kinds: readonly SignalKind[]): string {
  if (SIGNAL_KINDS.every((kind) => kinds.includes(kind))) return 'frustration > 0';
  if (kinds.length === 1) return `${SIGNAL_COLUMNS[kinds[0]]} > 0`;
  return `frustration > 0 AND (${kinds.map((kind) => `${SIGNAL_COLUMNS[kind]} > 0`).join(' OR ')})`;
}

/**
 * The session_pages rows of a `url` filter: among the URL ids already looked up (none: no row),
 * else among the URLs containing the text.
 */
export function visitedPages(url: string, urlIds: number[] | undefined, dialect: SqlDialect): { condition: string; params: Params } {
  if (urlIds === undefined) {
    return { condition: `url_id IN (SELECT id FROM urls WHERE ${dialect.contains('url', 'url')})`, params: { url } };
  }
  if (urlIds.length === 0) return { condition: '1 = 0', params: {} };
  return dialect.inList('url_id', 'urlId', urlIds);
}

/**
 * The page query: filters, then rows strictly after the cursor in (sort column, id) order.
 * SQLite has no statistics on how many rows a filter keeps, so for a 7-day range it would
 * read every session of the week and sort them; when the caller knows that many match
 * (`walkSortIndex`), the sort order's index is walked instead (the dialect's hint) and stops
 * after one page. PostgreSQL joins a `url` or `event` filter's sessions and sorts them all
 * (9 000 for a URL among a million sessions); where the dialect says so, such a page walks the
 * index for its ids alone, testing each against the filter's hashed sessions, and then reads
 * the page's rows.
 */
export function pageSql(query: PageQuery, now: number, dialect: SqlDialect, walkSortIndex: boolean): { sql: string; params: Params } {
  const idsFirst = walkSortIndex && dialect.walksIdsForSubqueryFilters && (query.url !== undefined || query.event !== undefined);
  const { where, params } = filterClause(query, now, dialect, idsFirst);
  const column = SORT_COLUMNS[query.sort];
  const direction = query.order === 'desc' ? 'DESC' : 'ASC';
  const hint = walkSortIndex ? dialect.indexedBy(SORT_INDEXES[query.sort]) : '';
  let page = `FROM sessions${hint} WHERE ${where}`;
  const after: Record<string, unknown> = { limit: query.limit + 1 };
  if (query.cursor) {
    page += ` AND (${column}, id) ${query.order === 'desc' ? '<' : '>'} (:cursorValue, :cursorId)`;
    Object.assign(after, { cursorValue: query.cursor.value, cursorId: query.cursor.id });
  }
  const order = `ORDER BY ${column} ${direction}, id ${direction}`;
  page += ` ${order} LIMIT :limit`;
  const sql = idsFirst
    ? `WITH page AS MATERIALIZED (SELECT id ${page}) SELECT ${SESSION_COLUMNS} FROM sessions WHERE id IN (SELECT id FROM page) ${order}`
    : `SELECT ${SESSION_COLUMNS} ${page}`;
  return { sql, params: { ...params, ...after } };
}

/** Maps a row to the API shape; status depends on `now` (server clock). */
export function toSummary(row: SessionRow, now: number): SessionSummary {
  return {
    id: row.id,
    project: row.project,
    deviceId: row.device_id,
    userId: row.user_id,
    userTraits: row.user_traits === null ? null : (JSON.parse(row.user_traits) as Record<string, unknown>),
    startedAt: new Date(row.started_at).toISOString(),
    endedAt: new Date(row.ended_at).toISOString(),
    lengthMs: row.length_ms,
    activeMs: row.active_ms,
    windows: row.windows,
    pages: row.pages,
    entryUrl: row.entry_url,
    exitUrl: row.exit_url,
    eventCount: row.event_count,
    errorCount: row.error_count,
    rageClicks: row.rage_clicks,
    deadClicks: row.dead_clicks,
    errorClicks: row.error_clicks,
    droppedBatches: row.dropped_batches,
    bytes: row.bytes,
    status: now - row.ended_at > row.timeout_ms ? 'concluded' : 'live',
    userAgent: row.user_agent,
  };
}
