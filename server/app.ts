/** createApp: the whole server as an Express app, without listen(), so tests and main.ts share it. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import { adminAuth } from './auth/adminAuth';
import { shareAccess } from './auth/shareAccess';
import { resolveAdminToken, resolveSharedAdminToken, type AdminToken } from './auth/adminToken';
import { errorHandler, HttpError } from './http';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './rateLimit';
import type { BodyLimits } from './readBody';
import { assetsRouter, type AssetPaths } from './routes/assets';
import { ingestRouter } from './routes/ingest';
import { exportRouter } from './routes/export';
import { replayExportRouter } from './routes/replayExport';
import { sessionsRouter } from './routes/sessions';
import { sharesRouter } from './routes/shares';
import { statsRouter } from './routes/stats';
import { startRetention, type Retention } from './retention';
import { securityHeaders } from './securityHeaders';
import { openStorage } from './storage/openStorage';
import type { Storage } from './storage/storage';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the built snippet, player and demo page live in this checkout. */
export const DEFAULT_ASSETS: AssetPaths = {
  recorderFile: path.join(ROOT, 'dist/recorder/recorder.js'),
  playerDir: path.join(ROOT, 'dist/player'),
  exportDir: path.join(ROOT, 'dist/export'),
  demoFile: path.join(ROOT, 'server/demo/index.html'),
};

/**
 * Body limits. The recorder cuts batches at 512 KB of JSON, but one full snapshot of a heavy
 * page is a single event of several MB, and refusing it would lose the whole recording.
 */
export const DEFAULT_LIMITS: BodyLimits = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxInflatedBytes: 32 * 1024 * 1024,
};

export interface AppOptions {
  dataDir: string;
  /**
   * postgres://… : store in this PostgreSQL database instead of DATA_DIR/replay.sqlite; several
   * server nodes can share it.
   */
  databaseUrl?: string;
  projects: string[];
  now?: () => number;
  limits?: BodyLimits;
  assets?: AssetPaths;
  playerMiddleware?: RequestHandler;
  /**
   * Guards the read API and the player; default: the one kept in a shared database, else the one
   * in `dataDir`, created on first start.
   */
  adminToken?: string;
  /** Sessions that ended longer ago are deleted; default 0, keep everything. */
  retentionDays?: number;
  /** Ingest per project; null turns the limit off. */
  rateLimit?: RateLimit | null;
}

export interface ReplayApp {
  app: Express;
  storage: Storage;
  adminToken: AdminToken;
  retention: Retention;
  close(): Promise<void>;
}

/** The token given, else the one the shared database keeps, else the one kept in `dataDir`. */
async function adminTokenFor(options: AppOptions, storage: Storage): Promise<AdminToken> {
  if (options.adminToken || !storage.sharedAdminToken) return resolveAdminToken(options.dataDir, options.adminToken);
  return resolveSharedAdminToken(storage.sharedAdminToken.bind(storage));
}

/** Builds the app over its storage: the PostgreSQL database at `databaseUrl`, else the SQLite file in `dataDir`. */
export async function createApp(options: AppOptions): Promise<ReplayApp> {
  const storage = await openStorage(options);
  const now = options.now ?? Date.now;
  // An open connection pool would keep the process alive after a failed start.
  const adminToken = await adminTokenFor(options, storage).catch(async (error: unknown) => {
    await storage.close();
    throw error;
  });
  const auth = adminAuth(adminToken.token);
  const access = shareAccess({ auth, shares: storage.shares, now });
  const paths = options.assets ?? DEFAULT_ASSETS;
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ dev: options.playerMiddleware !== undefined }));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(
    ingestRouter({
      storage,
      projects: new Set(options.projects),
      limits: options.limits ?? DEFAULT_LIMITS,
      rateLimit: options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit,
      now,
    }),
  );
  app.use(auth.loginRouter);
  app.use(access.linkRouter);
  // Everything under /api but ingest (answered above) needs the token, routes added later too;
  // a share link opens its one session's reads.
  app.use('/api', access.requireApi);
  app.use(exportRouter({ storage, now }));
  app.use(replayExportRouter({ storage, now, exportDir: paths.exportDir }));
  app.use(sharesRouter({ storage, now }));
  app.use(sessionsRouter({ storage, now }));
  app.use(statsRouter({ storage, now }));
  app.use('/api', () => {
    throw new HttpError(404, 'not_found', 'no such API route');
  });
  app.use(
    assetsRouter({
      paths,
      demoProject: options.projects[0],
      playerMiddleware: options.playerMiddleware,
      requirePage: access.requirePage,
    }),
  );
  app.use(errorHandler);
  const retention = startRetention(storage, options.retentionDays ?? 0, now);
  return {
    app,
    storage,
    adminToken,
    retention,
    close: async () => {
      retention.stop();
      await storage.close();
    },
  };
}
