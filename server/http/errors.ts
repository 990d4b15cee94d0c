/** One JSON error shape for every failure: `{ error: { code, message } }`, never a stack trace. */
import type { ErrorRequestHandler, Response } from 'express';
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

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** Last middleware: maps thrown errors to JSON; unknown errors become a bare 500, logged with the request's id. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
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
    res.set('Retry-After', String(STORAGE_RETRY_AFTER_S));
    sendError(res, 503, 'storage_unavailable', 'the database cannot be reached; retry later');
    return;
  }
  const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (status === 500) req.log.error({ err }, 'unhandled error');
  sendError(res, status, status === 500 ? 'internal' : 'bad_request', status === 500 ? 'Internal server error' : String(err.message));
};
