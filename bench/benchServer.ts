/**
 * The server side of the benchmarks, in its own process so the load generator does not share
 * its event loop: `real [dir]` is openServer (as main.ts composes it, logs included) over a fresh SQLite file (in `dir` when given); `bare` is an Express route that
 * reads the body and answers without parsing or storing (the ceiling Express itself allows);
 * `data <dir>` is openServer over an existing DATA_DIR (bench/queries.ts); `postgres <url>` is
 * openServer over that PostgreSQL database, which other nodes may share (bench/ingestNodes.ts);
 * `unstored` is `real` whose storage acknowledges every batch without storing it (bench/ingest.ts).
 * The admin token is BENCH_ADMIN_TOKEN; the rate limit is off, since measuring throughput is the point.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { configWith } from '../server/config';
import { openServer } from '../server/openServer';

const mode = process.argv[2];
let app: express.Express;
// Retention off: a pass deleting generated sessions would skew the figures.
const config = { adminToken: process.env.BENCH_ADMIN_TOKEN, rateLimit: null, retentionDays: 0 };
if (mode === 'real' || mode === 'data' || mode === 'unstored') {
  const dataDir = process.argv[3] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-'));
  const replay = await openServer(configWith({ ...config, dataDir }));
  // The real request path with storage taken out: what is left of the gap to bare Express once storage is not counted.
  if (mode === 'unstored') replay.storage.appendBatch = async () => ({ stored: true });
  app = replay.app;
} else if (mode === 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-'));
  app = (await openServer(configWith({ ...config, dataDir, databaseUrl: process.argv[3] }))).app;
} else if (mode === 'bare') {
  app = express();
  app.post('/api/ingest', async (req, res) => {
    for await (const _part of req);
    res.json({ ok: true, stored: true });
  });
} else {
  throw new Error('usage: benchServer.ts real [dir]|unstored|bare|data <dir>|postgres <url>');
}
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
// A clean exit on the bench's kill lets `node --cpu-prof` write its profile.
process.once('SIGTERM', () => process.exit(0));
