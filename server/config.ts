/** Server configuration from the environment (only this file and main.ts read process.env). */
import path from 'node:path';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './rateLimit';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** DATABASE_URL: store in this PostgreSQL database instead of DATA_DIR/replay.sqlite. */
  databaseUrl: string | undefined;
  projects: string[];
  /**
   * REPLAY_ADMIN_TOKEN; when unset, the one kept in the DATABASE_URL database, else one generated
   * into DATA_DIR at first start.
   */
  adminToken: string | undefined;
  /** Sessions that ended longer ago are deleted; 0 keeps everything. */
  retentionDays: number;
  /** Ingest per project; null when REPLAY_RATE_LIMIT is 0. */
  rateLimit: RateLimit | null;
  /** REPLAY_ASSET_ALLOW_PRIVATE=1: the server may fetch assets from private addresses too (intranet sites, tests). */
  allowPrivateAssetFetch: boolean;
}

/** A short token could be guessed by anyone who can reach the server. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;
export const DEFAULT_RETENTION_DAYS = 30;

function nonNegative(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got "${text}"`);
  return value;
}

/**
 * Reads HOST, PORT, DATA_DIR, DATABASE_URL, REPLAY_PROJECTS, REPLAY_ADMIN_TOKEN, RETENTION_DAYS
 * REPLAY_RATE_LIMIT and REPLAY_ASSET_ALLOW_PRIVATE.
 */
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
  const adminToken = env.REPLAY_ADMIN_TOKEN?.trim() || undefined;
  if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`REPLAY_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  // Not echoed, unlike the other values: the URL usually holds the database password.
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const perSecond = nonNegative(env, 'REPLAY_RATE_LIMIT', DEFAULT_RATE_LIMIT.perSecond);
  const burstSeconds = DEFAULT_RATE_LIMIT.burst / DEFAULT_RATE_LIMIT.perSecond;
  return {
    host: env.HOST || '127.0.0.1',
    port,
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    databaseUrl,
    projects,
    adminToken,
    retentionDays: nonNegative(env, 'RETENTION_DAYS', DEFAULT_RETENTION_DAYS),
    rateLimit: perSecond === 0 ? null : { perSecond, burst: Math.max(1, Math.ceil(perSecond * burstSeconds)) },
    allowPrivateAssetFetch: env.REPLAY_ASSET_ALLOW_PRIVATE === '1',
  };
}

/** The app's options from the configuration: everything but where to listen. */
export function appOptions({ host: _host, port: _port, ...options }: ServerConfig): Omit<ServerConfig, 'host' | 'port'> {
  return options;
}
