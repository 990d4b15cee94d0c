/**
 * Captured assets. The snippet asks which hashes the server lacks (one request for many) and
 * uploads only those, keyed by the SHA-256 the server checks; open to any origin and keyed by
 * project, as ingest. Reading them (GET /api/assets/:hash) needs the admin token.
 */
import { createHash } from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import {
  ASSET_HASH_PATTERN,
  MAX_ASSET_BYTES,
  MAX_ASSET_FETCHES_PER_REQUEST,
  MAX_ASSET_HASHES_PER_REQUEST,
  storedAssetType,
} from '../../shared/capturedAssets';
import type { AssetStore } from '../assets/assetStore';
import type { ServerCapture } from '../assets/captureOnServer';
import { sendCapturedAsset } from '../assets/sendCapturedAsset';
import { HttpError } from '../http/errors';
import { describeIssue } from '../ingest/batchSchema';
import { parseQuery } from '../http/parseQuery';
import { RateLimiter, type RateLimit } from '../http/rateLimit';
import { readBody } from '../http/readBody';

/** What the asset routes need. */
export interface CapturedAssetsOptions {
  assets: AssetStore;
  projects: ReadonlySet<string>;
  now: () => number;
  /** Fetches what the page could not read itself. */
  serverCapture: ServerCapture;
}

/**
 * Server fetches per project: a page view asks once, so this is many tabs a second, while
 * a project key (public in every page) cannot turn the server into a crawler.
 */
const SERVER_FETCH_RATE: RateLimit = { perSecond: 10, burst: 100 };

/** A list of hashes is 65 bytes each as JSON. */
const MAX_JSON_BYTES = 64 * 1024;

const project = z.string().min(1).max(64);
const hash = z.string().regex(ASSET_HASH_PATTERN, 'must be a SHA-256 in lowercase hex');
/** POST /api/assets/missing's body. */
export const missingSchema = z.object({ project, hashes: z.array(hash).max(MAX_ASSET_HASHES_PER_REQUEST) });
const httpUrl = z.url({ protocol: /^https?$/ }).max(2_048);
/** POST /api/assets/fetch's body. */
export const fetchSchema = z.object({ project, urls: z.array(httpUrl).max(MAX_ASSET_FETCHES_PER_REQUEST) });
/** PUT /api/assets/:hash's query. */
export const uploadQuerySchema = z.strictObject({ project });

// As ingest: no credentials, so `*` is safe; Max-Age spares a preflight per upload.
const allowAnyOrigin: RequestHandler = (_req, res, next) => {
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'POST, PUT, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '86400',
  });
  next();
};

function checkProject(projects: ReadonlySet<string>, name: unknown): void {
  if (typeof name !== 'string' || !projects.has(name)) {
    throw new HttpError(403, 'unknown_project', `project "${String(name)}" is not configured on this server`);
  }
}

/** Parses a small JSON body against `schema`. */
async function readJson<T>(req: Parameters<RequestHandler>[0], schema: z.ZodType<T>): Promise<T> {
  const body = await readBody(req, { maxBodyBytes: MAX_JSON_BYTES, maxInflatedBytes: MAX_JSON_BYTES });
  let json: unknown;
  try {
    json = JSON.parse(body.json.toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed_json', 'body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, 'invalid_request', describeIssue(parsed.error));
  return parsed.data;
}

/** POST /api/assets/missing, PUT /api/assets/:hash and POST /api/assets/fetch, for the snippet. */
export function assetUploadRouter({ assets, projects, now, serverCapture }: CapturedAssetsOptions): Router {
  const router = Router();
  const fetchLimiter = new RateLimiter(SERVER_FETCH_RATE);
  const preflight = (_req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => void res.status(204).end();
  router.options('/api/assets/missing', allowAnyOrigin, preflight);
  router.options('/api/assets/fetch', allowAnyOrigin, preflight);
  router.options('/api/assets/:hash', allowAnyOrigin, preflight);
  router.post('/api/assets/missing', allowAnyOrigin, async (req, res) => {
    const request = await readJson(req, missingSchema);
    checkProject(projects, request.project);
    res.json({ missing: await assets.missing(request.hashes) });
  });
  router.post('/api/assets/fetch', allowAnyOrigin, async (req, res) => {
    const request = await readJson(req, fetchSchema);
    checkProject(projects, request.project);
    const waitMs = fetchLimiter.take(request.project, now());
    if (waitMs > 0) {
      res.set('Retry-After', String(Math.ceil(waitMs / 1_000)));
      throw new HttpError(429, 'rate_limited', `project "${request.project}" asks the server to fetch more than it does; retry later`);
    }
    res.json({ assets: await serverCapture.capture(request.urls) });
  });
  router.put('/api/assets/:hash', allowAnyOrigin, async (req, res) => {
    checkProject(projects, parseQuery(uploadQuerySchema, req.query).project);
    const expected = String(req.params.hash);
    if (!ASSET_HASH_PATTERN.test(expected)) throw new HttpError(400, 'invalid_hash', 'an asset is named by the SHA-256 of its bytes, 64 lowercase hex digits');
    const contentType = storedAssetType(req.get('content-type'));
    if (!contentType) throw new HttpError(415, 'unsupported_type', 'only stylesheets, fonts and images are stored');
    const { raw } = await readBody(req, { maxBodyBytes: MAX_ASSET_BYTES, maxInflatedBytes: MAX_ASSET_BYTES });
    const actual = createHash('sha256').update(raw).digest('hex');
    if (actual !== expected) throw new HttpError(400, 'hash_mismatch', `the body's SHA-256 is ${actual}, not ${expected}`);
    await assets.put({ hash: actual, contentType, body: raw }, now());
    res.status(201).json({ hash: actual });
  });
  return router;
}

/**
 * GET /api/assets/:hash for whoever `mayRead` lets through (the admin; a share link's holder
 * for the assets its session names); anyone else goes on to the read API's guard.
 */
export function assetReadRouter({ assets, mayRead }: Pick<CapturedAssetsOptions, 'assets'> & { mayRead(req: Request, hash: string): Promise<boolean> }): Router {
  const router = Router();
  router.get('/api/assets/:hash', async (req, res, next) => {
    const hash = String(req.params.hash);
    if (!(await mayRead(req, hash))) return next();
    await sendCapturedAsset(res, assets, hash);
  });
  return router;
}
