/** `GET /metrics`: Prometheus text format, for a scraper holding the admin token (or for anyone with METRICS_PUBLIC=1). */
import { Router, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';

export function metricsRouter({ registry, guard }: { registry: Registry; guard: RequestHandler | null }): Router {
  const router = Router();
  const serve: RequestHandler = async (_req, res) => {
    const text = await registry.metrics();
    res.set('Content-Type', registry.contentType).send(text);
  };
  router.get('/metrics', ...(guard ? [guard, serve] : [serve]));
  return router;
}
