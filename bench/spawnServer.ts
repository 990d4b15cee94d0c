/** Starts bench/benchServer.ts in its own process and waits for the port it listens on. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface BenchServer {
  port: number;
  child: ChildProcess;
}

/** `args`: `real [dir]`, `bare`, `data <dir>` or `postgres <url>`; `adminToken` guards its read API; `nodeArgs` go to node (e.g. --cpu-prof). */
export async function spawnBenchServer(args: string[], adminToken = 'bench-admin-token-0123456789', nodeArgs: string[] = []): Promise<BenchServer> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'bench/benchServer.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_ADMIN_TOKEN: adminToken },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { port, child };
}

/** Stops the server and waits until it has exited (its profile written, its file free to read). */
export function stopBenchServer({ child }: BenchServer): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill();
  return exited;
}
