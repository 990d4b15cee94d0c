/**
 * Ingest throughput: concurrent clients POST gzipped batches of real recorded events (5-50 KB
 * compressed, bench/realBatches.ts; each client its own session and sequence numbers) to the
 * real server (createApp over a fresh SQLite file, in its own process), and in the same run to
 * two ceilings: a bare Express route that answers without storing, and the same bodies inserted
 * straight into better-sqlite3 (bench/sqliteCeiling.ts). After the real server stops, its file
 * must hold exactly the acknowledged batches. A sustained run and a CPU profile of the real
 * server under the same load follow. Prints medians over several runs.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { SESSION_TIMEOUT_MS } from '../shared/constants';
import { summarizeProfile } from './cpuProfile';
import { realBatches } from './realBatches';
import { spawnBenchServer, stopBenchServer } from './spawnServer';
import { runSqliteCeiling } from './sqliteCeiling';
import { median, percentile, type Row } from './stats';
import { checkStored } from './storedCheck';

const CLIENTS = 32;

export interface IngestRun {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  bytes: number;
  /** Batches answered in the slowest whole second of the run. */
  slowestSecond: number;
  /** Per session id, the sequence numbers answered 200. */
  acked: Map<string, number[]>;
}

/**
 * A gzipped batch. The events are compressed once, ahead of the timed loop; the
 * header (with this batch's seq) is a second gzip member in front: gunzip inflates
 * concatenated members to the concatenated text, so the server still inflates, parses,
 * validates and stores a whole batch, while the load generator stays cheap.
 */
function makeBody(sessionId: string, windowId: string, seq: number, eventsMember: Buffer): Buffer {
  const header = { project: 'demo', sessionId, windowId, deviceId: 'bench', seq, sentAt: Date.now(), sessionTimeoutMs: SESSION_TIMEOUT_MS };
  return Buffer.concat([gzipSync(`${JSON.stringify(header).slice(0, -1)},"events":`), eventsMember]);
}

function post(agent: http.Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, port, host: '127.0.0.1', path: '/api/ingest', method: 'POST', headers: { 'Content-Type': 'text/plain', 'Content-Length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One timed run: every client posts its next batch as soon as the previous one is answered. */
async function run(port: number, seconds: number, members: readonly Buffer[]): Promise<IngestRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  const perSecond = new Array<number>(seconds).fill(0);
  const acked = new Map<string, number[]>();
  let errors = 0;
  let bytes = 0;
  const begin = performance.now();
  const end = begin + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const sessionId = randomUUID();
      const windowId = randomUUID();
      const seqs: number[] = [];
      acked.set(sessionId, seqs);
      for (let seq = 0; performance.now() < end; seq++) {
        // Each client starts elsewhere in the recording, so the sizes mix at every moment.
        const body = makeBody(sessionId, windowId, seq, members[(seq + client * 7) % members.length]);
        bytes += body.length;
        const start = performance.now();
        const status = await post(agent, port, body).catch(() => 0);
        const done = performance.now();
        latencies.push(done - start);
        if (status === 200) seqs.push(seq);
        else errors++;
        const second = Math.floor((done - begin) / 1000);
        if (second < seconds) perSecond[second]++;
      }
    }),
  );
  agent.destroy();
  return {
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    bytes: bytes / latencies.length,
    slowestSecond: Math.min(...perSecond),
    acked,
  };
}

function rateRow(figure: string, r: readonly IngestRun[], extra = '', goal?: string): Row {
  const rates = r.map((x) => x.perSecond);
  return {
    figure,
    median: `${median(rates).toFixed(0)} batches/s`,
    range: `${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)}`,
    detail: `p50 ${median(r.map((x) => x.p50)).toFixed(1)} ms, p99 ${median(r.map((x) => x.p99)).toFixed(1)} ms, errors ${r.reduce((s, x) => s + x.errors, 0)}, ${(median(r.map((x) => x.bytes)) / 1024).toFixed(1)} KB/batch${extra}`,
    goal,
  };
}

/** What the real server stored against what it acknowledged, over `r`. */
function lossDetail(dataDir: string, r: readonly IngestRun[]): string {
  const check = checkStored(dataDir, new Map(r.flatMap((x) => [...x.acked])));
  const verdict = check.stored === check.acked && check.mismatched === 0 && check.gaps === 0 ? 'stored = acknowledged, no gaps' : `LOSS: ${check.mismatched} sessions differ, ${check.gaps} with gaps`;
  return `; ${check.stored} stored / ${check.acked} acknowledged: ${verdict}`;
}

/** The real server under `seconds` of load with `node --cpu-prof`: main-thread ms per cost. */
async function profile(members: readonly Buffer[], seconds: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-prof-'));
  const server = await spawnBenchServer(['real'], undefined, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const r = await run(server.port, seconds, members);
  await stopBenchServer(server);
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main one (tsx's loader has a worker).
  const file = fs.readdirSync(dir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
  if (!file) throw new Error(`no CPU profile in ${dir}`);
  const { totalMs, byCost } = summarizeProfile(path.join(dir, file));
  const batches = r.perSecond * seconds;
  // Loading modules is the process starting, not ingest.
  const work = [...byCost].filter(([cost]) => cost !== 'idle' && cost !== 'startup (module loading)').sort((a, b) => b[1] - a[1]);
  const busy = work.reduce((s, [, ms]) => s + ms, 0);
  const idle = byCost.get('idle') ?? 0;
  const shares = work.map(([cost, ms]) => `${cost} ${((100 * ms) / busy).toFixed(0)} %`).join(', ');
  return {
    figure: 'ingest, real server main thread (CPU profile)',
    median: `${(busy / batches).toFixed(2)} ms/batch`,
    range: '',
    detail: `${r.perSecond.toFixed(0)} batches/s while profiled for ${seconds} s; main thread idle ${((100 * idle) / totalMs).toFixed(0)} % of the run; of its ingest work: ${shares}`,
  };
}

/**
 * `runs` timed runs of `seconds` against the real server, the bare route and SQLite alone, then
 * `sustainedSeconds` on the real server and a profiled run of `profileSeconds`.
 */
export async function benchIngest(runs: number, seconds: number, sustainedSeconds: number, profileSeconds: number): Promise<Row[]> {
  const { members, eventCounts } = await realBatches();
  const sizes = members.map((m) => m.length / 1024);
  const source = `; ${members.length} bodies of ${Math.min(...sizes).toFixed(1)}–${Math.max(...sizes).toFixed(1)} KB from the recorded hour`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-ingest-'));
  const real = await spawnBenchServer(['real', dataDir]);
  const results: Record<'real' | 'bare' | 'sqlite', IngestRun[]> = { real: [], bare: [], sqlite: [] };
  for (let i = 0; i < runs; i++) results.real.push(await run(real.port, seconds, members));
  const sustained = await run(real.port, sustainedSeconds, members);
  await stopBenchServer(real);
  const bare = await spawnBenchServer(['bare']);
  for (let i = 0; i < runs; i++) results.bare.push(await run(bare.port, seconds, members));
  await stopBenchServer(bare);
  const bodies = members.map((m, i) => makeBody(`sqlite-${i}`, 'window', i, m));
  for (let i = 0; i < runs; i++) results.sqlite.push(runSqliteCeiling(bodies, eventCounts, CLIENTS, seconds));
  const rows = [
    rateRow('ingest, real server (SQLite)', results.real, `${source}${lossDetail(dataDir, [...results.real, sustained])}`),
    rateRow(
      `ingest, real server sustained ${sustainedSeconds} s`,
      [sustained],
      `, slowest second ${sustained.slowestSecond} batches`,
      `≥ 5000 batches/s for 60 s, p99 < 50 ms, 0 errors or losses`,
    ),
    rateRow('ingest ceiling: bare Express route', results.bare),
    rateRow('ingest ceiling: SQLite alone (1 tx/batch, FULL)', results.sqlite, ', in-process, no HTTP'),
  ];
  const lower = Math.min(median(results.bare.map((x) => x.perSecond)), median(results.sqlite.map((x) => x.perSecond)));
  const ratio = median(results.real.map((x) => x.perSecond)) / lower;
  rows.push({ figure: 'ingest: real / lower ceiling', median: ratio.toFixed(2), range: '', detail: `${CLIENTS} clients, ${runs} runs of ${seconds} s` });
  rows.push(await profile(members, profileSeconds));
  return rows;
}
