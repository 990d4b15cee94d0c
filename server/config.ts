/** Server configuration from the environment (only this file and main.ts read process.env). */
import path from 'node:path';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  projects: string[];
}

/** Reads HOST, PORT, DATA_DIR and REPLAY_PROJECTS, with the contract's defaults. */
export function loadConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
  }
  const projects = (env.REPLAY_PROJECTS ?? 'demo')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (projects.length === 0) throw new Error('REPLAY_PROJECTS names no project');
  return {
    host: env.HOST || '127.0.0.1',
    port,
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    projects,
  };
}
