/**
 * Starts the real server, composed as main.ts composes it (openServer), on a free port over a
 * real SQLite file in a temp dir, or, in the `postgres` test project, over a fresh database on
 * the run's PostgreSQL server.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { configWith, type ServerConfig } from '../../server/config';
import { openServer, type ReplayServer, type ServerDeps } from '../../server/openServer';
import { createDatabase } from './postgres';

export interface TestServer {
  url: string;
  dataDir: string;
  replay: ReplayServer;
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

/** Which storage backend this test project runs on. */
export function backend(): 'sqlite' | 'postgres' {
  return inject('postgresUrl') ? 'postgres' : 'sqlite';
}

/** The PostgreSQL database standing for each DATA_DIR, so a restart finds its data again. */
const databases = new Map<string, Promise<string>>();

function databaseFor(dataDir: string): Promise<string> {
  let url = databases.get(dataDir);
  if (!url) {
    url = createDatabase(inject('postgresUrl'));
    databases.set(dataDir, url);
  }
  return url;
}

/** Configuration and dependencies a test may set; the rest is the server's defaults. */
export type ServerOptions = Partial<ServerConfig> & ServerDeps;

/**
 * Starts openServer on 127.0.0.1 and `port` (default: one the OS picks). An admin token is made
 * up unless `options` has the key `adminToken`, even undefined: then the server resolves its own.
 * Unlike the defaults, retention is off (tests run on fixed clocks) and only warnings are logged.
 */
export async function startServer(options: ServerOptions = {}, port = 0): Promise<TestServer> {
  const { now, playerMiddleware, logDestination, ...overrides } = options;
  const dataDir = options.dataDir ?? tempDataDir();
  const databaseUrl = options.databaseUrl ?? (backend() === 'postgres' ? await databaseFor(dataDir) : undefined);
  const token = 'adminToken' in options ? options.adminToken : randomBytes(24).toString('base64url');
  const config = configWith({ retentionDays: 0, logLevel: 'warn', ...overrides, dataDir, databaseUrl, adminToken: token });
  const replay = await openServer(config, { now, playerMiddleware, logDestination });
  const adminToken = replay.adminToken.token;
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
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await replay.close();
    },
  };
}
