/** Times every answer into the request histogram, labelled by the route that answered it. */
import type { Request, RequestHandler } from 'express';
import type { Metrics } from './metrics';

/** The pattern of the route that answered (`/api/sessions/:id`); static files and 404s share one label. */
function routeLabel(req: Request): string {
  const path: unknown = req.route?.path;
  if (Array.isArray(path)) return path.join('|');
  return typeof path === 'string' ? path : 'unmatched';
}

/** First middleware: starts the clock, reads the route once the answer is sent. */
export function measureRequests({ requestSeconds }: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = requestSeconds.startTimer();
    res.once('finish', () => stop({ method: req.method, route: routeLabel(req), status: res.statusCode }));
    next();
  };
}
