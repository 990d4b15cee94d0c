/** POST /api/ingest: validate, store durably, then acknowledge. Open to any origin (the snippet runs on other sites). */
import type { Express, RequestHandler } from 'express';
import type { IngestAck } from '../../shared/wire';
import { HttpError } from '../http/errors';
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

const allowAnyOrigin: RequestHandler = (_req, res, next) => {
  for (const [name, value] of CORS_HEADERS) res.setHeader(name, value);
  next();
};

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

/**
 * Adds the ingest route to `app`, behind `everyAnswer` (the request log, metrics and headers the
 * app gives every answer). Added at the app's level ahead of its other layers, rather than as a
 * router of its own after them: Express then matches thousands of batches a second against one
 * layer, not walking a nested router and the layers before it (a sixth of the allocations per batch).
 */
export function addIngestRoute(app: Express, everyAnswer: readonly RequestHandler[], options: IngestOptions): void {
  const limiter = options.rateLimit ? new RateLimiter(options.rateLimit) : null;
  const route = app.route('/api/ingest');
  route.options(...everyAnswer, allowAnyOrigin, (_req, res) => {
    res.status(204).end();
  });
  const { ingestBatches, ingestBytes, ingestStorageSeconds } = options.metrics;
  route.post(...everyAnswer, allowAnyOrigin, async (req, res) => {
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
      res.set('Retry-After', String(Math.ceil(waitMs / 1_000)));
      throw new HttpError(429, 'rate_limited', `project "${batch.project}" sends more batches than this server accepts; retry later`);
    }
    const stopStorageTimer = ingestStorageSeconds.startTimer();
    const { stored } = await options.storage.appendBatch({
      project: batch.project,
      sessionId: batch.sessionId.toLowerCase(),
      windowId: batch.windowId.toLowerCase(),
      deviceId: batch.deviceId,
      seq: batch.seq,
      sessionTimeoutMs: batch.sessionTimeoutMs,
      userAgent: batch.userAgent ?? req.get('user-agent') ?? null,
      receivedAt,
      clockOffsetMs: receivedAt - batch.sentAt,
      summary,
      recording,
      eventsRead,
      droppedBatches: batch.droppedBatches ?? 0,
    });
    stopStorageTimer();
    // Also on a repeat: the first attempt may have stored the batch and failed here.
    await options.referenceAssets?.(batch.sessionId.toLowerCase(), summary.assetHashes);
    const ack = ACKS.get(stored)!;
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': ack.length }).end(ack);
  });
}
