/**
 * Copies the sessions of a generated SQLite database (bench/generateSessions.ts) into a
 * PostgreSQL database that migration 001 there has created: the same rows, so both backends
 * answer the read API over the same data.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

/** Rows per INSERT: a few MB of parameters, few enough round trips to not matter. */
const BATCH_ROWS = 5_000;

/**
 * Each copied table's columns and their PostgreSQL types; generated columns are left to
 * PostgreSQL. `identity`: its id is an identity column, given here so pages keep their URL.
 */
const TABLES: { table: string; columns: Record<string, string>; identity?: boolean }[] = [
  { table: 'urls', columns: { id: 'bigint', url: 'text' }, identity: true },
  {
    table: 'sessions',
    columns: {
      id: 'text', project: 'text', device_id: 'text', user_id: 'text', user_traits: 'text', user_agent: 'text',
      timeout_ms: 'bigint', clock_offset_ms: 'bigint', first_activity_at: 'bigint', last_activity_at: 'bigint',
      active_ms: 'bigint', event_count: 'bigint', error_count: 'bigint', bytes: 'bigint', pages: 'bigint',
      windows: 'bigint', dropped_batches: 'bigint', entry_at: 'bigint', entry_url: 'text', exit_at: 'bigint',
      exit_url: 'text', idle_gaps: 'text', created_at: 'bigint', rage_clicks: 'bigint', dead_clicks: 'bigint',
      error_clicks: 'bigint', signal_times: 'text', gap_before_ms: 'bigint', gap_after_ms: 'bigint', longest_idle_ms: 'bigint',
    },
  },
  { table: 'session_pages', columns: { url_id: 'bigint', session_id: 'text' } },
  { table: 'session_events', columns: { name: 'text', session_id: 'text' } },
];

/**
 * The aggregates the sessions_aggregates trigger maintains, computed in one pass instead: row
 * by row the trigger would cost three upserts per session. The statements of SQLite's
 * migration 002 that backfilled them, over PostgreSQL's own generated columns.
 */
const FILL_AGGREGATES = [
  `INSERT INTO slot_totals SELECT project, start_slot, count(*), sum(length_ms) FROM sessions
   WHERE first_activity_at IS NOT NULL GROUP BY 1, 2`,
  `INSERT INTO day_buckets SELECT project, started_at - started_at % 86400000, length_bucket, count(*) FROM sessions
   WHERE first_activity_at IS NOT NULL GROUP BY 1, 2, 3`,
  `INSERT INTO slot_buckets SELECT project, start_slot, length_bucket, count(*), sum(length_ms) FROM sessions
   WHERE first_activity_at IS NOT NULL GROUP BY 1, 2, 3`,
];

/** Copies `sqliteFile`'s sessions, pages, events and URLs into the migrated database at `url`, then analyses it. */
export async function copyToPostgres(sqliteFile: string, url: string): Promise<void> {
  const sqlite = new Database(sqliteFile, { readonly: true });
  const client = new pg.Client(url);
  await client.connect();
  try {
    // The throwaway server commits asynchronously; VACUUM cannot set hint bits on rows whose
    // commit (or that of any transaction sharing its commit-log group) is not flushed yet, and
    // would then mark no page all-visible, leaving index-only scans to visit the heap.
    await client.query('SET synchronous_commit = on');
    await client.query('BEGIN');
    // The aggregates and the gaps are filled in one pass and copied: row by row their triggers
    // would upsert three aggregate rows and recompute the device's gaps per session.
    await client.query('ALTER TABLE sessions DISABLE TRIGGER USER');
    for (const table of TABLES) await copyTable(sqlite, client, table);
    for (const sql of FILL_AGGREGATES) await client.query(sql);
    await client.query('ALTER TABLE sessions ENABLE TRIGGER USER');
    // urls.id is an identity column: the next URL ingest adds must not reuse a copied id.
    await client.query("SELECT setval(pg_get_serial_sequence('urls', 'id'), (SELECT max(id) FROM urls))");
    await client.query('COMMIT');
    // Autovacuum would do both in production, in its own time: the visibility map lets
    // index-only scans skip the heap, the statistics let the planner choose its plans.
    await client.query('VACUUM');
    await client.query('ANALYZE');
  } finally {
    await client.end();
    sqlite.close();
  }
}

/**
 * Inserts the table's rows in batches, each batch one JSON parameter: PostgreSQL parses it
 * faster than the pg client serialises a typed array per column.
 */
async function copyTable(sqlite: Database.Database, client: pg.Client, { table, columns, identity }: (typeof TABLES)[number]): Promise<void> {
  const names = Object.keys(columns).join(', ');
  const types = Object.entries(columns).map(([name, type]) => `${name} ${type}`).join(', ');
  const overriding = identity ? ' OVERRIDING SYSTEM VALUE' : '';
  const insert = `INSERT INTO ${table} (${names})${overriding} SELECT * FROM json_to_recordset($1) AS r(${types})`;
  // One batch in flight while the next is read: SQLite and PostgreSQL then work at the same time.
  let inFlight: Promise<unknown> = Promise.resolve();
  let batch: unknown[] = [];
  const send = async () => {
    const json = JSON.stringify(batch);
    batch = [];
    await inFlight;
    inFlight = client.query(insert, [json]);
  };
  for (const row of sqlite.prepare(`SELECT ${names} FROM ${table}`).iterate()) {
    batch.push(row);
    if (batch.length === BATCH_ROWS) await send();
  }
  if (batch.length > 0) await send();
  await inFlight;
}
