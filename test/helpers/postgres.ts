/**
 * A throwaway PostgreSQL server from Debian's postgresql package: initdb into a temp dir as an
 * unprivileged user (PostgreSQL refuses to run as root), started on a free loopback port.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './freePort';

export interface PostgresServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  /** Shuts the server down, keeping its data, as an outage or a restart would. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
  /** Shuts it down and deletes its data. */
  stop(): Promise<void>;
}

/** uid and gid to run PostgreSQL as: ourselves, or when root the `postgres` (else `nobody`) user. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const users = fs.readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  const user = users.find((u) => u[0] === 'postgres') ?? users.find((u) => u[0] === 'nobody');
  if (!user) throw new Error('running as root and neither a postgres nor a nobody user exists to run PostgreSQL as');
  return { uid: Number(user[2]), gid: Number(user[3]) };
}

/**
 * Starts a server. `durable` false turns fsync off, which tests can afford; benchmarks keep it
 * on so commits cost what they cost in production.
 */
export async function startPostgres(binDir: string, { durable = false } = {}): Promise<PostgresServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-pg-'));
  const user = runAs();
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const init = spawnSync(path.join(binDir, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], {
    ...user,
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
  const port = await freePort();
  const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${dir}`, 'max_connections=200'];
  if (!durable) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const run = async () => {
    const server = spawn(path.join(binDir, 'postgres'), ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], {
      ...user,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    server.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    await waitUntilReady(url, () => server.exitCode !== null).catch((error: Error) => {
      server.kill('SIGKILL');
      throw new Error(`PostgreSQL did not start: ${error.message}\n${log}`);
    });
    return async () => {
      // SIGINT: PostgreSQL's fast shutdown, which ends open connections instead of waiting for them.
      if (server.exitCode === null) server.kill('SIGINT');
      await exited;
    };
  };
  let shutdown: (() => Promise<void>) | null = await run();
  const pause = async () => {
    await shutdown?.();
    shutdown = null;
  };
  return {
    url,
    pause,
    resume: async () => {
      shutdown ??= await run();
    },
    stop: async () => {
      await pause();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(url: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited()) throw new Error('the server exited');
    const client = new pg.Client(url);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Creates an empty database on the server at `adminUrl` and returns its URL. */
export async function createDatabase(adminUrl: string): Promise<string> {
  const name = `replay_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
