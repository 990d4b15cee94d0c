/**
 * The walk of a long retroactive timeout reads sessions_by_device_time in its order; PostgreSQL,
 * offered parallel workers, would rather scan and sort the table in parallel, about twice as
 * slow. The dialect's serialPlan condition keeps any query naming it off parallel plans.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSqlDriver } from '../../server/storage/openSqlDriver';
import type { SqlDriver } from '../../server/storage/sql';
import { createDatabase } from '../helpers/postgres';
import { tempDataDir } from '../helpers/server';

let url: string;
let driver: SqlDriver;
let client: pg.Client;

beforeAll(async () => {
  url = await createDatabase(inject('postgresUrl'));
  driver = await openSqlDriver({ dataDir: tempDataDir(), databaseUrl: url }, () => undefined);
  client = new pg.Client(url);
  await client.connect();
  // Every query that may run in parallel gets a Gather (the setting's name since PostgreSQL 16, then before).
  await client.query('SET debug_parallel_query = on').catch(() => client.query('SET force_parallel_mode = on'));
});
afterAll(async () => {
  await client?.end();
  await driver?.close();
});

const plan = async (where: string) =>
  (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT count(*) FROM sessions WHERE ${where}`)).rows.map((row) => row['QUERY PLAN']).join('\n');

describe('the serial plan condition on PostgreSQL', () => {
  it('keeps a query that the planner would run with parallel workers on one process', async () => {
    expect(await plan('first_activity_at IS NOT NULL')).toMatch(/Gather/);
    expect(await plan(`first_activity_at IS NOT NULL AND ${driver.dialect.serialPlan}`)).not.toMatch(/Gather/);
  });
});
