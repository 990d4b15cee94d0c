import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../server/http/rateLimit';

describe('RateLimiter', () => {
  it('grants a burst, then refuses with the wait until the next token', () => {
    const limiter = new RateLimiter({ perSecond: 0.5, burst: 2 });
    expect(limiter.take('demo', 0)).toBe(0);
    expect(limiter.take('demo', 0)).toBe(0);
    expect(limiter.take('demo', 0)).toBe(2_000);
    expect(limiter.take('demo', 1_500)).toBe(500);
    expect(limiter.take('demo', 2_000)).toBe(0);
  });

  it('keeps one bucket per key', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('b', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(1_000);
  });

  it('never stores more than the burst, however long it was idle', () => {
    const limiter = new RateLimiter({ perSecond: 10, burst: 3 });
    const granted = [0, 0, 0, 0].map(() => limiter.take('a', 3_600_000));
    expect(granted).toEqual([0, 0, 0, 100]);
  });
});
