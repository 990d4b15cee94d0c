/** Chooses where sessions are stored, once at start, from the app's options. */
import { openPostgresDriver } from './postgres/postgresDriver';
import { sqlStorage } from './sqlStorage';
import { openSqliteDriver } from './sqlite/sqliteDriver';
import type { Storage } from './storage';

/** PostgreSQL when `databaseUrl` is given (several server nodes can share it), else SQLite in `dataDir`. */
export async function openStorage(options: { dataDir: string; databaseUrl?: string }): Promise<Storage> {
  if (options.databaseUrl === undefined) return sqlStorage(openSqliteDriver(options.dataDir));
  const driver = await openPostgresDriver(options.databaseUrl).catch((error: Error) => {
    throw new Error(`cannot open the PostgreSQL database at DATABASE_URL: ${error.message}`, { cause: error });
  });
  return sqlStorage(driver);
}
