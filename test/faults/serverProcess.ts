/**
 * The real server as `npm start` runs it (server/main.ts under tsx), in its own process, so a
 * fault test can kill -9 it, send it SIGTERM and read its memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  adminToken: string;
  child: ChildProcess;
  /** Everything the process printed. */
  output(): string;
  /** What it printed on stdout only: its JSON log lines. */
  stdout(): string;
  /** fetch() with the admin token. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Peak resident memory of the process so far (VmHWM), in MB. */
  peakRssMb(): number;
  /** Starts peakRssMb() over from the memory the process holds now (Linux's clear_refs). */
  resetPeakRss(): void;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<number | NodeJS.Signals | null>;
}

export interface SpawnOptions {
  dataDir: string;
  port: number;
  adminToken?: string;
  env?: Record<string, string>;
}

/** Starts server/main.ts and resolves once /healthz answers. */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const { dataDir, port, adminToken = randomBytes(24).toString('base64url'), env = {} } = options;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      REPLAY_PROJECTS: 'demo',
      REPLAY_ADMIN_TOKEN: adminToken,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (d) => {
    output += d;
    stdout += d;
  });
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited at start:\n${output}`);
    const up = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    dataDir,
    adminToken,
    child,
    output: () => output,
    stdout: () => stdout,
    api: (path, init) => fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${adminToken}`, ...init?.headers } }),
    peakRssMb: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
    },
    resetPeakRss: () => fs.writeFileSync(`/proc/${child.pid}/clear_refs`, '5'),
    exited,
  };
}
