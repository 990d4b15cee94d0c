/**
 * The snippet (/recorder.js and its /chunks/), the demo page (/demo) and the built player
 * (/, /sessions/:id), every file served precompressed (see staticFiles.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import { UUID_PATTERN } from '../../shared/uuid';
import { HttpError } from '../http/errors';
import { fileUnder, sendStatic } from './staticFiles';

export interface AssetPaths {
  /** The built snippet: dist/recorder/recorder.js. */
  recorderFile: string;
  /** The built player: dist/player. */
  playerDir: string;
  /** The player exported files carry inline: dist/export. */
  exportDir: string;
  /** The demo page's HTML. */
  demoFile: string;
}

export interface AssetsOptions {
  paths: AssetPaths;
  /** The project the demo page records into. */
  demoProject: string;
  /** Serves the player instead of playerDir (Vite's dev middleware). */
  playerMiddleware?: RequestHandler;
  /** Lets only the admin (and a share link's holder, its replay) see the player's pages. */
  requirePage: RequestHandler;
}

function notBuilt(what: string): HttpError {
  return new HttpError(503, 'not_built', `${what} is not built: run npm run build`);
}

/** Routes for the static parts of the product. */
export function assetsRouter({ paths, demoProject, playerMiddleware, requirePage }: AssetsOptions): Router {
  const router = Router();

  const recorderDir = path.dirname(paths.recorderFile);
  // Any site may load the snippet and, from its URL, its chunks (module scripts: CORS).
  const crossOrigin = { 'Cross-Origin-Resource-Policy': 'cross-origin', 'Access-Control-Allow-Origin': '*' };
  router.get('/recorder.js', (req, res) => {
    // A short cache, then a revalidation by ETag: a new release reaches sites within minutes.
    if (!sendStatic(req, res, paths.recorderFile, { cacheControl: 'public, max-age=300', headers: crossOrigin })) {
      throw notBuilt('recorder.js');
    }
  });
  router.get('/chunks/:name', (req, res, next) => {
    const file = fileUnder(path.join(recorderDir, 'chunks'), req.params.name);
    if (!file || !sendStatic(req, res, file, { cacheControl: 'no-cache', headers: crossOrigin })) next();
  });

  router.get('/demo', (_req, res) => {
    const html = fs.readFileSync(paths.demoFile, 'utf8').replaceAll('%PROJECT%', demoProject);
    res.type('html').send(html);
  });

  // An id that is not a UUID names no session: refused before it reaches the player (or a path).
  router.get('/sessions/:id', (req, _res, next) => {
    if (!UUID_PATTERN.test(req.params.id)) throw new HttpError(404, 'not_found', 'no such session');
    next();
  });
  const pages = ['/', '/sessions/:id'];
  router.get(pages, requirePage);
  if (playerMiddleware) {
    router.use(playerMiddleware);
    return router;
  }
  // The player's code and styles hold no data: only its pages need the login.
  router.use((req, res, next) => {
    const file = req.method === 'GET' || req.method === 'HEAD' ? fileUnder(paths.playerDir, req.path) : null;
    if (!file || !sendStatic(req, res, file, { cacheControl: 'no-cache' })) next();
  });
  const index = path.join(paths.playerDir, 'index.html');
  router.get(pages, (req, res) => {
    if (!sendStatic(req, res, index, { cacheControl: 'no-cache' })) throw notBuilt('the player');
  });
  return router;
}
