import { inject } from 'vitest';
import { openSqlDriver } from '../../server/storage/openSqlDriver';
import type { SqlDriver } from '../../server/storage/sql';
import { createDatabase } from './postgres';
import { backend, tempDataDir } from './server';

/** A SQL driver over a fresh, migrated store of the backend under test: a temp SQLite file or a new PostgreSQL database. */
export async function openTestDriver(): Promise<SqlDriver> {
  const databaseUrl = backend() === 'postgres' ? await createDatabase(inject('postgresUrl')) : undefined;
  // Nothing restarts the test's database, so no pooled connection is lost while idle.
  return openSqlDriver({ dataDir: tempDataDir(), databaseUrl }, () => undefined);
}
