/** `GET /api/sessions/:id/export.html`: the session as one HTML file that replays offline, streamed. */
import { Router } from 'express';
import type { AssetStore } from '../assets/assetStore';
import { loadPlayerBundle } from '../export/playerBundle';
import { replayHtml } from '../export/replayHtml';
import { HttpError } from '../http/errors';
import type { Storage } from '../storage/storage';
import { parseQuery } from '../http/parseQuery';
import { parseSessionId } from './sessions';
import { noQuerySchema } from './shares';
import { writeText } from '../http/stream';

export interface ReplayExportOptions {
  storage: Storage;
  /** The captured assets the export embeds. */
  assets: AssetStore;
  now: () => number;
  /** Where the export player is built (dist/export). */
  exportDir: string;
}

/** The export route; the admin, or a share link's holder for its session (see auth/shareAccess.ts). */
export function replayExportRouter({ storage, assets, now, exportDir }: ReplayExportOptions): Router {
  const router = Router();
  router.get('/api/sessions/:id/export.html', async (req, res) => {
    parseQuery(noQuerySchema, req.query);
    const id = parseSessionId(req.params.id);
    const session = await storage.getSession(id, now());
    if (!session) throw new HttpError(404, 'not_found', `no session ${id}`);
    const bundle = loadPlayerBundle(exportDir);
    if (!bundle) throw new HttpError(503, 'not_built', 'the export player is not built: run npm run build');
    res.attachment(`session-${id}.html`);
    res.type('html');
    // The same policy as the file's own, should a browser show it rather than save it.
    res.set({ 'Content-Security-Policy': bundle.policy, 'Cache-Control': 'no-store' });
    for await (const part of replayHtml(session, storage.readChunks(id), assets.referencedBy(id), bundle)) {
      if (!(await writeText(res, part))) return;
    }
    res.end();
  });
  return router;
}
