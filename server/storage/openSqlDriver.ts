/** Chooses the database, once at start, from the configuration: sessions and captured assets live in it. */
import { openPostgresDriver } from './postgres/postgresDriver';
import type { SqlDriver } from './sql';
import { openSqliteDriver } from './sqlite/sqliteDriver';

/**
 * PostgreSQL's driver when `databaseUrl` is given (several server nodes can share it), else
 * SQLite's in `dataDir`; migrated. `onConnectionLost` hears of a pooled PostgreSQL connection
 * dropped while idle (a database restart or failover).
 */
export async function openSqlDriver(
  options: { dataDir: string; databaseUrl?: string },
  onConnectionLost: (error: Error) => void,
): Promise<SqlDriver> {
  if (options.databaseUrl === undefined) return openSqliteDriver(options.dataDir);
  return openPostgresDriver(options.databaseUrl, onConnectionLost).catch((error: Error) => {
    throw new Error(`cannot open the PostgreSQL database at DATABASE_URL: ${error.message}`, { cause: error });
  });
}
