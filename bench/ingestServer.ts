/**
 * The server side of bench/ingest.ts, in its own process so the load generator does not share
 * its event loop: `real` is createApp over a fresh SQLite file; `bare` is an Express route that
 * reads the body and answers without parsing or storing (the ceiling Express itself allows).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app';

const mode = process.argv[2];
let app: express.Express;
if (mode === 'real') {
  app = createApp({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-')), projects: ['demo'] }).app;
} else if (mode === 'bare') {
  app = express();
  app.post('/api/ingest', async (req, res) => {
    for await (const _part of req);
    res.json({ ok: true, stored: true });
  });
} else {
  throw new Error('usage: ingestServer.ts real|bare');
}
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
// A clean exit on the bench's kill lets `node --cpu-prof` write its profile.
process.once('SIGTERM', () => process.exit(0));
