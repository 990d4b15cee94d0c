/**
 * Ingest throughput by storage and number of server nodes, in one run with the load generator
 * and real batches of bench/ingest.ts, sent as envelopes: the real server over SQLite (the
 * baseline), a bare Express route on the same requests (the ceiling issue 15 holds a node
 * against), the server over a PostgreSQL database, and two server processes sharing one
 * PostgreSQL database, each client's batches alternating between them. PostgreSQL is a
 * throwaway server with fsync on, a fresh database per case. The cases take turns run by run, so
 * a slower minute of this shared machine falls on all of them. Afterwards each store must hold
 * exactly the acknowledged batches.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, startPostgres, type PostgresServer } from '../test/helpers/postgres';
import { postgresBinDir } from '../test/helpers/postgresBin';
import type { BatchSummary } from '../shared/summarizeBatch';
import { ackedOf, CLIENTS, rateRow, runLoad, summariesOf, type IngestRun } from './ingestLoad';
import { HAS_PROC, machineBusySeconds, postgresCpuSeconds, postmasterPid, processCpuSeconds } from './processCpu';
import { realBatches } from './realBatches';
import { spawnBenchServer, stopBenchServer, type BenchServer } from './spawnServer';
import { median, type Row } from './stats';
import { checkStored, storedVerdict, type StoredCheck } from './storedCheck';
import { checkStoredPostgres } from './storedCheckPostgres';

const GOAL = '≥ 5 000 batches/s, p99 < 50 ms';
/** An uncounted first run per case, so a node's JIT and the database's caches are warm when timing starts. */
const WARM_UP_SECONDS = 1;

interface Case {
  figure: string;
  nodes: BenchServer[];
  /** The case's own store, read once its nodes have stopped; none for the bare route, which stores nothing. */
  check?: (acked: ReadonlyMap<string, readonly number[]>) => StoredCheck | Promise<StoredCheck>;
  /** The PostgreSQL server's postmaster, whose CPU counts for the case. */
  postmaster?: number;
  warmUp?: IngestRun;
  runs: IngestRun[];
  /** CPU seconds over the timed runs by source ("node 1", "PostgreSQL", …), and their wall seconds. */
  cpu: Map<string, number>;
  wallSeconds: number;
}

function newCase(figure: string, nodes: BenchServer[], check?: Case['check'], postmaster?: number): Case {
  return { figure, nodes, check, postmaster, runs: [], cpu: new Map(), wallSeconds: 0 };
}

/** CPU seconds so far of everything that works during a case's run. */
function cpuNow(c: Case): Map<string, number> {
  const usage = process.cpuUsage();
  const sources = new Map<string, number>();
  c.nodes.forEach((node, i) => sources.set(c.nodes.length > 1 ? `node ${i + 1}` : 'node', processCpuSeconds(node.child.pid!)));
  if (c.postmaster !== undefined) sources.set('PostgreSQL', postgresCpuSeconds(c.postmaster));
  sources.set('load generator', (usage.user + usage.system) / 1e6);
  sources.set('machine', machineBusySeconds());
  return sources;
}

async function timedRun(c: Case, seconds: number, members: readonly Buffer[], summaries: readonly BatchSummary[]): Promise<void> {
  const ports = c.nodes.map((node) => node.port);
  if (!HAS_PROC) {
    c.runs.push(await runLoad(ports, seconds, members, summaries));
    return;
  }
  const before = cpuNow(c);
  const start = performance.now();
  c.runs.push(await runLoad(ports, seconds, members, summaries));
  c.wallSeconds += (performance.now() - start) / 1000;
  for (const [source, used] of cpuNow(c)) c.cpu.set(source, (c.cpu.get(source) ?? 0) + used - before.get(source)!);
}

/**
 * Where the CPU went, each source in % of one core; what the machine spent beyond them is other
 * processes' (this machine is shared), set against what its cores allow.
 */
function cpuDetail(c: Case): string {
  if (!HAS_PROC) return '';
  const share = (seconds: number) => ((100 * seconds) / c.wallSeconds).toFixed(0);
  const sources = [...c.cpu].filter(([source]) => source !== 'machine');
  const ours = sources.reduce((sum, [, seconds]) => sum + seconds, 0);
  const machine = c.cpu.get('machine')!;
  return `; CPU in % of a core: ${sources.map(([source, seconds]) => `${source} ${share(seconds)}`).join(', ')}, other processes ${share(machine - ours)}; machine ${share(machine)} of ${os.cpus().length * 100}`;
}

function rateOf(c: Case): number {
  return median(c.runs.map((r) => r.perSecond));
}

async function caseRow(c: Case, baseline: Case, extra = ''): Promise<Row> {
  const acked = ackedOf(c.warmUp ? [c.warmUp, ...c.runs] : c.runs);
  const ratio = c === baseline ? 'baseline' : `${(rateOf(c) / rateOf(baseline)).toFixed(2)}× SQLite`;
  const stored = c.check ? `; ${storedVerdict(await c.check(acked))}` : '';
  return rateRow(c.figure, c.runs, `; ${ratio}${extra}${stored}${cpuDetail(c)}`, GOAL);
}

/** The two PostgreSQL cases, each pushed onto `cases` as soon as its nodes run, so they are stopped whatever fails next. */
async function addPostgresCases(postgres: PostgresServer, cases: Case[]): Promise<void> {
  const postmaster = postmasterPid(Number(new URL(postgres.url).port));
  const oneUrl = await createDatabase(postgres.url);
  cases.push(newCase('ingest nodes: PostgreSQL, 1 node', [await spawnBenchServer(['postgres', oneUrl])], (acked) => checkStoredPostgres(oneUrl, acked), postmaster));
  const twoUrl = await createDatabase(postgres.url);
  const two = newCase('ingest nodes: PostgreSQL, 2 nodes', [], (acked) => checkStoredPostgres(twoUrl, acked), postmaster);
  cases.push(two);
  for (let i = 0; i < 2; i++) two.nodes.push(await spawnBenchServer(['postgres', twoUrl]));
}

/** `runs` timed runs of `seconds` per case, the cases taking turns. */
export async function benchIngestNodes(runs: number, seconds: number): Promise<Row[]> {
  const { members } = await realBatches();
  // Envelopes, as the recorder sends once loaded: the request path neither inflates nor parses the events.
  const summaries = summariesOf(members);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-nodes-'));
  const sqlite = newCase('ingest nodes: SQLite, 1 node', [await spawnBenchServer(['real', dataDir])], (acked) => checkStored(dataDir, acked));
  // The ceiling a node is held against: Express answering the same requests without storing them.
  const bare = newCase('ingest nodes: bare Express route', [await spawnBenchServer(['bare'])]);
  const cases = [sqlite, bare];
  const binDir = postgresBinDir();
  let postgres: PostgresServer | undefined;
  try {
    if (binDir) {
      postgres = await startPostgres(binDir, { durable: true });
      await addPostgresCases(postgres, cases);
    }
    for (const c of cases) c.warmUp = await runLoad(c.nodes.map((node) => node.port), WARM_UP_SECONDS, members, summaries);
    for (let i = 0; i < runs; i++) for (const c of cases) await timedRun(c, seconds, members, summaries);
    // Stopped before the checks: SQLite's file is read once its writer has gone, and every acknowledged batch is committed.
    await Promise.all(cases.flatMap((c) => c.nodes.map(stopBenchServer)));
    const rows = [
      await caseRow(sqlite, sqlite, `; ${CLIENTS} clients, ${runs} runs of ${seconds} s per case, the cases in turn; ${os.cpus().length} cores for all processes`),
      await caseRow(bare, sqlite),
    ];
    if (!binDir) {
      rows.push({ figure: 'ingest nodes: PostgreSQL', median: '—', range: '', detail: 'PostgreSQL binaries missing: install postgresql or set POSTGRES_BIN' });
      return rows;
    }
    const [one, two] = cases.slice(2);
    rows.push(await caseRow(one, sqlite, `, fsync on, ${(rateOf(one) / rateOf(bare)).toFixed(2)}× bare Express`));
    rows.push(await caseRow(two, sqlite, `, ${(rateOf(two) / rateOf(one)).toFixed(2)}× 1 node; each client's batches alternate between the nodes`));
    return rows;
  } finally {
    await Promise.all(cases.flatMap((c) => c.nodes.map(stopBenchServer)));
    await postgres?.stop();
  }
}
