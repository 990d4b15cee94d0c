/** POST /api/ingest: validate, store durably, then acknowledge. Open to any origin (the snippet runs on other sites). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, RequestHandler } from 'express';
import type { IngestAck } from '../../shared/wire';
import { answerError, HttpError } from '../http/errors';
import type { EveryAnswer } from '../http/everyAnswer';
import type { BodyLimits } from '../http/limits';
import { RateLimiter, type RateLimit } from '../http/rateLimit';
import { readBody } from '../http/readBody';
import { acceptBatch } from '../ingest/acceptBatch';
import type { Metrics } from '../operating/metrics';
import type { Storage } from '../storage/storage';

export interface IngestOptions {
  storage: Storage;
  projects: ReadonlySet<string>;
  limits: BodyLimits;
  /** Batches per project; null for no limit. */
  rateLimit: RateLimit | null;
  now: () => number;
  metrics: Metrics;
  /** After a batch is stored: records which captured assets its `$assets` events name. */
  referenceAssets?: (sessionId: string, hashes: readonly string[]) => Promise<void>;
}

// No credentials, so `*` is safe; Max-Age spares clients that send JSON a preflight per batch.
// Retry-After is not a CORS-safelisted header: without the expose, the snippet could not read it.
const CORS_HEADERS = Object.entries({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Retry-After',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding',
  'Access-Control-Max-Age': '86400',
});

function allowAnyOrigin(res: ServerResponse): void {
  for (const [name, value] of CORS_HEADERS) res.setHeader(name, value);
}

/**
 * The two acknowledgements, serialised once: res.json would stringify and hash (ETag) each
 * one, a tenth of the ingest route's time under load, for an answer no cache keeps.
 */
const ACKS = new Map(
  [true, false].map((stored) => {
    const ack: IngestAck = { ok: true, stored };
    return [stored, Buffer.from(JSON.stringify(ack))];
  }),
);

/** Answers a request for the route's path: a preflight, or a batch stored before its acknowledgement. */
function ingestAnswer(options: IngestOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limiter = options.rateLimit ? new RateLimiter(options.rateLimit) : null;
  const { ingestBatches, ingestBytes, ingestStorageSeconds } = options.metrics;
  const storeBatch = async (req: IncomingMessage, res: ServerResponse) => {
    res.once('finish', () => ingestBatches.inc({ status: String(res.statusCode) }));
    const receivedAt = options.now();
    const body = await readBody(req, options.limits);
    ingestBytes.inc(body.raw.length);
    const { fields: batch, summary, recording, eventsRead } = acceptBatch(body, options.limits);
    if (!options.projects.has(batch.project)) {
      throw new HttpError(403, 'unknown_project', `project "${batch.project}" is not configured on this server`);
    }
    const waitMs = limiter?.take(batch.project, receivedAt) ?? 0;
    if (waitMs > 0) {
      res.setHeader('Retry-After', String(Math.ceil(waitMs / 1_000)));
      throw new HttpError(429, 'rate_limited', `project "${batch.project}" sends more batches than this server accepts; retry later`);
    }
    const stopStorageTimer = ingestStorageSeconds.startTimer();
    const sessionId = batch.sessionId.toLowerCase();
    const { stored } = await options.storage.appendBatch({
      project: batch.project,
      sessionId,
      windowId: batch.windowId.toLowerCase(),
      deviceId: batch.deviceId,
      seq: batch.seq,
      sessionTimeoutMs: batch.sessionTimeoutMs,
      userAgent: batch.userAgent ?? req.headers['user-agent'] ?? null,
      receivedAt,
      clockOffsetMs: receivedAt - batch.sentAt,
      summary,
      recording,
      eventsRead,
      droppedBatches: batch.droppedBatches ?? 0,
    });
    stopStorageTimer();
    // Also on a repeat: the first attempt may have stored the batch and failed here.
    await options.referenceAssets?.(sessionId, summary.assetHashes);
    const ack = ACKS.get(stored)!;
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': ack.length }).end(ack);
  };
  return async (req, res) => {
    allowAnyOrigin(res);
    if (req.method === 'OPTIONS') res.writeHead(204).end();
    else await storeBatch(req, res);
  };
}

/** The ingest route's path, as the recorder posts to it. */
const INGEST_PATH = '/api/ingest';

/**
 * Adds the ingest route to `app`, and returns a plain Node listener that answers the same
 * requests ahead of Express: POST and OPTIONS of exactly INGEST_PATH (a query string allowed),
 * with what every answer gets; false for anything else, Express's to answer. Thousands of batches
 * a second then skip Express's request setup (prototype swaps, a final handler, the router):
 * a tenth of the main thread's work per batch. The Express route answers the spellings Express
 * also matches (a trailing slash, another letter case) and lists the route with the others.
 */
export function addIngestRoute(app: Express, every: EveryAnswer, options: IngestOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const answer = ingestAnswer(options);
  const expressAnswer: RequestHandler = (req, res) => answer(req, res);
  app.route(INGEST_PATH).options(every.middleware, expressAnswer).post(every.middleware, expressAnswer);
  return (req, res) => {
    if (req.method !== 'POST' && req.method !== 'OPTIONS') return false;
    const url = req.url ?? '';
    if (!url.startsWith(INGEST_PATH) || (url.length > INGEST_PATH.length && url[INGEST_PATH.length] !== '?')) return false;
    every.begin(req, res, INGEST_PATH);
    answer(req, res).catch((error: unknown) => answerError(error, req, res));
    return true;
  };
}
