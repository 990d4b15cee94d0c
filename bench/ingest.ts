/**
 * Ingest throughput: concurrent clients POST gzipped batches of real recorded events (5-50 KB
 * compressed, bench/realBatches.ts; each client its own session and sequence numbers) to the
 * real server (createApp over a fresh SQLite file, in its own process), and in the same run to
 * two ceilings: a bare Express route that answers without storing, and the same bodies inserted
 * straight into better-sqlite3 (bench/sqliteCeiling.ts). After the real server stops, its file
 * must hold exactly the acknowledged batches. A sustained run and a CPU profile of the real
 * server under envelope load follow. Prints medians over several runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BatchSummary } from '../shared/summarizeBatch';
import { summarizeProfile } from './cpuProfile';
import { ackedOf, CLIENTS, makeBody, rateRow, runLoad, summariesOf, type IngestRun } from './ingestLoad';
import { HAS_PROC, threadCpuSeconds } from './processCpu';
import { realBatches } from './realBatches';
import { spawnBenchServer, stopBenchServer } from './spawnServer';
import { runSqliteCeiling } from './sqliteCeiling';
import { median, type Row } from './stats';
import { checkStored, storedVerdict } from './storedCheck';

/** What the real server stored against what it acknowledged, over `r`. */
function lossDetail(dataDir: string, r: readonly IngestRun[]): string {
  return `; ${storedVerdict(checkStored(dataDir, ackedOf(r)))}`;
}

/**
 * The real server under `seconds` of envelope load with `node --cpu-prof`: main-thread ms per
 * cost, and the CPU the process's threads used per batch (/proc), the main one and the others
 * (the chunk checker, V8's and libuv's helpers) apart.
 */
async function profile(members: readonly Buffer[], summaries: readonly BatchSummary[], seconds: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-prof-'));
  const server = await spawnBenchServer(['real'], undefined, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const pid = server.child.pid!;
  const before = HAS_PROC ? threadCpuSeconds(pid) : null;
  const r = await runLoad([server.port], seconds, members, summaries);
  const after = HAS_PROC ? threadCpuSeconds(pid) : null;
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
  const perBatch = work.map(([cost, ms]) => `${cost} ${((1000 * ms) / batches).toFixed(0)}`).join(', ');
  const cpu =
    before && after
      ? `; CPU per batch (µs, /proc): main thread ${((1e6 * (after.main - before.main)) / batches).toFixed(0)}, other threads ${((1e6 * (after.others - before.others)) / batches).toFixed(0)}`
      : '';
  return {
    figure: 'ingest, real server main thread (CPU profile, envelopes)',
    median: `${(busy / batches).toFixed(2)} ms/batch`,
    range: '',
    detail: `${r.perSecond.toFixed(0)} batches/s while profiled for ${seconds} s; main thread idle ${((100 * idle) / totalMs).toFixed(0)} % of the run${cpu}; its ingest work in µs per batch: ${perBatch}`,
  };
}

/**
 * `runs` timed runs of `seconds` against the real server, the bare route, the real server with
 * storage taken out and SQLite alone, then `sustainedSeconds` on the real server and a profiled
 * run of `profileSeconds`.
 */
export async function benchIngest(runs: number, seconds: number, sustainedSeconds: number, profileSeconds: number): Promise<Row[]> {
  const { members, eventCounts } = await realBatches();
  const sizes = members.map((m) => m.length / 1024);
  const source = `; ${members.length} bodies of ${Math.min(...sizes).toFixed(1)}–${Math.max(...sizes).toFixed(1)} KB from the recorded hour`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-ingest-'));
  const real = await spawnBenchServer(['real', dataDir]);
  const results: Record<'real' | 'envelope' | 'bare' | 'unstored' | 'sqlite', IngestRun[]> = { real: [], envelope: [], bare: [], unstored: [], sqlite: [] };
  const summaries = summariesOf(members);
  // JSON batches and envelopes take turns, so both meet the same load on the machine.
  for (let i = 0; i < runs; i++) {
    results.real.push(await runLoad([real.port], seconds, members));
    results.envelope.push(await runLoad([real.port], seconds, members, summaries));
  }
  // Sustained as the recorder sends: envelopes.
  const sustained = await runLoad([real.port], sustainedSeconds, members, summaries);
  await stopBenchServer(real);
  const bare = await spawnBenchServer(['bare']);
  const unstored = await spawnBenchServer(['unstored']);
  // Taking turns, so both meet the same load on the machine.
  for (let i = 0; i < runs; i++) {
    results.bare.push(await runLoad([bare.port], seconds, members));
    results.unstored.push(await runLoad([unstored.port], seconds, members, summaries));
  }
  await stopBenchServer(bare);
  await stopBenchServer(unstored);
  const bodies = members.map((m, i) => makeBody(`sqlite-${i}`, 'window', i, m));
  for (let i = 0; i < runs; i++) results.sqlite.push(runSqliteCeiling(bodies, eventCounts, CLIENTS, seconds));
  const rows = [
    rateRow('ingest, real server (SQLite)', results.real, `${source}${lossDetail(dataDir, [...results.real, ...results.envelope, sustained])}`),
    rateRow('ingest, real server (SQLite), envelopes', results.envelope, ', the recorder\'s summary beside the gzipped events: nothing inflated or parsed'),
    rateRow(
      `ingest, real server sustained ${sustainedSeconds} s, envelopes`,
      [sustained],
      `, slowest second ${sustained.slowestSecond} batches; ${(sustained.perSecond / median(results.bare.map((x) => x.perSecond))).toFixed(2)} × bare Express`,
      `≥ 0.7 × bare Express for 60 s, p99 < 50 ms, 0 errors or losses`,
    ),
    rateRow('ingest ceiling: bare Express route', results.bare),
    rateRow(
      'ingest ceiling: real server, storage taken out (envelopes)',
      results.unstored,
      `, every batch acknowledged unstored: the request path alone; ${(median(results.unstored.map((x) => x.perSecond)) / median(results.bare.map((x) => x.perSecond))).toFixed(2)} × bare Express`,
    ),
    rateRow('ingest ceiling: SQLite alone (1 tx/batch, FULL)', results.sqlite, ', in-process, no HTTP'),
  ];
  const lower = Math.min(median(results.bare.map((x) => x.perSecond)), median(results.sqlite.map((x) => x.perSecond)));
  const ratio = median(results.real.map((x) => x.perSecond)) / lower;
  rows.push({ figure: 'ingest: real / lower ceiling', median: ratio.toFixed(2), range: '', detail: `${CLIENTS} clients, ${runs} runs of ${seconds} s` });
  const bareRate = median(results.bare.map((x) => x.perSecond));
  const realOverBare = `JSON batches ${(median(results.real.map((x) => x.perSecond)) / bareRate).toFixed(2)}`;
  rows.push({
    figure: 'ingest: real / bare Express route',
    median: (median(results.envelope.map((x) => x.perSecond)) / bareRate).toFixed(2),
    range: '',
    detail: `envelopes; ${realOverBare}`,
    goal: '≥ 0.7',
  });
  rows.push(await profile(members, summaries, profileSeconds));
  return rows;
}
