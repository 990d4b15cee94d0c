/**
 * The SQL driver on one SQLite file, every statement prepared once. better-sqlite3 answers
 * synchronously: the transactions of one event-loop turn run start to end inside one
 * synchronous call (groupCommit: BEGIN IMMEDIATE, a savepoint each, COMMIT), so no other
 * request's statements can come in between, and an acknowledged batch is on disk (an fsync
 * of the WAL after its commit, walSync.ts) before its promise resolves.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { bind, compiler, type Params, type SqlDialect, type SqlDriver, type Step } from '../sql';
import { groupCommit } from './groupCommit';
import { openDatabase } from './openDatabase';
import { walSync } from './walSync';

/** Name of the database file inside DATA_DIR. */
export const DATABASE_FILE = 'replay.sqlite';

/** SQLite's spellings of what the two databases' SQL does not share. */
export const sqliteDialect: SqlDialect = {
  contains: (column, param) => `instr(${column}, :${param}) > 0`,
  deviceSessionsJson: (only = 'true', ordered = true) => `json_group_array(CASE WHEN signal_times IS NULL
    THEN json_array(first_activity_at, last_activity_at, clock_offset_ms, json(idle_gaps))
    ELSE json_array(first_activity_at, last_activity_at, clock_offset_ms, json(idle_gaps), json(signal_times)) END
    ${ordered ? 'ORDER BY first_activity_at, id' : ''}) FILTER (WHERE ${only})`,
  numberList: (column) => `coalesce(group_concat(${column}, ','), '')`,
  inList: (column, param, values) => ({
    condition: `${column} IN (${values.map((_value, i) => `:${param}${i}`).join(', ')})`,
    params: Object.fromEntries(values.map((value, i) => [`${param}${i}`, value])),
  }),
  indexedBy: (index) => ` INDEXED BY ${index}`,
  // SQLite plans every query on one thread.
  serialPlan: '1',
  walksIdsForSubqueryFilters: false,
  // BEGIN IMMEDIATE takes the database's one write lock: no other writer runs meanwhile.
  lockSession: null,
};

/** Opens `DATA_DIR/replay.sqlite`, migrated, and returns the driver over it. */
export function openSqliteDriver(dataDir: string): SqlDriver {
  const file = path.join(dataDir, DATABASE_FILE);
  const db = openDatabase(file);
  // Commits leave the WAL unsynced: walSync syncs it, off the event loop, before any answer.
  db.pragma('synchronous = NORMAL');
  const compile = compiler('?');
  // One cache per kind, keyed by the query's text as written: the same string objects come back
  // for every batch, so a lookup costs no rehashing of the text.
  const statements: Record<Step['kind'], Map<string, Database.Statement>> = { rows: new Map(), tuples: new Map(), changes: new Map() };
  const run = ({ kind, sql, params }: Step): unknown => {
    const compiled = compile(sql);
    let statement = statements[kind].get(sql);
    if (!statement) {
      statement = db.prepare(compiled.text);
      if (kind === 'tuples') statement.raw(true);
      statements[kind].set(sql, statement);
    }
    const values = bind(compiled, params);
    return kind === 'changes' ? statement.run(...values).changes : statement.all(...values);
  };
  const wal = walSync(`${file}-wal`);
  return {
    dialect: sqliteDialect,
    sharedByNodes: false,
    rows: async <T>(sql: string, params: Params = {}) => run({ kind: 'rows', sql, params }) as T[],
    transaction: groupCommit(db, run, wal.sync),
    close: async () => {
      db.close();
      wal.close();
    },
  };
}
