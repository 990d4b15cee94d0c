/**
 * Logs: one JSON object per line on stdout (pino). A request line holds only fields chosen
 * here — request id, method, path without its query string, status, duration — so no token
 * (`/login?token=…`, `Authorization`, the admin cookie, a share link's `/s/<token>`) can reach a log.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

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

function requestFields(req: IncomingMessage, res: ServerResponse, durationMs: number) {
  const url = (req as Request).originalUrl ?? req.url ?? '';
  return { method: req.method, path: loggedPath(url.split('?', 1)[0]), status: res.statusCode, durationMs };
}

/** The request log: one line per answer, `error` level for 5xx, bound to `req.log` with its `reqId`. */
export function logRequests(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: requestId,
    // Bind only the id to req.log: the default binds the whole request, headers and all.
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, { responseTime }: { responseTime: number }) => requestFields(req, res, responseTime),
    customErrorObject: (req, res, _err, { responseTime }: { responseTime: number }) => requestFields(req, res, responseTime),
  }) as RequestHandler;
}
