/** The snippet (/recorder.js), the demo page (/demo) and the built player (/, /sessions/:id). */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { UUID_PATTERN } from '../../shared/uuid';
import { HttpError } from '../http/errors';

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

  router.get('/recorder.js', (_req, res) => {
    if (!fs.existsSync(paths.recorderFile)) throw notBuilt('recorder.js');
    // Any site may load the snippet; a short cache lets deploys of a new recorder reach users soon.
    res.set({ 'Cache-Control': 'public, max-age=300', 'Cross-Origin-Resource-Policy': 'cross-origin' });
    res.sendFile(paths.recorderFile);
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
  router.use(express.static(paths.playerDir, { index: false }));
  const index = path.join(paths.playerDir, 'index.html');
  router.get(pages, (_req, res) => {
    if (!fs.existsSync(index)) throw notBuilt('the player');
    res.sendFile(index);
  });
  return router;
}
