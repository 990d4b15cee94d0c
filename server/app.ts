/** createApp: the whole server as an Express app, without listen(), so tests and main.ts share it. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import { errorHandler, HttpError } from './http';
import type { BodyLimits } from './readBody';
import { assetsRouter, type AssetPaths } from './routes/assets';
import { ingestRouter } from './routes/ingest';
import { sessionsRouter } from './routes/sessions';
import { openSqliteStorage } from './storage/sqliteStorage';
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

export interface AppOptions {
  dataDir: string;
  projects: string[];
  now?: () => number;
  limits?: BodyLimits;
  assets?: AssetPaths;
  playerMiddleware?: RequestHandler;
}

export interface ReplayApp {
  app: Express;
  storage: Storage;
  close(): void;
}

/** Builds the app over the SQLite file in `dataDir`. */
export function createApp(options: AppOptions): ReplayApp {
  const storage = openSqliteStorage(options.dataDir);
  const now = options.now ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(
    ingestRouter({
      storage,
      projects: new Set(options.projects),
      limits: options.limits ?? DEFAULT_LIMITS,
      now,
    }),
  );
  app.use(sessionsRouter({ storage, now }));
  app.use('/api', () => {
    throw new HttpError(404, 'not_found', 'no such API route');
  });
  app.use(
    assetsRouter({
      paths: options.assets ?? DEFAULT_ASSETS,
      demoProject: options.projects[0],
      playerMiddleware: options.playerMiddleware,
    }),
  );
  app.use(errorHandler);
  return { app, storage, close: () => storage.close() };
}
