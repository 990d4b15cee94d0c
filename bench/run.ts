/** `npm run bench [-- --quick]`: runs every benchmark and prints one table. */
import os from 'node:os';
import { benchBundleSize } from './bundleSize';
import { benchIngest } from './ingest';
import { printTable } from './stats';

const quick = process.argv.includes('--quick');
const runs = quick ? 2 : 5;
const seconds = quick ? 2 : 10;

console.log(`# bench ${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · node ${process.version}${quick ? ' · quick' : ''}\n`);
printTable([...(await benchBundleSize()), ...(await benchIngest(runs, seconds))]);
