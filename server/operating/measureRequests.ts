/** Times every answer into the request histogram, labelled by the route that answered it. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { Metrics } from './metrics';

/** The pattern of the route that answered (`/api/sessions/:id`); static files and 404s share one label. */
export function routeLabel(req: Request): string {
  const path: unknown = req.route?.path;
  if (Array.isArray(path)) return path.join('|');
  return typeof path === 'string' ? path : 'unmatched';
}

/** Starts the clock on one answer; once it is sent, times it under the route `routeOf` then names. */
export function measureAnswer({ requestSeconds }: Metrics, req: IncomingMessage, res: ServerResponse, routeOf: () => string): void {
  const stop = requestSeconds.startTimer();
  res.once('finish', () => stop({ method: req.method, route: routeOf(), status: res.statusCode }));
}
