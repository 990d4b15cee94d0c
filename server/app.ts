/** createApp: the whole server as an Express app, without listen(), so tests and main.ts share it. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import { adminAuth } from './auth/adminAuth';
import { resolveAdminToken, resolveSharedAdminToken, type AdminToken } from './auth/adminToken';
import { MAX_ASSET_BYTES } from '../shared/capturedAssets';
import { errorHandler, HttpError } from './http';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './rateLimit';
import type { BodyLimits } from './readBody';
import { openAssetSql } from './assets/assetSql';
import { AssetStore } from './assets/assetStore';
import { createServerCapture } from './assets/captureOnServer';
import { isPublicAddress } from './assets/publicAddress';
import { assetHashesInEvents } from './assets/assetHashesInEvents';
import { assetsRouter, type AssetPaths } from './routes/assets';
import { assetReadRouter, assetUploadRouter } from './routes/capturedAssets';
import { ingestRouter } from './routes/ingest';
import { exportRouter } from './routes/export';
import { sessionsRouter } from './routes/sessions';
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

/** The server's own fetches of assets: a stylesheet and what it uses, none of them slow or big. */
const ASSET_FETCH_LIMITS = { maxBytes: MAX_ASSET_BYTES, timeoutMs: 10_000, maxRedirects: 5 };

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
  /** The server may fetch assets from private addresses too (intranet sites, tests); default false. */
  allowPrivateAssetFetch?: boolean;
}

export interface ReplayApp {
  app: Express;
  storage: Storage;
  adminToken: AdminToken;
  retention: Retention;
  /** Captured stylesheets, fonts and images; share links read them through sendCapturedAsset. */
  assets: AssetStore;
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
  const assets = await openAssetSql(options).then(
    (sql) => new AssetStore(sql),
    async (error: unknown) => {
      await storage.close();
      throw error;
    },
  );
  const auth = adminAuth(adminToken.token);
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
      referenceAssets: (sessionId, events) => assets.reference(sessionId, assetHashesInEvents(events)),
    }),
  );
  const allowed = options.allowPrivateAssetFetch ? () => true : isPublicAddress;
  const serverCapture = createServerCapture(assets, { ...ASSET_FETCH_LIMITS, allowed }, now);
  app.use(assetUploadRouter({ assets, projects: new Set(options.projects), now, serverCapture }));
  app.use(auth.loginRouter);
  // Everything under /api but ingest (answered above) needs the token, routes added later too.
  app.use('/api', auth.requireApi);
  app.use(exportRouter({ storage, now }));
  app.use(sessionsRouter({ storage, now, onDeleted: (id) => assets.forgetSession(id) }));
  app.use(assetReadRouter({ assets }));
  app.use(statsRouter({ storage, now }));
  app.use('/api', () => {
    throw new HttpError(404, 'not_found', 'no such API route');
  });
  app.use(
    assetsRouter({
      paths: options.assets ?? DEFAULT_ASSETS,
      demoProject: options.projects[0],
      playerMiddleware: options.playerMiddleware,
      requirePage: auth.requirePage,
    }),
  );
  app.use(errorHandler);
  const retention = startRetention(storage, options.retentionDays ?? 0, now, () => assets.collect(now()));
  return {
    app,
    storage,
    adminToken,
    retention,
    assets,
    close: async () => {
      retention.stop();
      await assets.close();
      await storage.close();
    },
  };
}
