/**
 * The composition root's work, as a function main.ts and the tests both call: opens storage,
 * resolves the admin token, builds the logger and the metrics, starts retention, and hands
 * them to createApp.
 */
import type { Express, RequestHandler } from 'express';
import type { DestinationStream, Logger } from 'pino';
import { createApp } from './app';
import { AssetStore } from './assets/assetStore';
import { resolveAdminToken, resolveSharedAdminToken, type AdminToken } from './auth/adminToken';
import type { ServerConfig } from './config';
import { createLogger } from './operating/logger';
import { createMetrics, type Metrics } from './operating/metrics';
import { startRetention, type Retention } from './retention';
import { startChunkChecker, type ChunkChecker } from './checking/chunkChecker';
import { openSqlDriver } from './storage/openSqlDriver';
import { sqlStorage } from './storage/sqlStorage';
import type { Storage } from './storage/storage';

/** What is not configuration: the clock, the dev player, where logs go (default stdout). */
export interface ServerDeps {
  now?: () => number;
  playerMiddleware?: RequestHandler;
  logDestination?: DestinationStream;
}

export interface ReplayServer {
  app: Express;
  storage: Storage;
  adminToken: AdminToken;
  retention: Retention;
  /** Captured stylesheets, fonts and images; share links read them through sendCapturedAsset. */
  assets: AssetStore;
  chunkChecker: ChunkChecker;
  logger: Logger;
  metrics: Metrics;
  /** Stops retention and the chunk checker, and closes the storage. */
  close(): Promise<void>;
}

/** The configured token, else the one the shared database keeps, else the one kept in DATA_DIR. */
async function adminTokenFor(config: ServerConfig, storage: Storage): Promise<AdminToken> {
  if (config.adminToken || !storage.sharedAdminToken) return resolveAdminToken(config.dataDir, config.adminToken);
  return resolveSharedAdminToken(storage.sharedAdminToken.bind(storage));
}

/** Everything the server needs, opened and wired; listening is left to the caller. */
export async function openServer(config: ServerConfig, deps: ServerDeps = {}): Promise<ReplayServer> {
  const now = deps.now ?? Date.now;
  const logger = createLogger(config.logLevel, deps.logDestination);
  // One database for both: sessions and the captured assets their recordings name.
  const driver = await openSqlDriver(config, (error) => logger.warn({ err: error }, 'idle PostgreSQL connection lost'));
  const storage = sqlStorage(driver);
  const assets = new AssetStore(driver);
  // An open connection pool would keep the process alive after a failed start.
  const adminToken = await adminTokenFor(config, storage).catch(async (error: unknown) => {
    await storage.close();
    throw error;
  });
  const metrics = createMetrics();
  const retention = startRetention({ storage, days: config.retentionDays, now, logger, metrics, afterPass: () => assets.collect(now()) });
  const chunkChecker = startChunkChecker(storage, config.limits.maxInflatedBytes, logger);
  const app = createApp({ storage, assets, config, logger, metrics, adminToken: adminToken.token, now, playerMiddleware: deps.playerMiddleware });
  return {
    app,
    storage,
    adminToken,
    retention,
    assets,
    chunkChecker,
    logger,
    metrics,
    close: async () => {
      retention.stop();
      await chunkChecker.stop();
      await storage.close();
    },
  };
}
