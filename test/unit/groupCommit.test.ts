/**
 * SQLite group commit: transactions asked for in one event-loop turn share one commit (another
 * connection sees none of them until the last has run), and each resolves only after it and
 * the fsync of the WAL begun after it.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it, vi } from 'vitest';
import { bind, changes, compiler, rows, type Step } from '../../server/storage/sql';
import { groupCommit } from '../../server/storage/sqlite/groupCommit';
import { openDatabase } from '../../server/storage/sqlite/openDatabase';
import { DATABASE_FILE, openSqliteDriver } from '../../server/storage/sqlite/sqliteDriver';
import { tempDataDir } from '../helpers/server';

const dataDir = tempDataDir();
const driver = openSqliteDriver(dataDir);
const other = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
afterAll(async () => {
  other.close();
  await driver.close();
});

const visibleElsewhere = () => (other.prepare('SELECT count(*) AS n FROM urls').get() as { n: number }).n;

it('commits the transactions of one turn together, after the last of them', async () => {
  const seenByOthers: number[] = [];
  const insert = (url: string) =>
    driver.transaction(function* () {
      yield* changes('INSERT INTO urls (url) VALUES (:url)', { url });
      seenByOthers.push(visibleElsewhere());
      return url;
    });
  const failing = driver.transaction(function* () {
    yield* changes('INSERT INTO urls (url) VALUES (:url)', { url: 'https://c.test/' });
    throw new Error('this one fails');
  });
  const results = await Promise.allSettled([insert('https://a.test/'), failing, insert('https://b.test/')]);
  expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
    'https://a.test/',
    'this one fails',
    'https://b.test/',
  ]);
  // One commit for all three: while the third ran, the first was not yet visible to another connection.
  expect(seenByOthers).toEqual([0, 0]);
  expect(visibleElsewhere()).toBe(2);
  const stored = await driver.rows<{ url: string }>('SELECT url FROM urls ORDER BY url');
  expect(stored.map((r) => r.url)).toEqual(['https://a.test/', 'https://b.test/']);
});

it('runs a transaction of a later turn in a commit of its own', async () => {
  await driver.transaction(function* () {
    yield* changes('INSERT INTO urls (url) VALUES (:url)', { url: 'https://d.test/' });
  });
  const [row] = await driver.transaction(() => rows<{ n: number }>('SELECT count(*) AS n FROM urls'));
  expect(row.n).toBe(3);
  expect(visibleElsewhere()).toBe(3);
});

it('resolves a committed transaction only once the sync begun after its commit is done', async () => {
  const db = openDatabase(path.join(tempDataDir(), DATABASE_FILE));
  const compile = compiler('?');
  const run = ({ sql, params }: Step) => db.prepare(compile(sql).text).run(...bind(compile(sql), params)).changes;
  let syncsBegun = 0;
  let finishSync = (): void => undefined;
  const transaction = groupCommit(db, run, () => {
    syncsBegun++;
    return new Promise<void>((resolve) => (finishSync = resolve));
  });
  let resolved = false;
  const insert = transaction(function* () {
    return yield* changes('INSERT INTO urls (url) VALUES (:url)', { url: 'https://e.test/' });
  }).then((n) => {
    resolved = true;
    return n;
  });
  await vi.waitFor(() => expect(syncsBegun).toBe(1));
  // Committed (another reader sees it), yet not acknowledged while its sync runs.
  expect((db.prepare('SELECT count(*) AS n FROM urls').get() as { n: number }).n).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(resolved).toBe(false);
  finishSync();
  expect(await insert).toBe(1);
  db.close();
});
