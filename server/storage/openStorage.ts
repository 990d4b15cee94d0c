/** Chooses where sessions are stored, once at start, from the app's options. */
import { openPostgresStorage } from './postgres/postgresStorage';
import { openSqliteStorage } from './sqliteStorage';
import type { Storage } from './storage';

/** PostgreSQL when `databaseUrl` is given (several server nodes can share it), else SQLite in `dataDir`. */
export async function openStorage(options: { dataDir: string; databaseUrl?: string }): Promise<Storage> {
  if (options.databaseUrl === undefined) return openSqliteStorage(options.dataDir);
  return openPostgresStorage(options.databaseUrl).catch((error: Error) => {
    throw new Error(`cannot open the PostgreSQL database at DATABASE_URL: ${error.message}`, { cause: error });
  });
}
