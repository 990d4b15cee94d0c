/** `GET /api/stats`: length statistics, optionally under another inactivity timeout. */
import { Router } from 'express';
import { z } from 'zod';
import { STATS_BUCKETS } from '../../shared/api';
import { IDLE_GAP_MS, MAX_SESSION_MS } from '../../shared/constants';
import { SIGNAL_KINDS } from '../../shared/signals';
import { isTimeZone } from '../stats/days';
import { resplitAll, resplitChanged } from '../stats/retroactive';
import { buildStats } from '../stats/sessionStats';
import type { Storage } from '../storage/storage';
import { parseQuery } from '../http/parseQuery';
import { filterShape } from './filterShape';

/** The statistics' query string: the listing's filters, another timeout, buckets and time zone. */
export const statsSchema = z.strictObject({
  ...filterShape,
  timeoutMs: z.coerce.number().int().min(IDLE_GAP_MS).max(MAX_SESSION_MS).optional(),
  buckets: z.enum(STATS_BUCKETS).default('default'),
  tz: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris').default('UTC'),
});

export function statsRouter({ storage, now }: { storage: Storage; now: () => number }): Router {
  const router = Router();
  router.get('/api/stats', async (req, res) => {
    const { timeoutMs, buckets, tz, ...filters } = parseQuery(statsSchema, req.query);
    const at = now();
    const options = { buckets, tz, from: filters.from, to: filters.to };
    if (timeoutMs === undefined) {
      // Under a signal filter every session matched is frustrated.
      const frustratedFilters = filters.signal ? filters : { ...filters, signal: [...SIGNAL_KINDS] };
      const [source, frustrated] = await Promise.all([
        storage.lengthSource(filters, at),
        storage.countSessions(frustratedFilters, at),
      ]);
      res.json(await buildStats(source, options, frustrated));
      return;
    }
    const rules = { timeoutMs, maxSessionMs: MAX_SESSION_MS };
    const changes = await storage.timeoutChanges(filters, rules);
    const { source, frustrated } = changes
      ? resplitChanged(changes, rules, filters)
      : resplitAll(await storage.recordedSessions(filters, at), rules, filters);
    res.json(await buildStats(source, options, frustrated));
  });
  return router;
}
