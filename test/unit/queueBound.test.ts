import { describe, expect, it } from 'vitest';
import { MAX_QUEUED_BATCHES, MAX_QUEUED_BYTES, queueExcess } from '../../recorder/queueBound';

describe('queueExcess', () => {
  it('bounds the queue as the README promises: 100 batches, 8 MiB', () => {
    expect(MAX_QUEUED_BATCHES).toBe(100);
    expect(MAX_QUEUED_BYTES).toBe(8 * 1024 * 1024);
  });

  it('drops nothing within both bounds', () => {
    expect(queueExcess([10, 10, 10], 3, 30)).toBe(0);
  });

  it('drops the oldest past the batch count', () => {
    expect(queueExcess([1, 1, 1, 1, 1], 3, 1_000)).toBe(2);
  });

  it('drops the oldest past the byte bound, however few batches', () => {
    expect(queueExcess([50, 40, 30, 20], 10, 55)).toBe(2);
  });

  it('keeps the newest batch even when it alone is over the bound', () => {
    expect(queueExcess([5, 500], 10, 100)).toBe(1);
    expect(queueExcess([500], 0, 100)).toBe(0);
  });
});
