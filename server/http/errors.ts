/** One JSON error shape for every failure: `{ error: { code, message } }`, never a stack trace. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { StorageUnavailableError } from '../storage/storage';

/** Seconds a client is asked to wait while the database cannot be reached. */
const STORAGE_RETRY_AFTER_S = 5;

/** An error with the HTTP status and machine-readable code the client should see. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/**
 * Answers `err` as JSON; unknown errors become a bare 500, logged with the request's id. Plain
 * Node, so the ingest listener ahead of Express answers its errors the same way.
 */
export function answerError(err: unknown, req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof HttpError) {
    sendError(res, err.status, err.code, err.message);
    return;
  }
  if (err instanceof StorageUnavailableError) {
    req.log.error({ reason: err.message }, 'storage unavailable');
    res.setHeader('Retry-After', String(STORAGE_RETRY_AFTER_S));
    sendError(res, 503, 'storage_unavailable', 'the database cannot be reached; retry later');
    return;
  }
  const given = (err as { status?: unknown } | null)?.status;
  const status = typeof given === 'number' && given >= 400 && given < 500 ? given : 500;
  if (status === 500) req.log.error({ err }, 'unhandled error');
  sendError(res, status, status === 500 ? 'internal' : 'bad_request', status === 500 ? 'Internal server error' : String((err as Error).message));
}

/** Last middleware: answerError for every error a route threw. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => answerError(err, req, res);
