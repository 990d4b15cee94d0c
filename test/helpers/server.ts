/** Starts the real app on a free port over a real SQLite file in a temp dir. */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp, type AppOptions, type ReplayApp } from '../../server/app';

export interface TestServer {
  url: string;
  dataDir: string;
  replay: ReplayApp;
  /** Stops the server and closes the database; the data dir stays for a restart. */
  stop(): Promise<void>;
}

/** A fresh temp DATA_DIR. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'replay-test-'));
}

/** Starts createApp on 127.0.0.1 and `port` (default: one the OS picks). */
export async function startServer(options: Partial<AppOptions> = {}, port = 0): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const replay = createApp({ projects: ['demo'], ...options, dataDir });
  const server = await new Promise<Server>((resolve) => {
    const s = replay.app.listen(port, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dataDir,
    replay,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          replay.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
