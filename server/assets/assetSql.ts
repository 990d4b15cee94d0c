/**
 * The two thin database drivers the asset store runs on: the statements are written once with
 * `?` placeholders (assetStore.ts), only the connection and the column types differ here.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DATABASE_FILE } from '../storage/sqliteStorage';

/** Runs one statement; `all` answers its rows. */
export interface AssetSql {
  all<Row>(sql: string, params: unknown[]): Promise<Row[]>;
  run(sql: string, params: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** The tables, per dialect: bytes are BLOB in SQLite and BYTEA in PostgreSQL. */
function schema(bytes: string, integer: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS captured_assets (
      hash TEXT PRIMARY KEY,
      content_type TEXT NOT NULL,
      size ${integer} NOT NULL,
      body ${bytes} NOT NULL,
      created_at ${integer} NOT NULL
    )`,
    // Which sessions reference an asset: it goes with the last of them.
    `CREATE TABLE IF NOT EXISTS session_assets (
      session_id TEXT NOT NULL,
      hash TEXT NOT NULL,
      PRIMARY KEY (session_id, hash)
    )`,
    'CREATE INDEX IF NOT EXISTS session_assets_hash ON session_assets (hash)',
  ];
}

/** The asset tables in `DATA_DIR/replay.sqlite`, beside the sessions, on a connection of their own. */
export function openSqliteAssetSql(dataDir: string): AssetSql {
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  db.pragma('busy_timeout = 5000');
  for (const statement of schema('BLOB', 'INTEGER')) db.exec(statement);
  return {
    all: async <Row>(sql: string, params: unknown[]) => db.prepare(sql).all(...params) as Row[],
    run: async (sql, params) => db.prepare(sql).run(...params).changes,
    close: async () => void db.close(),
  };
}

/** `?` placeholders as PostgreSQL's `$1, $2, …`. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Connections for assets: uploads are few and short next to ingest. */
const POOL_SIZE = 3;

/** The asset tables in the PostgreSQL database at `url`. */
export async function openPostgresAssetSql(url: string): Promise<AssetSql> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  pool.on('error', (error) => console.error('[replay] idle PostgreSQL connection (assets) failed:', error.message));
  try {
    for (const statement of schema('BYTEA', 'BIGINT')) await pool.query(statement);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    all: async <Row>(sql: string, params: unknown[]) => (await pool.query(numbered(sql), params)).rows as Row[],
    run: async (sql, params) => (await pool.query(numbered(sql), params)).rowCount ?? 0,
    close: () => pool.end(),
  };
}

/** The asset tables in the same database the sessions are in. */
export function openAssetSql(options: { dataDir: string; databaseUrl?: string }): Promise<AssetSql> {
  return options.databaseUrl === undefined ? Promise.resolve(openSqliteAssetSql(options.dataDir)) : openPostgresAssetSql(options.databaseUrl);
}
