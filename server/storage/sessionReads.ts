/**
 * The read side both backends share: listing, counting, exporting, statistics and
 * re-sessionising input, in SQL that SQLite and PostgreSQL (migration 001 there) both run.
 */
import type { SessionFilters, SessionPage, SessionSummary } from '../../shared/api';
import type { RecordedSession, Span } from '../../shared/session';
import { arraySource, type LengthSource } from '../stats/lengthSource';
import { Aggregates } from './aggregates';
import { encodeCursor } from './cursor';
import {
  filterClause,
  pageSql,
  SESSION_COLUMNS,
  SORT_COLUMNS,
  toSummary,
  visitedPages,
  type ResolvedFilters,
  type SessionRow,
} from './sessionRows';
import type { SqlReader } from './sqlReader';
import type { SessionQuery } from './storage';

/**
 * From how many matching sessions a page walks the sort order's index (SQLite). Walking reads
 * about limit × sessions / matches index entries (10 000 for 5 000 matches among a million);
 * with fewer matches, reading just those and sorting them is quicker.
 */
const WALK_SORT_INDEX_FROM = 5_000;

const NO_GAPS: readonly Span[] = Object.freeze([]);

/** Up to how many matching URLs a `url` filter lists their ids in its query (see ResolvedFilters). */
const MAX_LISTED_URLS = 500;

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

/** Each device's sessions as one JSON array, oldest first, in the database's own JSON functions. */
const DEVICE_SESSIONS = {
  sqlite: `json_group_array(json_array(first_activity_at, last_activity_at, clock_offset_ms, json(idle_gaps))
    ORDER BY first_activity_at)`,
  // Concatenated as text: PostgreSQL builds it in about half the time json_agg takes.
  postgres: `'[' || string_agg('[' || first_activity_at || ',' || last_activity_at || ',' || clock_offset_ms || ','
    || coalesce(idle_gaps, 'null') || ']', ',' ORDER BY first_activity_at) || ']'`,
};

/** The Storage methods that only read, for each backend's storage class to extend. */
export abstract class SessionReads {
  private readonly aggregates: Aggregates;

  constructor(private readonly reader: SqlReader) {
    this.aggregates = new Aggregates(reader);
  }

  async listSessions(unresolved: SessionQuery, now: number): Promise<SessionPage> {
    const query = await this.resolve(unresolved);
    const total = await this.count(query, now);
    const { lastKey: _lastKey, ...page } = await this.page(query, now, total);
    return { ...page, total };
  }

  async *scanSessions(unresolved: SessionQuery, now: number): AsyncIterable<SessionSummary[]> {
    // Page by page on the keyset cursor: an open cursor would hold a connection while the
    // export waits for a slow client.
    const query = await this.resolve(unresolved);
    const total = await this.count(query, now);
    let cursor = query.cursor;
    do {
      const page = await this.page({ ...query, cursor }, now, total);
      if (page.sessions.length > 0) yield page.sessions;
      cursor = page.nextCursor === null ? null : page.lastKey;
    } while (cursor);
  }

  async lengthSource(unresolved: SessionFilters, now: number): Promise<LengthSource> {
    const filters = await this.resolve(unresolved);
    if (onlyLengthBounds(filters)) {
      const { project, from, to, minLengthMs, maxLengthMs } = filters;
      return this.aggregates.lengths(project, from, to, minLengthMs, maxLengthMs);
    }
    const { where, params } = filterClause(filters, now);
    const rows = await this.reader.all<{ startedAt: number; lengthMs: number }>(
      `SELECT started_at AS "startedAt", length_ms AS "lengthMs" FROM sessions WHERE ${where}`,
      params,
    );
    return arraySource(rows);
  }

  async recordedSessions(unresolved: SessionFilters, now: number): Promise<Iterable<RecordedSession>> {
    const filters = await this.resolve(unresolved);
    let { where, params } = filterClause(filters, now);
    if (this.reader.dialect === 'sqlite' && activeFilters(filters).length === 0) {
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
    const devices = await this.reader.all<{ key: string; list: string }>(
      `SELECT project || '\n' || device_id AS key, ${DEVICE_SESSIONS[this.reader.dialect]} AS list
       FROM sessions WHERE ${where} GROUP BY project, device_id`,
      params,
    );
    return deviceSessions(devices);
  }

  async getSession(id: string, now: number): Promise<SessionSummary | null> {
    const [row] = await this.reader.all<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ? AND first_activity_at IS NOT NULL`,
      [id],
    );
    return row ? toSummary(row, now) : null;
  }

  /** The filters with a `url` text's URL ids looked up, when few enough URLs contain it. */
  private async resolve<T extends SessionFilters>(filters: T): Promise<T & ResolvedFilters> {
    if (filters.url === undefined) return filters;
    const rows = await this.reader.all<{ id: number }>('SELECT id FROM urls WHERE instr(url, ?) > 0 LIMIT ?', [
      filters.url,
      MAX_LISTED_URLS + 1,
    ]);
    return rows.length > MAX_LISTED_URLS ? filters : { ...filters, urlIds: rows.map((row) => row.id) };
  }

  /** How many sessions the filters match: from the slot totals when they only bound the start time. */
  private async count(filters: ResolvedFilters, now: number): Promise<number> {
    if (onlyLengthBounds(filters)) {
      const { project, from, to, minLengthMs, maxLengthMs } = filters;
      return this.aggregates.count(project, from, to, minLengthMs, maxLengthMs);
    }
    const only = activeFilters(filters);
    // A label filter alone (no project or time range either) is counted from its own table's
    // index, not by visiting each session.
    const labelOnly = only.length === 1 && [filters.project, filters.from, filters.to].every((v) => v === undefined);
    if (labelOnly && only[0] === 'url') {
      const pages = visitedPages(filters.url as string, filters.urlIds);
      return this.countOf(`SELECT count(DISTINCT session_id) AS n FROM session_pages WHERE ${pages.condition}`, pages.params);
    }
    if (labelOnly && only[0] === 'event') {
      return this.countOf('SELECT count(*) AS n FROM session_events WHERE name = ?', [filters.event]);
    }
    const { where, params } = filterClause(filters, now);
    // Without statistics SQLite scans another index for this one; the partial index holds only the 5 % with errors.
    const errorsOnly = this.reader.dialect === 'sqlite' && only.length === 1 && filters.hasErrors;
    const from = errorsOnly ? 'sessions INDEXED BY sessions_with_errors' : 'sessions';
    return this.countOf(`SELECT count(*) AS n FROM ${from} WHERE ${where}`, params);
  }

  private async countOf(sql: string, params: unknown[]): Promise<number> {
    const [row] = await this.reader.all<{ n: number }>(sql, params);
    return row.n;
  }

  /** One page of rows after `query.cursor`, `matching` being how many sessions the filters match. */
  private async page(query: SessionQuery & ResolvedFilters, now: number, matching: number) {
    const walkSortIndex = this.reader.dialect === 'sqlite' && matching >= WALK_SORT_INDEX_FROM;
    const { sql, params } = pageSql(query, now, walkSortIndex);
    const rows = await this.reader.all<SessionRow>(sql, params);
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
}

/** Parses each device's JSON array only when re-sessionising reaches it. */
function* deviceSessions(devices: { key: string; list: string }[]): Iterable<RecordedSession> {
  for (const { key, list } of devices) {
    for (const [firstActivityAt, lastActivityAt, clockOffsetMs, gaps] of JSON.parse(list) as DeviceSession[]) {
      yield { key, firstActivityAt, lastActivityAt, idleGaps: gaps ?? NO_GAPS, clockOffsetMs };
    }
  }
}

/** Whether the filters only bound the project, start time and length: the aggregates answer those. */
function onlyLengthBounds(filters: SessionFilters): boolean {
  return activeFilters(filters).every((key) => key === 'minLengthMs' || key === 'maxLengthMs');
}

function activeFilters(filters: SessionFilters): (typeof OTHER_FILTERS)[number][] {
  return OTHER_FILTERS.filter((key) => filters[key] !== undefined);
}
