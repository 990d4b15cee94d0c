/**
 * createApp: wires the routes over what main.ts (through openServer) opened. It opens nothing,
 * reads no file and starts no timer, and has no listen(), so tests drive the same app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type Request, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { adminAuth } from './auth/adminAuth';
import { MAX_ASSET_BYTES } from '../shared/capturedAssets';
import type { AssetStore } from './assets/assetStore';
import { createServerCapture } from './assets/captureOnServer';
import { isPublicAddress } from './assets/publicAddress';
import { shareAccess } from './auth/shareAccess';
import type { ServerConfig } from './config';
import { errorHandler, HttpError } from './http/errors';
import { everyAnswer } from './http/everyAnswer';
import { requestPath } from './operating/logger';
import type { Metrics } from './operating/metrics';
import { assetsRouter } from './routes/assets';
import { assetReadRouter, assetUploadRouter } from './routes/capturedAssets';
import { exportRouter } from './routes/export';
import { addIngestRoute } from './routes/ingest';
import { metricsRouter } from './routes/metrics';
import { openApiRouter } from './routes/openApi';
import { replayExportRouter } from './routes/replayExport';
import { sessionsRouter } from './routes/sessions';
import { sharesRouter } from './routes/shares';
import { statsRouter } from './routes/stats';
import type { Storage } from './storage/storage';

/** The server's own fetches of assets: a stylesheet and what it uses, none of them slow or big. */
const ASSET_FETCH_LIMITS = { maxBytes: MAX_ASSET_BYTES, timeoutMs: 10_000, maxRedirects: 5 };

export interface AppParts {
  storage: Storage;
  /** Captured stylesheets, fonts and images (replays that last). */
  assets: AssetStore;
  config: ServerConfig;
  logger: Logger;
  metrics: Metrics;
  /** Guards the read API, the player and (unless METRICS_PUBLIC) /metrics. */
  adminToken: string;
  now: () => number;
  /** Serves the player instead of the built files (Vite's dev middleware). */
  playerMiddleware?: RequestHandler;
}

/** The Express app: every route, in the order a request meets them. */
export function createApp({ storage, assets, config, logger, metrics, adminToken, now, playerMiddleware }: AppParts): Express {
  const auth = adminAuth(adminToken);
  const access = shareAccess({ auth, shares: storage.shares, now });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const every = everyAnswer({
    logger,
    metrics,
    // An accepted batch is routine; a refused one (and everything else) is logged at info.
    routine: (req, res) => requestPath(req) === '/api/ingest' && res.statusCode < 300,
    dev: playerMiddleware !== undefined,
  });
  // First: the route that takes thousands of requests a second.
  const ingest = addIngestRoute(app, every, {
    storage,
    projects: new Set(config.projects),
    limits: config.limits,
    rateLimit: config.rateLimit,
    now,
    metrics,
    referenceAssets: (sessionId, hashes) => assets.reference(sessionId, hashes),
  });
  // Every caller (listen, the tests, the benches) serves the app as a request listener: ingest
  // then goes ahead of Express's own request setup, whoever listens.
  const entry = app as Express & { handle(req: IncomingMessage, res: ServerResponse, callback?: unknown): void };
  const handle = entry.handle.bind(app);
  entry.handle = (req, res, callback) => {
    if (!ingest(req, res)) handle(req, res, callback);
  };
  app.use(every.middleware);
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  const allowed = config.allowPrivateAssetFetch ? () => true : isPublicAddress;
  const serverCapture = createServerCapture(assets, { ...ASSET_FETCH_LIMITS, allowed }, now);
  app.use(assetUploadRouter({ assets, projects: new Set(config.projects), now, serverCapture }));
  app.use(auth.loginRouter);
  app.use(access.linkRouter);
  app.use(metricsRouter({ registry: metrics.registry, guard: config.metricsPublic ? null : auth.requireApi }));
  // Everything under /api but ingest (answered above) needs the token, routes added later too;
  // a share link opens its one session's reads.
  // Before the API's guard: a share link's holder may read the captured assets its session names.
  const mayReadAsset = async (req: Request, hash: string): Promise<boolean> => {
    if (auth.isAdmin(req)) return true;
    const sessionId = await access.sharedSession(req);
    return sessionId !== null && (await assets.isReferencedBy(sessionId, hash));
  };
  app.use(assetReadRouter({ assets, mayRead: mayReadAsset }));
  app.use('/api', access.requireApi);
  app.use(openApiRouter());
  app.use(exportRouter({ storage, now }));
  app.use(replayExportRouter({ storage, assets, now, exportDir: config.assets.exportDir }));
  app.use(sharesRouter({ storage, now }));
  app.use(sessionsRouter({ storage, now, onDeleted: (id) => assets.forgetSession(id) }));
  app.use(statsRouter({ storage, now }));
  app.use('/api', () => {
    throw new HttpError(404, 'not_found', 'no such API route');
  });
  app.use(
    assetsRouter({
      paths: config.assets,
      demoProject: config.projects[0],
      playerMiddleware,
      requirePage: access.requirePage,
    }),
  );
  app.use(errorHandler);
  return app;
}
