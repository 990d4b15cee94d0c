/** `npm run bench [-- --quick] [--only=size|ingest|queries]`: runs the benchmarks and prints one table. */
import os from 'node:os';
import { benchBundleSize } from './bundleSize';
import { benchIngest } from './ingest';
import { benchQueries } from './queries';
import { printTable } from './stats';

const quick = process.argv.includes('--quick');
const runs = quick ? 2 : 5;
const seconds = quick ? 2 : 10;

console.log(`# bench ${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · node ${process.version}${quick ? ' · quick' : ''}\n`);
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const rows = [];
if (!only || only === 'size') rows.push(...(await benchBundleSize()));
if (!only || only === 'ingest') rows.push(...(await benchIngest(runs, seconds)));
if (!only || only === 'queries') rows.push(...(await benchQueries(quick ? 100_000 : 1_000_000, quick ? 10 : 50)));
printTable(rows);
