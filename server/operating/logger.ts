/**
 * Logs: one JSON object per line on stdout (pino). A request line holds only fields chosen
 * here — request id, method, path without its query string, status, duration — so no token
 * (`/login?token=…`, `Authorization`, the admin cookie, a share link's `/s/<token>`) can reach a log.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

/** The levels LOG_LEVEL accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = Level | 'silent';

/** A logger at `level` writing to `destination` (default stdout). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** A proxy's id is kept, so one request can be followed across it; otherwise a fresh one. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** A share link's path is its secret: logged as the route's pattern. */
const loggedPath = (path: string): string => (path.startsWith('/s/') ? '/s/:token' : path);

/** The request's path, without its query string (Express's `req.path` for plain Node requests too). */
export function requestPath(req: IncomingMessage): string {
  const url = (req as Partial<Request>).originalUrl ?? req.url ?? '';
  return url.split('?', 1)[0];
}

function requestFields(req: IncomingMessage, res: ServerResponse, durationMs: number) {
  return { method: req.method, path: loggedPath(requestPath(req)), status: res.statusCode, durationMs };
}

// Every request's handlers (errorHandler) log through req.log, bound to its request id.
declare module 'node:http' {
  interface IncomingMessage {
    log: Logger;
  }
}

/** Whether an answer is routine, logged at `debug` (an accepted ingest batch: thousands a second, counted by the metrics). */
export type Routine = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The request log of one answer: a line once it is sent, `error` level for 5xx, `debug` when
 * `routine`, and `req.log` bound to its `reqId`. Written here rather than with pino-http, which
 * builds two child loggers per request: under ingest load that was a tenth of the server's main
 * thread; the child is made only when something logs through `req.log`. Plain Node, for the
 * ingest listener ahead of Express.
 */
export function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, routine: Routine): void {
  const startedAt = Date.now();
  const reqId = requestId(req, res);
  let child: Logger | undefined;
  Object.defineProperty(req, 'log', { get: () => (child ??= logger.child({ reqId })), configurable: true });
  // 'close' also comes when the client hung up before the answer was sent.
  res.once('close', () => {
    const level = res.statusCode >= 500 ? 'error' : res.writableFinished && routine(req, res) ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level]({ reqId, ...requestFields(req, res, Date.now() - startedAt) }, level === 'error' ? 'request errored' : 'request completed');
  });
}
