/**
 * The Storage interface over a SQL driver: listing, counting, exporting, statistics,
 * re-sessionising input, recordings and writes, in SQL written once (queries/) that SQLite
 * and PostgreSQL both run. Recordings are stored gzipped; compressing them is storage's business.
 */
import { gzipSync } from 'node:zlib';
import type { SessionFilters, SessionPage, SessionSummary } from '../../shared/api';
import { arraySource, type LengthSource } from '../../shared/lengthSource';
import type { RecordedSession, SessionRules } from '../../shared/session';
import { decodeCursor, encodeCursor } from './cursor';
import { appendBatch, batchParams, deleteSessions } from './queries/appendBatch';
import { Aggregates } from './queries/aggregates';
import { readDeviceSessions } from './queries/deviceSessions';
import { timeoutChanges } from './queries/timeoutChanges';
import { readableEvents, setVerdicts, UNCHECKED_CHUNKS, WINDOW_CHUNKS } from './queries/chunks';
import { sqlShareStore, type ShareStore } from './queries/shares';
import {
  filterClause,
  pageSql,
  SESSION_COLUMNS,
  SORT_COLUMNS,
  toSummary,
  visitedPages,
  type PageQuery,
  type ResolvedFilters,
  type SessionRow,
} from './queries/sessionRows';
import { changes, rows, type Params, type SqlDriver } from './sql';
import type {
  BatchRecord,
  ChunkEvents,
  ChunkKey,
  ChunkToCheck,
  ChunkVerdict,
  SessionQuery,
  Storage,
  StoredChunk,
  TimeoutChanges,
} from './storage';

/**
 * From how many matching sessions a page walks the sort order's index (SQLite). Walking reads
 * about limit × sessions / matches index entries (10 000 for 5 000 matches among a million);
 * with fewer matches, reading just those and sorting them is quicker.
 */
const WALK_SORT_INDEX_FROM = 5_000;

/** Up to how many matching URLs a `url` filter lists their ids in its query (see ResolvedFilters). */
const MAX_LISTED_URLS = 500;

/** Chunks read per query while replaying: a few MB at most in memory at once. */
const CHUNKS_PER_READ = 16;

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
  'signal',
] as const satisfies readonly (keyof SessionFilters)[];

/** The storage over `driver`. */
export function sqlStorage(driver: SqlDriver): Storage {
  return new SqlStorage(driver);
}

class SqlStorage implements Storage {
  private readonly aggregates: Aggregates;
  readonly sharedAdminToken?: (generated: string) => Promise<string>;
  readonly shares: ShareStore;

  constructor(private readonly db: SqlDriver) {
    this.aggregates = new Aggregates(db);
    this.shares = sqlShareStore(db);
    if (db.sharedByNodes) this.sharedAdminToken = (generated) => this.sharedSetting('admin_token', generated);
  }

  async appendBatch(batch: BatchRecord): Promise<{ stored: boolean }> {
    const gzip = 'gzip' in batch.recording ? batch.recording.gzip : gzipSync(batch.recording.json);
    const params = batchParams(batch, gzip.length);
    const work = () => appendBatch(params, gzip, this.db.dialect.lockSession);
    return { stored: await (this.db.appendBatch ? this.db.appendBatch(params, gzip, work) : this.db.transaction(work)) };
  }

  async listSessions(query: SessionQuery, now: number): Promise<SessionPage> {
    const resolved = await this.resolve(pageQuery(query));
    const total = await this.count(resolved, now);
    const { lastKey: _lastKey, ...page } = await this.page(resolved, now, total);
    return { ...page, total };
  }

  async *scanSessions(query: SessionQuery, now: number): AsyncIterable<SessionSummary[]> {
    // Page by page on the keyset cursor: an open cursor would hold a connection while the
    // export waits for a slow client.
    const resolved = await this.resolve(pageQuery(query));
    const total = await this.count(resolved, now);
    let cursor = resolved.cursor;
    do {
      const page = await this.page({ ...resolved, cursor }, now, total);
      if (page.sessions.length > 0) yield page.sessions;
      cursor = page.nextCursor === null ? null : page.lastKey;
    } while (cursor);
  }

  async countSessions(filters: SessionFilters, now: number): Promise<number> {
    return this.count(await this.resolve(filters), now);
  }

  async lengthSource(unresolved: SessionFilters, now: number): Promise<LengthSource> {
    const filters = await this.resolve(unresolved);
    if (onlyLengthBounds(filters)) {
      const { project, from, to, minLengthMs, maxLengthMs } = filters;
      return this.aggregates.lengths(project, from, to, minLengthMs, maxLengthMs);
    }
    const { where, params } = filterClause(filters, now, this.db.dialect);
    const lengths = await this.db.rows<{ startedAt: number; lengthMs: number }>(
      `SELECT started_at AS "startedAt", length_ms AS "lengthMs" FROM sessions WHERE ${where}`,
      params,
    );
    return arraySource(lengths);
  }

  async recordedSessions(unresolved: SessionFilters, now: number): Promise<Iterable<RecordedSession>> {
    const { where, params } = filterClause(await this.resolve(unresolved), now, this.db.dialect);
    return readDeviceSessions(this.db, 'sessions', where, params);
  }

  async timeoutChanges(filters: SessionFilters, rules: SessionRules): Promise<TimeoutChanges | null> {
    if (activeFilters(filters).length > 0) return null;
    return timeoutChanges(this.db, this.aggregates, filters, rules);
  }

  async getSession(id: string, now: number): Promise<SessionSummary | null> {
    const [row] = await this.db.rows<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = :id AND first_activity_at IS NOT NULL`,
      { id },
    );
    return row ? toSummary(row, now) : null;
  }

  async *readChunks(id: string): AsyncIterable<StoredChunk> {
    // A few chunks per query: an open iterator would keep a connection (SQLite: the only one)
    // busy while the response waits for the client, blocking every other request.
    const windows = await this.db.rows<{ windowId: string }>(
      'SELECT window_id AS "windowId" FROM session_windows WHERE session_id = :id ORDER BY first_ts, window_id',
      { id },
    );
    for (const { windowId } of windows) {
      let after = -1;
      for (;;) {
        const chunks = await this.db.rows<{ seq: number; data: Buffer; verdict: ChunkVerdict | null }>(
          WINDOW_CHUNKS,
          { id, windowId, after, limit: CHUNKS_PER_READ },
        );
        for (const chunk of chunks) yield { windowId, seq: chunk.seq, encoding: 'gzip', verdict: chunk.verdict, data: chunk.data };
        if (chunks.length < CHUNKS_PER_READ) break;
        after = chunks[chunks.length - 1].seq;
      }
    }
  }

  async *readEvents(id: string): AsyncIterable<ChunkEvents> {
    for await (const { windowId, seq, data, verdict } of this.readChunks(id)) {
      if (verdict !== null && verdict !== 'ok') continue;
      const events = readableEvents(data);
      if (events) yield { windowId, seq, events };
    }
  }

  async uncheckedChunks(limit: number): Promise<ChunkToCheck[]> {
    return this.db.rows<ChunkToCheck>(UNCHECKED_CHUNKS, { limit });
  }

  async setVerdicts(verdicts: readonly (ChunkKey & { verdict: ChunkVerdict })[]): Promise<void> {
    await this.db.transaction(() => setVerdicts(verdicts));
  }

  async deleteSession(id: string): Promise<boolean> {
    return (await this.db.transaction(() => deleteSessions([id]))) > 0;
  }

  async deleteSessionsEndedBefore(cutoffMs: number, limit: number): Promise<number> {
    const ids = await this.db.rows<{ id: string }>(
      `SELECT id FROM sessions WHERE first_activity_at IS NOT NULL AND ended_at < :cutoffMs
       ORDER BY ended_at LIMIT :limit`,
      { cutoffMs, limit },
    );
    // Sessions without activity have no end and no index: scanned for only once the ended ones are gone.
    if (ids.length < limit) {
      ids.push(
        ...(await this.db.rows<{ id: string }>(
          'SELECT id FROM sessions WHERE first_activity_at IS NULL AND created_at < :cutoffMs LIMIT :limit',
          { cutoffMs, limit: limit - ids.length },
        )),
      );
    }
    // Counted as gone even when another node's retention deleted some of them first: the pass
    // goes on while full batches of old sessions are found.
    await this.db.transaction(() => deleteSessions(ids.map((row) => row.id)));
    return ids.length;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** The setting `name` all nodes share: the one `offered` when none was stored before. */
  private sharedSetting(name: string, offered: string): Promise<string> {
    return this.db.transaction(function* () {
      yield* changes('INSERT INTO settings (name, value) VALUES (:name, :offered) ON CONFLICT DO NOTHING', { name, offered });
      const [setting] = yield* rows<{ value: string }>('SELECT value FROM settings WHERE name = :name', { name });
      return setting.value;
    });
  }

  /** The filters with a `url` text's URL ids looked up, when few enough URLs contain it. */
  private async resolve<T extends SessionFilters>(filters: T): Promise<T & ResolvedFilters> {
    if (filters.url === undefined) return filters;
    const urls = await this.db.rows<{ id: number }>(
      `SELECT id FROM urls WHERE ${this.db.dialect.contains('url', 'url')} LIMIT :limit`,
      { url: filters.url, limit: MAX_LISTED_URLS + 1 },
    );
    return urls.length > MAX_LISTED_URLS ? filters : { ...filters, urlIds: urls.map((row) => row.id) };
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
      const pages = visitedPages(filters.url as string, filters.urlIds, this.db.dialect);
      // DISTINCT in a subquery: PostgreSQL hashes the ids there, where count(DISTINCT …) sorts them.
      return this.countOf(`SELECT count(*) AS n FROM (SELECT DISTINCT session_id FROM session_pages WHERE ${pages.condition}) AS visited`, pages.params);
    }
    if (labelOnly && only[0] === 'event') {
      return this.countOf('SELECT count(*) AS n FROM session_events WHERE name = :event', { event: filters.event });
    }
    const { where, params } = filterClause(filters, now, this.db.dialect);
    // Without statistics SQLite scans another index for this one; the partial index holds only the 5 % with errors.
    const hint = only.length === 1 && filters.hasErrors ? this.db.dialect.indexedBy('sessions_with_errors') : '';
    return this.countOf(`SELECT count(*) AS n FROM sessions${hint} WHERE ${where}`, params);
  }

  private async countOf(sql: string, params: Params): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>(sql, params);
    return row.n;
  }

  /** One page of rows after `query.cursor`, `matching` being how many sessions the filters match. */
  private async page(query: PageQuery, now: number, matching: number) {
    const { sql, params } = pageSql(query, now, this.db.dialect, matching >= WALK_SORT_INDEX_FROM);
    const found = await this.db.rows<SessionRow>(sql, params);
    const more = found.length > query.limit;
    const page = more ? found.slice(0, query.limit) : found;
    const last = page[page.length - 1];
    const lastKey = last ? { value: last[SORT_COLUMNS[query.sort]] as number, id: last.id } : null;
    return {
      sessions: page.map((row) => toSummary(row, now)),
      nextCursor: more && lastKey ? encodeCursor(lastKey) : null,
      lastKey,
    };
  }
}

/** The query with its cursor decoded; the route let through only cursors this storage made. */
function pageQuery({ cursor, ...query }: SessionQuery): PageQuery {
  if (cursor === null) return { ...query, cursor: null };
  const decoded = decodeCursor(cursor);
  if (decoded === null) throw new RangeError('not a session cursor');
  return { ...query, cursor: decoded };
}

/** Whether the filters only bound the project, start time and length: the aggregates answer those. */
function onlyLengthBounds(filters: SessionFilters): boolean {
  return activeFilters(filters).every((key) => key === 'minLengthMs' || key === 'maxLengthMs');
}

function activeFilters(filters: SessionFilters): (typeof OTHER_FILTERS)[number][] {
  return OTHER_FILTERS.filter((key) => filters[key] !== undefined);
}
