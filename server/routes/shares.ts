/** Share links: create and list a session's (`/api/sessions/:id/shares`), revoke one (`/api/shares/:id`). */
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { CreatedShare, ShareLink } from '../../shared/api';
import { UUID_PATTERN } from '../../shared/uuid';
import { HttpError } from '../http/errors';
import { isShareLive, SHARE_DEFAULT_HOURS, SHARE_MAX_HOURS, shareExpiresAt } from '../shares/shareExpiry';
import { hashShareSecret, newShareToken } from '../shares/shareToken';
import type { Storage } from '../storage/storage';
import { parseQuery } from '../http/parseQuery';
import { parseSessionId } from './sessions';

/** The body of `POST /api/sessions/:id/shares`. */
export const createShareSchema = z.strictObject({
  expiresInHours: z.number().int().min(1).max(SHARE_MAX_HOURS).default(SHARE_DEFAULT_HOURS),
});

/** These routes take no query parameters. */
export const noQuerySchema = z.strictObject({});

/**
 * Where the server is reached as the request saw it, behind a trusted proxy (TRUST_PROXY) as the
 * browser saw it: the origin of the links it hands out.
 */
function origin(req: Request): string {
  return `${req.protocol}://${req.host}`;
}

function parseBody(body: unknown): z.output<typeof createShareSchema> {
  const parsed = createShareSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'invalid_body', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The share routes; all need the admin token (a link's holder cannot share further). */
export function sharesRouter({ storage, now }: { storage: Storage; now: () => number }): Router {
  const router = Router();

  const existingSession = async (raw: string): Promise<string> => {
    const id = parseSessionId(raw);
    if (!(await storage.getSession(id, now()))) throw new HttpError(404, 'not_found', `no session ${id}`);
    return id;
  };

  router.post('/api/sessions/:id/shares', express.json({ limit: '1kb' }), async (req, res) => {
    parseQuery(noQuerySchema, req.query);
    const { expiresInHours } = parseBody(req.body);
    const sessionId = await existingSession(req.params.id);
    const createdAt = now();
    const { id, secret, token } = newShareToken();
    const expiresAt = shareExpiresAt(createdAt, expiresInHours);
    await storage.shares.createShare({ id, sessionId, secretHash: hashShareSecret(secret), createdAt, expiresAt });
    const created: CreatedShare = { id, url: `${origin(req)}/s/${token}`, expiresAt: new Date(expiresAt).toISOString() };
    res.set('Cache-Control', 'no-store').status(201).json(created);
  });

  router.get('/api/sessions/:id/shares', async (req, res) => {
    parseQuery(noQuerySchema, req.query);
    const sessionId = await existingSession(req.params.id);
    const current = now();
    const shares: ShareLink[] = (await storage.shares.listShares(sessionId)).map((share) => ({
      id: share.id,
      createdAt: new Date(share.createdAt).toISOString(),
      expiresAt: new Date(share.expiresAt).toISOString(),
      expired: !isShareLive(share.expiresAt, current),
    }));
    res.json({ shares });
  });

  router.delete('/api/shares/:id', async (req, res) => {
    parseQuery(noQuerySchema, req.query);
    if (!UUID_PATTERN.test(req.params.id)) throw new HttpError(400, 'invalid_id', 'share id must be a UUID');
    if (!(await storage.shares.deleteShare(req.params.id.toLowerCase()))) throw new HttpError(404, 'not_found', 'no such share link');
    res.status(204).end();
  });

  return router;
}
