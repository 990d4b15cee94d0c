/** Starts the real app on a free port over a real SQLite file in a temp dir. */
import { randomBytes } from 'node:crypto';
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
  /** The admin token guarding the read API and the player. */
  adminToken: string;
  /** fetch() on this server's read API (`path` starts with `/`), with whatever access it needs. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** A URL that logs a browser in (sets the admin cookie) and then opens `next` (a path). */
  loginUrl(next?: string): string;
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
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const replay = createApp({ projects: ['demo'], ...options, dataDir, adminToken });
  const server = await new Promise<Server>((resolve) => {
    const s = replay.app.listen(port, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dataDir,
    replay,
    adminToken,
    api: (apiPath, init) => {
      const headers = new Headers(init?.headers);
      if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${adminToken}`);
      return fetch(`${url}${apiPath}`, { ...init, headers });
    },
    loginUrl: (next = '/') => `${url}/login?token=${encodeURIComponent(adminToken)}&next=${encodeURIComponent(next)}`,
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
