/**
 * The SQL driver on one SQLite file, every statement prepared once. better-sqlite3 answers
 * synchronously: a transaction's work runs start to end inside one synchronous call (BEGIN
 * IMMEDIATE … COMMIT), so no other request's statements can come in between, and an
 * acknowledged batch is on disk (synchronous = FULL) before its promise resolves.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { bind, compiler, type Params, type SqlDialect, type SqlDriver, type Step, type Work } from '../sql';
import { openDatabase } from './openDatabase';

/** Name of the database file inside DATA_DIR. */
export const DATABASE_FILE = 'replay.sqlite';

/** SQLite's spellings of what the two databases' SQL does not share. */
export const sqliteDialect: SqlDialect = {
  contains: (column, param) => `instr(${column}, :${param}) > 0`,
  deviceSessionsJson: `json_group_array(CASE WHEN signal_times IS NULL
    THEN json_array(first_activity_at, last_activity_at, clock_offset_ms, json(idle_gaps))
    ELSE json_array(first_activity_at, last_activity_at, clock_offset_ms, json(idle_gaps), json(signal_times)) END
    ORDER BY first_activity_at)`,
  indexedBy: (index) => ` INDEXED BY ${index}`,
  startedAtFromColumns: true,
};

/** Opens `DATA_DIR/replay.sqlite`, migrated, and returns the driver over it. */
export function openSqliteDriver(dataDir: string): SqlDriver {
  const db = openDatabase(path.join(dataDir, DATABASE_FILE));
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
  const transaction = db.transaction((work: Work<unknown>): unknown => {
    let next = work.next();
    while (!next.done) next = work.next(run(next.value));
    return next.value;
  });
  return {
    dialect: sqliteDialect,
    sharedByNodes: false,
    rows: async <T>(sql: string, params: Params = {}) => run({ kind: 'rows', sql, params }) as T[],
    transaction: async <T>(work: () => Work<T>) => transaction.immediate(work()) as T,
    close: async () => {
      db.close();
    },
  };
}
