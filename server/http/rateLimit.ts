/** Per-key token buckets: a steady rate with room for bursts, refused with the wait until the next token. */

export interface RateLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Most tokens a bucket holds (the largest burst allowed). */
  burst: number;
}

/**
 * Batches per second per project. A tab sends one every 5 s, so this is about a thousand tabs
 * recording at once; the burst absorbs a fleet of tabs reconnecting after an outage.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 200, burst: 2_000 };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limit: RateLimit) {}

  /** Takes a token of `key` at `now` (ms): 0 when granted, else the ms until one is available. */
  take(key: string, now: number): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1_000) * this.limit.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.limit.perSecond) * 1_000);
  }
}
