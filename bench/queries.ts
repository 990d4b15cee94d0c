/**
 * Read-API speed over a large database: N generated sessions (bench/generateSessions.ts, 30
 * days, 1 000 users), the real server in its own process, requests over HTTP one at a time
 * (bench/timeQueries.ts): first over the SQLite file, then over the same sessions on
 * PostgreSQL (bench/queriesPostgres.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSessions } from './generateSessions';
import { benchQueriesPostgres } from './queriesPostgres';
import { schemaDigest } from './schemaDigest';
import type { Row } from './stats';
import { timeQueries } from './timeQueries';

/** Generated data ends at this fixed time, so a cached database stays valid across runs. */
const END_MS = Date.parse('2026-11-01T00:00:00Z');

/** The database of `count` sessions, generated once into the temp dir and reused afterwards. */
function database(count: number): { dir: string; generatedMs: number | null } {
  const dir = path.join(os.tmpdir(), `replay-bench-sessions-${count}-${schemaDigest()}`);
  const file = path.join(dir, 'replay.sqlite');
  if (fs.existsSync(path.join(dir, 'complete'))) return { dir, generatedMs: null };
  fs.rmSync(dir, { recursive: true, force: true });
  const start = performance.now();
  generateSessions(file, count, END_MS);
  fs.writeFileSync(path.join(dir, 'complete'), '');
  return { dir, generatedMs: performance.now() - start };
}

/**
 * The query rows over `count` sessions on SQLite, then on PostgreSQL, each followed by its
 * database's size; only those whose name contains `only`, when given.
 */
export async function benchQueries(count: number, runs: number, only?: string): Promise<Row[]> {
  const { dir, generatedMs } = database(count);
  const file = path.join(dir, 'replay.sqlite');
  const label = `${count.toLocaleString('en')} sessions`;
  const rows = await timeQueries(['data', dir], END_MS, runs, label, only);
  rows.push({
    figure: 'generated database',
    median: `${(fs.statSync(file).size / 1e6).toFixed(0)} MB`,
    range: '',
    detail: generatedMs === null ? 'reused from an earlier run' : `generated in ${(generatedMs / 1000).toFixed(0)} s`,
  });
  rows.push(...(await benchQueriesPostgres(file, END_MS, runs, label, only)));
  return rows;
}
