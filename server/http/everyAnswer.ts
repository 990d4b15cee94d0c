/** What every answer gets: the request log, the request metrics and the security headers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { logRequest, requestPath, type Routine } from '../operating/logger';
import { measureAnswer, routeLabel } from '../operating/measureRequests';
import type { Metrics } from '../operating/metrics';
import { securityHeaderSetter } from './securityHeaders';

/** The three, on a plain Node request and as Express middleware. */
export interface EveryAnswer {
  /** Starts them on a request answered without Express (the ingest listener), timed under route `route`. */
  begin(req: IncomingMessage, res: ServerResponse, route: string): void;
  /** The same as one Express middleware, timed under the route that answered. */
  middleware: RequestHandler;
}

/** `routine` answers are logged at `debug`; `dev` loosens the CSP for Vite's hot reload. */
export function everyAnswer({ logger, metrics, routine, dev }: { logger: Logger; metrics: Metrics; routine: Routine; dev: boolean }): EveryAnswer {
  const setSecurityHeaders = securityHeaderSetter({ dev });
  const begin = (req: IncomingMessage, res: ServerResponse, routeOf: () => string) => {
    logRequest(logger, req, res, routine);
    measureAnswer(metrics, req, res, routeOf);
    setSecurityHeaders(res, requestPath(req));
  };
  return {
    begin: (req, res, route) => begin(req, res, () => route),
    middleware: (req, res, next) => {
      begin(req, res, () => routeLabel(req));
      next();
    },
  };
}
