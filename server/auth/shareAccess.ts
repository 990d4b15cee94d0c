/**
 * What a share link grants: a browser that opened `/s/<token>` holds the token in an HttpOnly
 * cookie, and with it may GET that one session's replay page, summary, events and export. The
 * link is checked on every request, so a revoked or expired one stops working at once; every
 * other route answers as to anyone without the admin token.
 */
import { Router, type Request, type RequestHandler } from 'express';
import { HttpError } from '../http/errors';
import { resolveShare } from '../shares/resolveShare';
import type { ShareStore } from '../storage/queries/shares';
import { cookie, type AdminAuth } from './adminAuth';
import { deadSharePage } from './deadSharePage';

/** The cookie holding the token of the share link this browser opened last. */
export const SHARE_COOKIE = 'replay_share';

/** Under /api: the reads one replay needs. */
const SHARED_API = /^\/sessions\/([^/]+)(?:\/events|\/export\.html)?$/;
const SHARED_PAGE = /^\/sessions\/([^/]+)\/?$/;

export interface ShareAccess {
  /** For the read API: the admin, or a live link's holder on its own session's reads. */
  requireApi: RequestHandler;
  /** For player pages: the same, on the replay page of the link's session. */
  requirePage: RequestHandler;
  /** The session a live share link held by the request opens, or null. */
  sharedSession(req: Request): Promise<string | null>;
  /** GET /s/:token: checks the link, keeps its token in the cookie, goes on to the replay. */
  linkRouter: Router;
}

export interface ShareAccessOptions {
  auth: AdminAuth;
  shares: ShareStore;
  now: () => number;
}

/** Guards that let share links through to their one session, and the route opening a link. */
export function shareAccess({ auth, shares, now }: ShareAccessOptions): ShareAccess {
  /** The session the request's path names, when it is a GET a share holder may make. */
  const sharedPath = (req: Request, pattern: RegExp): string | null => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    return pattern.exec(req.path)?.[1]?.toLowerCase() ?? null;
  };

  const deadLink: RequestHandler = (_req, res) => {
    res.set('Cache-Control', 'no-store').status(403).type('html').send(deadSharePage());
  };

  /**
   * Lets a live link's holder through to its session. A page with a dead link says so; a page
   * of another session gets what anyone without the token gets, an API read of it a 403.
   */
  const guard =
    (pattern: RegExp, otherwise: RequestHandler, page: boolean): RequestHandler =>
    async (req, res, next) => {
      const token = cookie(req, SHARE_COOKIE);
      const sessionId = sharedPath(req, pattern);
      if (token === undefined || sessionId === null || auth.isAdmin(req)) return otherwise(req, res, next);
      const share = await resolveShare(shares, token, now());
      if (share === null) return (page ? deadLink : otherwise)(req, res, next);
      if (share.sessionId === sessionId) return next();
      if (page) return otherwise(req, res, next);
      throw new HttpError(403, 'forbidden', 'this share link opens another session only');
    };

  const linkRouter = Router();
  linkRouter.get('/s/:token', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const current = now();
    const share = await resolveShare(shares, req.params.token, current);
    if (share === null) {
      res.status(404).type('html').send(deadSharePage());
      return;
    }
    res.cookie(SHARE_COOKIE, req.params.token, {
      httpOnly: true,
      // Lax: the link is usually opened from another site (mail, a ticket), a top-level GET.
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: share.expiresAt - current,
    });
    res.redirect(303, `/sessions/${share.sessionId}`);
  });

  return {
    sharedSession: async (req) => {
      const token = cookie(req, SHARE_COOKIE);
      return token === undefined ? null : ((await resolveShare(shares, token, now()))?.sessionId ?? null);
    },
    requireApi: guard(SHARED_API, auth.requireApi, false),
    requirePage: guard(SHARED_PAGE, auth.requirePage, true),
    linkRouter,
  };
}
