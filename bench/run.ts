/** `npm run bench [-- --quick] [--only=size|overhead|ingest|nodes|queries|replay|export]`: runs the benchmarks and prints one table. */
import os from 'node:os';
import { benchBundleSize } from './bundleSize';
import { benchExportSize } from './exportSize';
import { benchIngest } from './ingest';
import { benchIngestNodes } from './ingestNodes';
import { benchQueries } from './queries';
import { benchRecorderOverhead } from './recorderOverhead';
import { benchReplay } from './replaySpeed';
import { printTable } from './stats';

const quick = process.argv.includes('--quick');
const runs = quick ? 2 : 5;
const seconds = quick ? 2 : 10;

console.log(`# bench ${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · node ${process.version}${quick ? ' · quick' : ''}\n`);
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const rows = [];
if (!only || only === 'size') rows.push(...(await benchBundleSize()));
if (!only || only === 'overhead') rows.push(...(await benchRecorderOverhead(runs, quick)));
if (!only || only === 'ingest') rows.push(...(await benchIngest(runs, seconds, quick ? 5 : 60, quick ? 3 : 15)));
if (!only || only === 'nodes') rows.push(...(await benchIngestNodes(runs, seconds)));
if (!only || only === 'queries') rows.push(...(await benchQueries(quick ? 100_000 : 1_000_000, quick ? 10 : 50)));
if (!only || only === 'replay') rows.push(...(await benchReplay(quick ? 2 : 5)));
if (!only || only === 'export') rows.push(...(await benchExportSize(quick)));
printTable(rows);
