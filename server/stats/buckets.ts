/** The length distributions `GET /api/stats` shows, as [fromMs, toMs) buckets. */
import type { StatsBuckets } from '../../shared/api';

interface BucketEdge {
  label: string;
  fromMs: number;
  toMs: number | null;
}

const SECOND = 1_000;
const MINUTE = 60_000;

/** PostHog's buckets: a bounce (exactly 0), then 0–3 s … 1 h+. */
export const DEFAULT_BUCKETS: readonly BucketEdge[] = [
  { label: '0 s', fromMs: 0, toMs: 1 },
  { label: '0–3 s', fromMs: 1, toMs: 3 * SECOND },
  { label: '3–10 s', fromMs: 3 * SECOND, toMs: 10 * SECOND },
  { label: '10–30 s', fromMs: 10 * SECOND, toMs: 30 * SECOND },
  { label: '30–60 s', fromMs: 30 * SECOND, toMs: MINUTE },
  { label: '1–3 min', fromMs: MINUTE, toMs: 3 * MINUTE },
  { label: '3–10 min', fromMs: 3 * MINUTE, toMs: 10 * MINUTE },
  { label: '10–30 min', fromMs: 10 * MINUTE, toMs: 30 * MINUTE },
  { label: '30–60 min', fromMs: 30 * MINUTE, toMs: 60 * MINUTE },
  { label: '1 h+', fromMs: 60 * MINUTE, toMs: null },
];

/** Width of CleverTap's first power-of-two bucket. */
const POW2_FIRST_MS = 4096 * SECOND;

/** CleverTap's buckets: 0–4096 s, then doubling, up to the one holding `maxLengthMs`. */
export function pow2Buckets(maxLengthMs: number): BucketEdge[] {
  const buckets: BucketEdge[] = [{ label: '0–4096 s', fromMs: 0, toMs: POW2_FIRST_MS }];
  while ((buckets[buckets.length - 1].toMs as number) <= maxLengthMs) {
    const fromMs = buckets[buckets.length - 1].toMs as number;
    const toMs = fromMs * 2;
    buckets.push({ label: `${fromMs / SECOND}–${toMs / SECOND} s`, fromMs, toMs });
  }
  return buckets;
}

/** The bucket set a `buckets=` value names. */
export function bucketsFor(kind: StatsBuckets, maxLengthMs: number): readonly BucketEdge[] {
  return kind === 'pow2' ? pow2Buckets(maxLengthMs) : DEFAULT_BUCKETS;
}
