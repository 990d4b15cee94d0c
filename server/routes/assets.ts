/** The snippet (/recorder.js), the demo page (/demo) and the built player (/, /sessions/:id). */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { HttpError } from '../http';

export interface AssetPaths {
  /** The built snippet: dist/recorder/recorder.js. */
  recorderFile: string;
  /** The built player: dist/player. */
  playerDir: string;
  /** The demo page's HTML. */
  demoFile: string;
}

export interface AssetsOptions {
  paths: AssetPaths;
  /** The project the demo page records into. */
  demoProject: string;
  /** Serves the player instead of playerDir (Vite's dev middleware). */
  playerMiddleware?: RequestHandler;
}

function notBuilt(what: string): HttpError {
  return new HttpError(503, 'not_built', `${what} is not built: run npm run build`);
}

/** Routes for the static parts of the product. */
export function assetsRouter({ paths, demoProject, playerMiddleware }: AssetsOptions): Router {
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

  if (playerMiddleware) {
    router.use(playerMiddleware);
    return router;
  }
  router.use(express.static(paths.playerDir, { index: false }));
  const index = path.join(paths.playerDir, 'index.html');
  router.get(['/', '/sessions/:id'], (_req, res) => {
    if (!fs.existsSync(index)) throw notBuilt('the player');
    res.sendFile(index);
  });
  return router;
}
