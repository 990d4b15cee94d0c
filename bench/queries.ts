/**
 * Read-API speed over a large database: N generated sessions (bench/generateSessions.ts, 30
 * days, 1 000 users), the real server in its own process, requests over HTTP one at a time.
 * Each query runs several times; p50 and p95 are printed next to the same server's /healthz
 * round trip (the floor: HTTP and Express without any query).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DAYS, generateSessions } from './generateSessions';
import { schemaDigest } from './schemaDigest';
import { spawnBenchServer } from './spawnServer';
import { percentile, type Row } from './stats';

const TOKEN = 'bench-admin-token-0123456789';
const DAY_MS = 86_400_000;
/** Generated data ends at this fixed time, so a cached database stays valid across runs. */
const END_MS = Date.parse('2026-11-01T00:00:00Z');

function get(agent: http.Agent, port: number, url: string): Promise<{ status: number; ms: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ agent, port, host: '127.0.0.1', path: url, headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
      })
      .on('error', reject);
  });
}

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

export async function benchQueries(count: number, runs: number): Promise<Row[]> {
  const { dir, generatedMs } = database(count);
  const size = fs.statSync(path.join(dir, 'replay.sqlite')).size;
  const { port, child } = await spawnBenchServer(['data', dir], TOKEN);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const from = END_MS - DAYS * DAY_MS;
  const week = END_MS - 7 * DAY_MS;
  const range = `from=${from}&to=${END_MS}`;
  const retroRuns = Math.max(3, Math.ceil(runs / 10));
  const queries: [string, string, number, string?][] = [
    ['HTTP floor: /healthz', '/healthz', runs],
    ['list, by length, first page', '/api/sessions?sort=length&limit=50', runs, 'p95 < 20 ms'],
    ['list + minLengthMs=60000', '/api/sessions?sort=length&limit=50&minLengthMs=60000', runs, 'p95 < 20 ms'],
    ['list + last 7 days', `/api/sessions?sort=length&limit=50&from=${week}&to=${END_MS}`, runs, 'p95 < 20 ms'],
    ['list + userId', '/api/sessions?sort=length&limit=50&userId=user-42', runs, 'p95 < 20 ms'],
    ['list + url contains', '/api/sessions?sort=length&limit=50&url=product/150', runs, 'p95 < 20 ms'],
    ['list + hasErrors', '/api/sessions?sort=length&limit=50&hasErrors=true', runs, 'p95 < 20 ms'],
    ['list, by start, page 2', '/api/sessions?sort=startedAt&limit=50&cursor=', runs, 'p95 < 20 ms'],
    ['stats, 30 days', `/api/stats?${range}`, runs, 'p95 < 100 ms'],
    ['stats, 30 days, pow2, Europe/Paris', `/api/stats?${range}&buckets=pow2&tz=Europe/Paris`, runs, 'p95 < 100 ms'],
    ['stats, retroactive 10 min timeout', `/api/stats?${range}&timeoutMs=600000`, retroRuns, '< 2 s'],
    ['stats, retroactive 2 h timeout', `/api/stats?${range}&timeoutMs=7200000`, retroRuns, '< 2 s'],
  ];
  // A real cursor for the "page 2" query.
  const first = await new Promise<string>((resolve) => {
    http.get({ port, host: '127.0.0.1', path: '/api/sessions?sort=startedAt&limit=50', headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(JSON.parse(body).nextCursor));
    });
  });
  const rows: Row[] = [];
  let floor = 0;
  for (const [name, base, n, goal] of queries) {
    const url = base.endsWith('cursor=') ? `${base}${first}` : base;
    await get(agent, port, url); // warm-up: the first read of a cold page cache is not what users see twice
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const { status, ms } = await get(agent, port, url);
      if (status !== 200) throw new Error(`${url} answered ${status}`);
      times.push(ms);
    }
    const p95 = percentile(times, 0.95);
    if (name.startsWith('HTTP floor')) floor = p95;
    rows.push({
      figure: `${name} (${count.toLocaleString('en')} sessions)`,
      median: `${percentile(times, 0.5).toFixed(1)} ms`,
      range: `${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)}`,
      detail: `p95 ${p95.toFixed(1)} ms${floor && !name.startsWith('HTTP') ? ` (${(p95 / floor).toFixed(0)}× floor)` : ''}, ${n} runs`,
      goal,
    });
  }
  agent.destroy();
  child.kill();
  rows.push({
    figure: 'generated database',
    median: `${(size / 1e6).toFixed(0)} MB`,
    range: '',
    detail: generatedMs === null ? 'reused from an earlier run' : `generated in ${(generatedMs / 1000).toFixed(0)} s`,
  });
  return rows;
}
