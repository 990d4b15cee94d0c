/** The read API: list, get, stream events of, and delete sessions. */
import { gunzipSync } from 'node:zlib';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { SESSION_SORTS } from '../../shared/api';
import { UUID_PATTERN } from '../../shared/uuid';
import { HttpError } from '../http';
import { decodeCursor } from '../storage/cursor';
import type { SessionQuery, Storage } from '../storage/storage';

export interface SessionsOptions {
  storage: Storage;
  now: () => number;
}

/** Largest page `limit` accepts. */
export const MAX_PAGE_SIZE = 500;

const count = z.coerce.number().int().min(0);
/** A time as ms since the epoch or an ISO 8601 date. */
const time = z
  .string()
  .transform((text, ctx) => {
    const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isNaN(value)) ctx.addIssue({ code: 'custom', message: 'must be ms since the epoch or an ISO date' });
    return value;
  });

const listSchema = z.object({
  sort: z.enum(SESSION_SORTS).default('length'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(512).optional(),
  project: z.string().max(64).optional(),
  minLengthMs: count.optional(),
  maxLengthMs: count.optional(),
  from: time.optional(),
  to: time.optional(),
  userId: z.string().max(256).optional(),
  deviceId: z.string().max(64).optional(),
  hasErrors: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

/** Parses `GET /api/sessions` query parameters, 400 naming the first bad one. */
function parseListQuery(query: unknown): SessionQuery {
  const parsed = listSchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'invalid_query', `${issue.path.join('.')}: ${issue.message}`);
  }
  const { cursor: cursorText, ...filters } = parsed.data;
  const cursor = cursorText === undefined ? null : decodeCursor(cursorText);
  if (cursorText !== undefined && cursor === null) throw new HttpError(400, 'invalid_query', 'cursor: not a cursor from this API');
  return { ...filters, cursor };
}

function sessionId(raw: string): string {
  if (!UUID_PATTERN.test(raw)) throw new HttpError(400, 'invalid_id', 'session id must be a UUID');
  return raw.toLowerCase();
}

function notFound(id: string): HttpError {
  return new HttpError(404, 'not_found', `no session ${id}`);
}

/** Resolves when the response can take more, or is gone (a client that left never drains). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The sessions routes. */
export function sessionsRouter({ storage, now }: SessionsOptions): Router {
  const router = Router();

  router.get('/api/sessions', (req, res) => {
    res.json(storage.listSessions(parseListQuery(req.query), now()));
  });

  router.get('/api/sessions/:id', (req, res) => {
    const id = sessionId(req.params.id);
    const session = storage.getSession(id, now());
    if (!session) throw notFound(id);
    res.json(session);
  });

  router.get('/api/sessions/:id/events', async (req, res) => {
    const id = sessionId(req.params.id);
    if (!storage.getSession(id, now())) throw notFound(id);
    res.type('application/x-ndjson');
    for (const chunk of storage.readChunks(id)) {
      const { events } = JSON.parse(gunzipSync(chunk.gzip).toString('utf8')) as { events: unknown[] };
      const line = `${JSON.stringify({ windowId: chunk.windowId, seq: chunk.seq, events })}\n`;
      // Waits for the socket to drain so a long recording streams in constant memory.
      if (!res.write(line)) await drained(res);
      if (res.destroyed) return;
    }
    res.end();
  });

  router.delete('/api/sessions/:id', (req, res) => {
    const id = sessionId(req.params.id);
    if (!storage.deleteSession(id)) throw notFound(id);
    res.status(204).end();
  });

  return router;
}
