/**
 * The SQL driver on a PostgreSQL database that several server nodes share: a pool with the
 * types and migrations the storage relies on, the transactions of one event-loop turn grouped
 * into one (groupTransactions) and its batches stored in one statement (groupAppends), transactions retried when PostgreSQL aborts one
 * to resolve a conflict with another node's, and unreachability reported as such.
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pendingMigrations } from '../migrationFiles';
import { bind, compiler, type Params, type SqlDialect, type SqlDriver, type Step, type Work } from '../sql';
import { StorageUnavailableError } from '../storage';
import { groupAppends } from './groupAppends';
import { groupTransactions } from './groupTransactions';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const INT8_OID = 20;
const NUMERIC_OID = 1700;
/** Any fixed number: every node takes this advisory lock to migrate, so only one does at a time. */
const MIGRATION_LOCK = 7_245_190_331;

/**
 * Times and counts are bigint, which pg returns as strings; they stay below 2^53 (ms since the
 * epoch, byte counts), as do the numeric sums of them, so they are read as numbers.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID || oid === NUMERIC_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** Connections per server node: a few requests in flight at once, not one per client. */
const POOL_SIZE = 10;

/** Opens a pool on `url` and migrates the database to the latest schema. */
async function connectPostgres(url: string, onIdleError: (error: Error) => void): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, types, max: POOL_SIZE });
  // An idle connection the server drops (restart, failover) must not crash the process.
  pool.on('error', onIdleError);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}

/** Applies every migrations/NNN_*.sql not yet recorded in schema_migrations, one transaction each. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Nodes started together wait here for the first one's migrations instead of racing it.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    for (const { version, sql } of pendingMigrations(MIGRATIONS_DIR, (v) => applied.has(v))) {
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Errors of reaching the server rather than of a statement: socket errors, PostgreSQL's
 * connection exceptions (08…), shutdown and start-up (57P0…) and too many connections (53300).
 */
function isUnreachable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    return /^(E(CONNREFUSED|CONNRESET|TIMEDOUT|PIPE|HOSTUNREACH|NOTFOUND|AI_AGAIN)|08...|57P0.|53300)$/.test(code);
  }
  return typeof message === 'string' && /Connection terminated|connection timeout/i.test(message);
}

/** `error`, or a StorageUnavailableError standing for it when the database could not be reached. */
function unavailableOr(error: unknown): unknown {
  return isUnreachable(error) ? new StorageUnavailableError((error as Error).message, { cause: error }) : error;
}

/** PostgreSQL's codes for a transaction it aborted to break a deadlock or a serialisation conflict. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

/**
 * Runs `work` in a transaction on one connection, retrying it when PostgreSQL aborted it to
 * resolve a conflict with another node's transaction; `work` must be safe to run again.
 */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect().catch((error: unknown) => {
      throw unavailableOr(error);
    });
    // A connection that cannot even roll back is broken: the pool must drop it, not reuse it.
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw unavailableOr(error);
    } finally {
      client.release(broken);
    }
  }
}

/** The rows of one statement run on its own (its own transaction), again when PostgreSQL aborted it in a conflict. */
async function queryRetrying<T extends pg.QueryResultRow>(pool: pg.Pool, sql: string, values: unknown[]): Promise<T[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await pool.query<T>(sql, values)).rows;
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw unavailableOr(error);
    }
  }
}

const dialect: SqlDialect = {
  contains: (column, param) => `strpos(${column}, :${param}) > 0`,
  // Concatenated as text: PostgreSQL builds it in about half the time json_agg takes.
  deviceSessionsJson: (only = 'true', ordered = true) => `'[' || string_agg('[' || first_activity_at || ',' || last_activity_at || ',' || clock_offset_ms || ','
    || coalesce(idle_gaps, 'null') || coalesce(',' || signal_times, '') || ']', ','${ordered ? ' ORDER BY first_activity_at, id' : ''}) FILTER (WHERE ${only}) || ']'`,
  numberList: (column) => `coalesce(string_agg(${column}::text, ','), '')`,
  inList: (column, param, values) => ({ condition: `${column} = ANY(:${param})`, params: { [param]: values } }),
  // PostgreSQL keeps statistics and chooses its indexes itself.
  indexedBy: () => '',
  // Evaluated once, as an InitPlan, not per row.
  serialPlan: '(SELECT serial_plan())',
  walksIdsForSubqueryFilters: true,
  lockSession: 'SELECT lock_session(:sessionId)',
};

const compile = compiler('$');

/** Runs one statement on a pool or a transaction's client. */
async function run(db: pg.Pool | pg.PoolClient, { kind, sql, params }: Step): Promise<unknown> {
  const compiled = compile(sql);
  const values = bind(compiled, params);
  const result = await (kind === 'tuples' ? db.query({ text: compiled.text, values, rowMode: 'array' }) : db.query(compiled.text, values)).catch(
    (error: unknown) => {
      throw unavailableOr(error);
    },
  );
  return kind === 'changes' ? (result.rowCount ?? 0) : result.rows;
}

/** Runs a transaction's work, statement after statement, on its connection. */
async function perform(client: pg.PoolClient, work: Work<unknown>): Promise<unknown> {
  let next = work.next();
  while (!next.done) next = work.next(await run(client, next.value));
  return next.value;
}

/** Whether PostgreSQL aborted the statement to resolve a conflict: the work may succeed run again. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code !== undefined && RETRYABLE.has(code);
}

/**
 * Connects to `url`, migrates, and returns the driver over it; `onIdleError` hears of pooled
 * connections lost while idle (the pool replaces them).
 */
export async function openPostgresDriver(url: string, onIdleError: (error: Error) => void): Promise<SqlDriver> {
  const pool = await connectPostgres(url, onIdleError);
  const transaction = groupTransactions((callback) => inTransaction(pool, callback), perform, isRetryable);
  return {
    dialect,
    sharedByNodes: true,
    rows: async <T>(sql: string, params: Params = {}) => (await run(pool, { kind: 'rows', sql, params })) as T[],
    transaction,
    appendBatch: groupAppends({
      query: (sql, values) => queryRetrying(pool, sql, values),
      isUnavailable: (error) => error instanceof StorageUnavailableError,
      transaction,
    }),
    close: () => pool.end(),
  };
}
