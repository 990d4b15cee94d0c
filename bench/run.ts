/**
 * `npm run bench [-- --quick] [--only=size|overhead|ingest|nodes|queries|replay|export|assets|wire] [--rounds=N] [--minutes=M] [--pages=TEXT] [--queries=TEXT]`:
 * runs the benchmarks and prints one table.
 */
import os from 'node:os';
import { benchAssetUploads } from './assetUploads';
import { benchBundleSize } from './bundleSize';
import { benchExportSize } from './exportSize';
import { benchIngest } from './ingest';
import { benchIngestNodes } from './ingestNodes';
import { benchQueries } from './queries';
import { benchRecorderOverhead } from './recorderOverhead';
import { benchReplay } from './replaySpeed';
import { printTable } from './stats';
import { benchWireEncodings } from './wireEncodings';

const quick = process.argv.includes('--quick');
/**
 * `--rounds=N` overrides the rounds of the overhead benchmark; `--minutes=M` makes each of its
 * workloads last M minutes; `--pages=TEXT` keeps its pages whose name contains TEXT (e.g. TodoMVC);
 * `--queries=TEXT` keeps the query rows whose name contains TEXT (e.g. retroactive), and the HTTP floor.
 */
const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = quick ? 2 : 5;
const rounds = Number(option('rounds') ?? runs);
const minutes = Number(option('minutes') ?? 0);
const seconds = quick ? 2 : 10;

console.log(`# bench ${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · node ${process.version}${quick ? ' · quick' : ''}\n`);
const only = option('only');
const rows = [];
if (!only || only === 'size') rows.push(...(await benchBundleSize()));
if (!only || only === 'overhead') rows.push(...(await benchRecorderOverhead(rounds, quick, minutes, option('pages'))));
if (!only || only === 'ingest') rows.push(...(await benchIngest(runs, seconds, quick ? 5 : 60, quick ? 3 : 15)));
if (!only || only === 'nodes') rows.push(...(await benchIngestNodes(runs, seconds)));
if (!only || only === 'queries') rows.push(...(await benchQueries(quick ? 100_000 : 1_000_000, quick ? 10 : 50, option('queries'))));
if (!only || only === 'replay') rows.push(...(await benchReplay(quick ? 2 : 5)));
if (!only || only === 'export') rows.push(...(await benchExportSize(quick)));
if (!only || only === 'assets') rows.push(...(await benchAssetUploads()));
if (!only || only === 'wire') rows.push(...(await benchWireEncodings()));
printTable(rows);
