/**
 * The read-API queries of bench/queries.ts, timed over HTTP against one server process: each
 * runs several times, one request at a time, after a warm-up request; p50 and p95 are set
 * against the same server's /healthz round trip (the floor: HTTP and Express without any query).
 */
import http from 'node:http';
import { DAYS } from './generateSessions';
import { spawnBenchServer, stopBenchServer } from './spawnServer';
import { percentile, type Row } from './stats';

const TOKEN = 'bench-admin-token-0123456789';
const DAY_MS = 86_400_000;

function get(agent: http.Agent, port: number, url: string): Promise<{ status: number; body: string; ms: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get({ agent, port, host: '127.0.0.1', path: url, headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - start }));
      })
      .on('error', reject);
  });
}

/**
 * Starts bench/benchServer.ts with `serverArgs` over sessions generated up to `endMs` and times
 * the queries, `runs` times each (the retroactive timeouts a tenth as often); `label` ends each row's name;
 * only the HTTP floor and the queries whose name contains `only`, when given.
 */
export async function timeQueries(serverArgs: string[], endMs: number, runs: number, label: string, only?: string): Promise<Row[]> {
  const server = await spawnBenchServer(serverArgs, TOKEN);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const from = endMs - DAYS * DAY_MS;
    const week = endMs - 7 * DAY_MS;
    const range = `from=${from}&to=${endMs}`;
    const retroRuns = Math.max(3, Math.ceil(runs / 10));
    // A real cursor for the "page 2" query.
    const { nextCursor } = JSON.parse((await get(agent, server.port, '/api/sessions?sort=startedAt&limit=50')).body) as { nextCursor: string };
    const queries: [string, string, number, string?][] = [
      ['HTTP floor: /healthz', '/healthz', runs],
      ['list, by length, first page', '/api/sessions?sort=length&limit=50', runs, 'p95 < 20 ms'],
      ['list + minLengthMs=60000', '/api/sessions?sort=length&limit=50&minLengthMs=60000', runs, 'p95 < 20 ms'],
      ['list + last 7 days', `/api/sessions?sort=length&limit=50&from=${week}&to=${endMs}`, runs, 'p95 < 20 ms'],
      ['list + userId', '/api/sessions?sort=length&limit=50&userId=user-42', runs, 'p95 < 20 ms'],
      ['list + url contains', '/api/sessions?sort=length&limit=50&url=product/150', runs, 'p95 < 20 ms'],
      ['list + hasErrors', '/api/sessions?sort=length&limit=50&hasErrors=true', runs, 'p95 < 20 ms'],
      ['list + signal=rage,dead,error', '/api/sessions?sort=length&limit=50&signal=rage,dead,error', runs, 'p95 < 20 ms'],
      ['list + signal=error', '/api/sessions?sort=length&limit=50&signal=error', runs, 'p95 < 20 ms'],
      ['list, by frustration', '/api/sessions?sort=frustration&limit=50', runs, 'p95 < 20 ms'],
      ['list, by frustration, last 7 days', `/api/sessions?sort=frustration&limit=50&from=${week}&to=${endMs}`, runs, 'p95 < 20 ms'],
      ['list, by start, page 2', `/api/sessions?sort=startedAt&limit=50&cursor=${nextCursor}`, runs, 'p95 < 20 ms'],
      ['stats, 30 days', `/api/stats?${range}`, runs, 'p95 < 100 ms'],
      ['stats, 30 days, pow2, Europe/Paris', `/api/stats?${range}&buckets=pow2&tz=Europe/Paris`, runs, 'p95 < 100 ms'],
      ['stats, retroactive 10 min timeout', `/api/stats?${range}&timeoutMs=600000`, retroRuns, '≤ 500 ms'],
      ['stats, retroactive 2 h timeout', `/api/stats?${range}&timeoutMs=7200000`, retroRuns, '≤ 500 ms'],
    ];
    const rows: Row[] = [];
    let floor = 0;
    for (const [name, url, n, goal] of queries.filter(([name]) => name.startsWith('HTTP floor') || only === undefined || name.includes(only))) {
      await get(agent, server.port, url); // warm-up: the first read of a cold page cache is not what users see twice
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const { status, ms } = await get(agent, server.port, url);
        if (status !== 200) throw new Error(`${url} answered ${status}`);
        times.push(ms);
      }
      const p95 = percentile(times, 0.95);
      if (name.startsWith('HTTP floor')) floor = p95;
      rows.push({
        figure: `${name} (${label})`,
        median: `${percentile(times, 0.5).toFixed(1)} ms`,
        range: `${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)}`,
        detail: `p95 ${p95.toFixed(1)} ms${floor && !name.startsWith('HTTP') ? ` (${(p95 / floor).toFixed(0)}× floor)` : ''}, ${n} runs`,
        goal,
      });
    }
    return rows;
  } finally {
    agent.destroy();
    await stopBenchServer(server);
  }
}
