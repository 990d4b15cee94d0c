import { describe, expect, it } from 'vitest';
import { isAdoptable, ORPHAN_AGE_MS } from '../../recorder/windowLocks';

const NOW = 1_000_000_000;

describe('isAdoptable', () => {
  it('takes its own window’s batches back after a reload', () => {
    expect(isAdoptable({ windowId: 'w1', createdAt: NOW }, 'w1', new Set(['w1']), NOW)).toBe(true);
  });

  it('takes another window’s batches only once no live tab holds that window', () => {
    expect(isAdoptable({ windowId: 'w2', createdAt: NOW }, 'w1', new Set(['w1', 'w2']), NOW)).toBe(false);
    expect(isAdoptable({ windowId: 'w2', createdAt: NOW }, 'w1', new Set(['w1']), NOW)).toBe(true);
  });

  it('without Web Locks, waits until another window’s batch is old enough to be an orphan', () => {
    expect(isAdoptable({ windowId: 'w2', createdAt: NOW - ORPHAN_AGE_MS }, 'w1', null, NOW)).toBe(false);
    expect(isAdoptable({ windowId: 'w2', createdAt: NOW - ORPHAN_AGE_MS - 1 }, 'w1', null, NOW)).toBe(true);
  });
});
