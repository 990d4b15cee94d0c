import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, MAX_RETRY_MS, parseRetryAfter, retryDelay } from '../../recorder/retryDelay';

const NOW = Date.parse('2026-11-23T11:00:00Z');

describe('retryDelay', () => {
  it('backs off exponentially with equal jitter: between half and all of 1 s, 2 s, 4 s …', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, null, NOW, 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => retryDelay(n, null, NOW, 0.999_999))).toEqual([1_000, 2_000, 4_000, 8_000].map((ms) => expect.closeTo(ms, 0)));
  });

  it('never waits more than a minute between attempts of its own accord', () => {
    expect(retryDelay(40, null, NOW, 0.999_999)).toBeCloseTo(MAX_RETRY_MS, 0);
  });

  it('waits exactly what Retry-After says, in seconds or as a date', () => {
    expect(retryDelay(1, '2', NOW, 0.5)).toBe(2_000);
    expect(retryDelay(5, new Date(NOW + 7_000).toUTCString(), NOW, 0.5)).toBe(7_000);
    expect(retryDelay(1, '86400', NOW, 0.5)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('ignores an unreadable Retry-After', () => {
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter(new Date(NOW - 5_000).toUTCString(), NOW)).toBe(0);
    expect(retryDelay(1, 'soon', NOW, 0)).toBe(500);
  });
});
