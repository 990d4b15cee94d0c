/** POST /api/ingest: validate, store durably, then acknowledge. Open to any origin (the snippet runs on other sites). */
import { gzipSync } from 'node:zlib';
import { Router, type RequestHandler } from 'express';
import type { IngestAck } from '../../shared/wire';
import { HttpError } from '../http';
import { batchSchema, describeIssue } from '../ingest/batchSchema';
import { summarizeBatch } from '../ingest/summarizeBatch';
import { readBody, type BodyLimits } from '../readBody';
import type { Storage } from '../storage/storage';

export interface IngestOptions {
  storage: Storage;
  projects: ReadonlySet<string>;
  limits: BodyLimits;
  now: () => number;
}

// No credentials, so `*` is safe; Max-Age spares clients that send JSON a preflight per batch.
const allowAnyOrigin: RequestHandler = (_req, res, next) => {
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding',
    'Access-Control-Max-Age': '86400',
  });
  next();
};

/** The ingest route. */
export function ingestRouter(options: IngestOptions): Router {
  const router = Router();
  router.options('/api/ingest', allowAnyOrigin, (_req, res) => {
    res.status(204).end();
  });
  router.post('/api/ingest', allowAnyOrigin, async (req, res) => {
    const receivedAt = options.now();
    const body = await readBody(req, options.limits);
    let json: unknown;
    try {
      json = JSON.parse(body.json.toString('utf8'));
    } catch {
      throw new HttpError(400, 'malformed_json', 'body is not valid JSON');
    }
    const parsed = batchSchema.safeParse(json);
    if (!parsed.success) throw new HttpError(400, 'invalid_batch', describeIssue(parsed.error));
    const batch = parsed.data;
    if (!options.projects.has(batch.project)) {
      throw new HttpError(403, 'unknown_project', `project "${batch.project}" is not configured on this server`);
    }
    const { stored } = options.storage.appendBatch({
      project: batch.project,
      sessionId: batch.sessionId.toLowerCase(),
      windowId: batch.windowId.toLowerCase(),
      deviceId: batch.deviceId,
      seq: batch.seq,
      sessionTimeoutMs: batch.sessionTimeoutMs,
      userAgent: batch.userAgent ?? req.get('user-agent') ?? null,
      receivedAt,
      clockOffsetMs: receivedAt - batch.sentAt,
      summary: summarizeBatch(batch.events),
      gzip: body.gzipped ? body.raw : gzipSync(body.json),
    });
    const ack: IngestAck = { ok: true, stored };
    res.json(ack);
  });
  return router;
}
