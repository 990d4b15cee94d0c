/** Turns a length source into `GET /api/stats`'s answer. */
import type { SessionStats, StatsBuckets } from '../../shared/api';
import { bucketsFor } from './buckets';
import { perDay } from './days';
import type { LengthSource } from '../../shared/lengthSource';

interface StatsOptions {
  buckets: StatsBuckets;
  tz: string;
  from?: number;
  to?: number;
}

const ONE_MINUTE_MS = 60_000;

/**
 * The p-quantile (0..1) of the source's lengths, interpolated linearly between the two
 * nearest ranks (so the median of an even count is the mean of the middle two).
 */
export async function quantile(source: Pick<LengthSource, 'count' | 'lengthAt'>, p: number): Promise<number | null> {
  if (source.count === 0) return null;
  const rank = p * (source.count - 1);
  const below = Math.floor(rank);
  const low = await source.lengthAt(below);
  if (rank === below) return low;
  return Math.round(low + (rank - below) * ((await source.lengthAt(below + 1)) - low));
}

/**
 * The statistics of the source's sessions, per day over `options.from`..`to` in `options.tz`;
 * `frustrated` of them had a rage, dead or error click.
 */
export async function buildStats(source: LengthSource, options: StatsOptions, frustrated: number): Promise<SessionStats> {
  const { count, totalMs } = source;
  const [medianMs, p90Ms] = await Promise.all([quantile(source, 0.5), quantile(source, 0.9)]);
  return {
    count,
    averageMs: count > 0 ? Math.round(totalMs / count) : null,
    medianMs,
    p90Ms,
    under1mShare: count > 0 ? source.countBetween(0, ONE_MINUTE_MS) / count : null,
    frustratedShare: count > 0 ? frustrated / count : null,
    totalMs,
    distribution: bucketsFor(options.buckets, source.maxLengthMs).map((bucket) => ({
      ...bucket,
      count: source.countBetween(bucket.fromMs, bucket.toMs),
    })),
    perDay: perDay(source.slots, options.tz, options),
  };
}
