/** The read API: list, get, stream events of, and delete sessions. */
import { Router } from 'express';
import { z } from 'zod';
import { SESSION_SORTS } from '../../shared/api';
import { CHUNK_FRAMES_TYPE, frameHeader } from '../../shared/chunkFrames';
import { UUID_PATTERN } from '../../shared/uuid';
import { HttpError } from '../http/errors';
import { parseQuery } from '../http/parseQuery';
import { writeText } from '../http/stream';
import { isCursor, type SessionQuery, type Storage } from '../storage/storage';
import { filterShape } from './filterShape';

export interface SessionsOptions {
  storage: Storage;
  now: () => number;
  /** After a session is deleted: what only it referenced goes too (captured assets). */
  onDeleted?: (id: string) => Promise<void>;
}

/** Largest page `limit` accepts. */
const MAX_PAGE_SIZE = 500;

/** The listing's query string: filters, order and page. */
export const listSchema = z.strictObject({
  ...filterShape,
  sort: z.enum(SESSION_SORTS).default('length'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(512).refine(isCursor, 'not a cursor from this API').optional(),
});

/** Parses a listing's query parameters (filters, order, page), 400 naming the first bad one. */
export function parseListQuery(query: unknown): SessionQuery {
  const { cursor, ...filters } = parseQuery(listSchema, query);
  return { ...filters, cursor: cursor ?? null };
}

/** A session id from a path, lower-cased; 400 unless it is a UUID. */
export function parseSessionId(raw: string): string {
  if (!UUID_PATTERN.test(raw)) throw new HttpError(400, 'invalid_id', 'session id must be a UUID');
  return raw.toLowerCase();
}

function notFound(id: string): HttpError {
  return new HttpError(404, 'not_found', `no session ${id}`);
}

/** The sessions routes. */
export function sessionsRouter({ storage, now, onDeleted }: SessionsOptions): Router {
  const router = Router();

  router.get('/api/sessions', async (req, res) => {
    res.json(await storage.listSessions(parseListQuery(req.query), now()));
  });

  router.get('/api/sessions/:id', async (req, res) => {
    const id = parseSessionId(req.params.id);
    const session = await storage.getSession(id, now());
    if (!session) throw notFound(id);
    res.json(session);
  });

  router.get('/api/sessions/:id/events', async (req, res) => {
    const id = parseSessionId(req.params.id);
    if (!(await storage.getSession(id, now()))) throw notFound(id);
    res.vary('Accept');
    if (req.accepts(['application/x-ndjson', CHUNK_FRAMES_TYPE]) === CHUNK_FRAMES_TYPE) {
      // The chunks as stored, gzip and all: the browser inflates them, not this server.
      res.type(CHUNK_FRAMES_TYPE);
      for await (const { windowId, seq, data, verdict } of storage.readChunks(id)) {
        // A chunk its check found unreadable or misstated goes without its bytes: the reader skips it.
        const marked = verdict === 'corrupt' || verdict === 'lying' ? verdict : undefined;
        const bytes = marked ? Buffer.alloc(0) : data;
        if (!(await writeText(res, Buffer.concat([Buffer.from(frameHeader(windowId, seq, bytes.length, marked)), bytes])))) return;
      }
      res.end();
      return;
    }
    res.type('application/x-ndjson');
    for await (const chunk of storage.readEvents(id)) {
      if (!(await writeText(res, `${JSON.stringify(chunk)}\n`))) return;
    }
    res.end();
  });

  router.delete('/api/sessions/:id', async (req, res) => {
    const id = parseSessionId(req.params.id);
    if (!(await storage.deleteSession(id))) throw notFound(id);
    await onDeleted?.(id);
    res.status(204).end();
  });

  return router;
}
