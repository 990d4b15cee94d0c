/**
 * Who may read recordings: requests with `Authorization: Bearer <token>`, or browsers holding
 * the HttpOnly cookie /login sets. Ingest, /recorder.js, /demo and /healthz stay open.
 */
import { createHmac } from 'node:crypto';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { HttpError } from '../http/errors';
import { loginPage } from './loginPage';
import { tokenMatches } from './tokenMatches';

export const ADMIN_COOKIE = 'replay_admin';
const COOKIE_MAX_AGE_MS = 30 * 86_400_000;

/**
 * The cookie's value: derived from the token, so the token itself never sits in a cookie jar,
 * and a new token logs every browser out.
 */
export function adminCookieValue(token: string): string {
  return createHmac('sha256', token).update('session-replay admin cookie v1').digest('base64url');
}

/** The value of the request's cookie `name`. */
export function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

function bearer(req: Request): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** Only a path on this server: `//evil.test` or `/\evil.test` would leave it (an open redirect). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && !value.startsWith('/login') ? value : '/';
}

export interface AdminAuth {
  isAdmin(req: Request): boolean;
  /** For the read API: 401 JSON without the token. */
  requireApi: RequestHandler;
  /** For player pages: a browser without the cookie is sent to /login, and back after. */
  requirePage: RequestHandler;
  /** GET /login (the form, or `?token=` from the printed link) and POST /login (the form). */
  loginRouter: Router;
}

/** Guards for `token`. */
export function adminAuth(token: string): AdminAuth {
  const cookieValue = adminCookieValue(token);
  const isAdmin = (req: Request) =>
    tokenMatches(bearer(req), token) || tokenMatches(cookie(req, ADMIN_COOKIE), cookieValue);

  const requireApi: RequestHandler = (req, res, next) => {
    if (isAdmin(req)) return next();
    res.set('WWW-Authenticate', 'Bearer realm="session-replay"');
    throw new HttpError(401, 'unauthorized', 'the read API needs the admin token: Authorization: Bearer <token>, or log in at /login');
  };

  const requirePage: RequestHandler = (req, res, next) => {
    if (isAdmin(req)) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(401, 'unauthorized', 'log in at /login');
    res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  };

  const logIn = (req: Request, res: Response, given: unknown, next: string) => {
    res.set('Cache-Control', 'no-store');
    if (typeof given === 'string' && given !== '') {
      if (!tokenMatches(given, token)) {
        res.status(401).type('html').send(loginPage({ next, error: 'That is not the admin token.' }));
        return;
      }
      res.cookie(ADMIN_COOKIE, cookieValue, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        path: '/',
        maxAge: COOKIE_MAX_AGE_MS,
      });
      res.redirect(303, next);
      return;
    }
    if (isAdmin(req)) {
      res.redirect(303, next);
      return;
    }
    res.type('html').send(loginPage({ next }));
  };

  const loginRouter = Router();
  loginRouter.get('/login', (req, res) => logIn(req, res, req.query.token, safeNext(req.query.next)));
  loginRouter.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) =>
    logIn(req, res, req.body?.token, safeNext(req.body?.next)),
  );

  return { isAdmin, requireApi, requirePage, loginRouter };
}
