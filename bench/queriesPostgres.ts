/**
 * bench/queries.ts on PostgreSQL: a throwaway server (fsync off: the figures are reads) holding
 * the sessions of the generated SQLite database, copied in each run (bench/copyToPostgres.ts),
 * and the real server in its own process over it (benchServer.ts `postgres <url>`).
 */
import pg from 'pg';
import { openPostgresDriver } from '../server/storage/postgres/postgresDriver';
import { createDatabase, startPostgres } from '../test/helpers/postgres';
import { postgresBinDir } from '../test/helpers/postgresBin';
import { copyToPostgres } from './copyToPostgres';
import type { Row } from './stats';
import { timeQueries } from './timeQueries';

/**
 * The query rows over `sqliteFile`'s sessions (generated up to `endMs`) on PostgreSQL, then the
 * database's size and load time; only those whose name contains `only`, when given.
 */
export async function benchQueriesPostgres(sqliteFile: string, endMs: number, runs: number, label: string, only?: string): Promise<Row[]> {
  const binDir = postgresBinDir();
  if (!binDir) {
    return [{ figure: 'queries: PostgreSQL', median: '—', range: '', detail: 'PostgreSQL binaries missing: install postgresql or set POSTGRES_BIN' }];
  }
  const postgres = await startPostgres(binDir, { durable: false });
  try {
    const url = await createDatabase(postgres.url);
    await (await openPostgresDriver(url, () => undefined)).close();
    const start = performance.now();
    await copyToPostgres(sqliteFile, url);
    const loadedMs = performance.now() - start;
    const rows = await timeQueries(['postgres', url], endMs, runs, `${label}, PostgreSQL`, only);
    rows.push({
      figure: 'PostgreSQL database',
      median: `${((await databaseBytes(url)) / 1e6).toFixed(0)} MB`,
      range: '',
      detail: `copied from the SQLite file and analysed in ${(loadedMs / 1000).toFixed(0)} s`,
    });
    return rows;
  } finally {
    await postgres.stop();
  }
}

async function databaseBytes(url: string): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    return Number(rows[0].bytes);
  } finally {
    await client.end();
  }
}
