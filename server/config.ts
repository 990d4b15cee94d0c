/**
 * The server's configuration: one type, its defaults in one place (DEFAULT_CONFIG), and the
 * environment variables that override them (only this file and main.ts read process.env).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, type BodyLimits } from './http/limits';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './http/rateLimit';
import { LOG_LEVELS, type LogLevel } from './operating/logger';
import type { AssetPaths } from './routes/assets';

export interface ServerConfig {
  host: string;
  port: number;
  /** Where replay.sqlite and the generated admin token live. */
  dataDir: string;
  /** DATABASE_URL: store in this PostgreSQL database instead of DATA_DIR/replay.sqlite; several nodes can share it. */
  databaseUrl: string | undefined;
  /** Project keys the ingest accepts; the first is the demo page's. */
  projects: string[];
  /**
   * REPLAY_ADMIN_TOKEN; when unset, the one kept in the DATABASE_URL database, else one generated
   * into DATA_DIR at first start.
   */
  adminToken: string | undefined;
  /** Sessions that ended longer ago are deleted; 0 keeps everything. */
  retentionDays: number;
  /** Ingest batches per project; null turns the limit off. */
  rateLimit: RateLimit | null;
  limits: BodyLimits;
  /** The built snippet, player and demo page. */
  assets: AssetPaths;
  logLevel: LogLevel;
  /** GET /metrics without the admin token (METRICS_PUBLIC=1), for a scraper on a private network. */
  metricsPublic: boolean;
  /** REPLAY_ASSET_ALLOW_PRIVATE=1: the server may fetch assets from private addresses too (intranet sites, tests). */
  allowPrivateAssetFetch: boolean;
  /**
   * TRUST_PROXY: which reverse proxies' X-Forwarded-Proto/-Host/-For to believe (Express's
   * `trust proxy`: a hop count, or addresses, subnets and `loopback`/`linklocal`/`uniquelocal`);
   * false believes none. Share links, secure cookies and logged addresses follow it.
   */
  trustProxy: TrustProxy;
}

/** Express's `trust proxy` values this server accepts; `true` (trust anyone) is not one of them. */
export type TrustProxy = false | number | string[];

/** A short token could be guessed by anyone who can reach the server. */
const MIN_ADMIN_TOKEN_LENGTH = 16;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every default of the server. */
export const DEFAULT_CONFIG: Readonly<ServerConfig> = {
  host: '127.0.0.1',
  port: 3000,
  dataDir: 'data',
  databaseUrl: undefined,
  projects: ['demo'],
  adminToken: undefined,
  retentionDays: 30,
  rateLimit: DEFAULT_RATE_LIMIT,
  limits: DEFAULT_LIMITS,
  assets: {
    recorderFile: path.join(ROOT, 'dist/recorder/recorder.js'),
    playerDir: path.join(ROOT, 'dist/player'),
    exportDir: path.join(ROOT, 'dist/export'),
    demoFile: path.join(ROOT, 'server/demo/index.html'),
  },
  logLevel: 'info',
  metricsPublic: false,
  allowPrivateAssetFetch: false,
  trustProxy: false,
};

/**
 * DEFAULT_CONFIG with `overrides` (an undefined value keeps the default); a relative `dataDir`
 * is resolved against the working directory.
 */
export function configWith(overrides: Partial<ServerConfig>): ServerConfig {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...given };
  return { ...config, dataDir: path.resolve(config.dataDir) };
}

function nonNegative(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got "${text}"`);
  return value;
}

function oneOf<T extends string>(name: string, text: string, values: readonly T[]): T {
  if (!(values as readonly string[]).includes(text)) throw new Error(`${name} must be one of ${values.join(', ')}, got "${text}"`);
  return text as T;
}

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`PORT must be an integer from 0 to 65535, got "${text}"`);
  return value;
}

function projects(text: string): string[] {
  const keys = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (keys.length === 0) throw new Error('REPLAY_PROJECTS names no project');
  return keys;
}

function adminToken(text: string): string {
  if (text.length < MIN_ADMIN_TOKEN_LENGTH) throw new Error(`REPLAY_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  return text;
}

function databaseUrl(text: string): string {
  // Not echoed, unlike the other values: the URL usually holds the database password.
  if (!/^postgres(ql)?:\/\//.test(text)) throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  return text;
}

/** REPLAY_RATE_LIMIT batches per second, with bursts of as many seconds' worth as the default allows. */
function rateLimit(text: string): RateLimit | null {
  const perSecond = nonNegative('REPLAY_RATE_LIMIT', text);
  const burstSeconds = DEFAULT_RATE_LIMIT.burst / DEFAULT_RATE_LIMIT.perSecond;
  return perSecond === 0 ? null : { perSecond, burst: Math.max(1, Math.ceil(perSecond * burstSeconds)) };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A hop count, or a comma-separated list of addresses, subnets and Express's names for ranges. */
function trustProxy(text: string): TrustProxy {
  if (/^\d+$/.test(text)) return Number(text) === 0 ? false : Number(text);
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!PROXY_NAMES.has(entry) && !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry)) {
      throw new Error(`TRUST_PROXY must be a hop count or addresses, subnets, loopback, linklocal or uniquelocal, got "${entry}"`);
    }
  }
  return entries;
}

/**
 * Reads HOST, PORT, DATA_DIR, DATABASE_URL, REPLAY_PROJECTS, REPLAY_ADMIN_TOKEN, RETENTION_DAYS,
 * REPLAY_RATE_LIMIT, LOG_LEVEL, METRICS_PUBLIC, REPLAY_ASSET_ALLOW_PRIVATE and TRUST_PROXY; one unset or blank keeps its default.
 */
export function loadConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const read = <T>(name: string, parse: (text: string) => T): T | undefined => {
    const text = env[name]?.trim();
    return text ? parse(text) : undefined;
  };
  const text = (value: string) => value;
  return configWith({
    host: read('HOST', text),
    port: read('PORT', port),
    dataDir: read('DATA_DIR', text),
    databaseUrl: read('DATABASE_URL', databaseUrl),
    projects: read('REPLAY_PROJECTS', projects),
    adminToken: read('REPLAY_ADMIN_TOKEN', adminToken),
    retentionDays: read('RETENTION_DAYS', (value) => nonNegative('RETENTION_DAYS', value)),
    rateLimit: read('REPLAY_RATE_LIMIT', rateLimit),
    logLevel: read('LOG_LEVEL', (value) => oneOf('LOG_LEVEL', value, LOG_LEVELS)),
    metricsPublic: read('METRICS_PUBLIC', (value) => oneOf('METRICS_PUBLIC', value, ['0', '1']) === '1'),
    allowPrivateAssetFetch: read('REPLAY_ASSET_ALLOW_PRIVATE', (value) => oneOf('REPLAY_ASSET_ALLOW_PRIVATE', value, ['0', '1']) === '1'),
    trustProxy: read('TRUST_PROXY', trustProxy),
  });
}
