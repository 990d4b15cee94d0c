import { describe, expect, it } from 'vitest';
import { summarizeBatch } from '../../shared/summarizeBatch';
import { clickEvent, metaEvent, mutationEvent, T0 } from '../helpers/batches';

describe('summarizeBatch', () => {
  it('finds page views (loads and SPA navigations) in time order', () => {
    const summary = summarizeBatch([
      { type: 5, timestamp: T0 + 50, data: { tag: '$pageview', payload: { href: 'https://shop.test/cart' } } },
      metaEvent(T0, 'https://shop.test/'),
    ]);
    expect(summary.pageViews).toEqual([
      { at: T0, url: 'https://shop.test/' },
      { at: T0 + 50, url: 'https://shop.test/cart' },
    ]);
  });

  it('groups activity into spans and ignores mutations', () => {
    const summary = summarizeBatch([metaEvent(T0), clickEvent(T0 + 2_000), mutationEvent(T0 + 30_000), clickEvent(T0 + 60_000)]);
    expect(summary.spans).toEqual([
      [T0, T0 + 2_000],
      [T0 + 60_000, T0 + 60_000],
    ]);
    expect(summary).toMatchObject({ firstTs: T0, lastTs: T0 + 60_000, eventCount: 4 });
  });

  it('takes the latest identify and counts only console errors', () => {
    const summary = summarizeBatch([
      { type: 5, timestamp: T0 + 9, data: { tag: '$identify', payload: { userId: 'later' } } },
      { type: 5, timestamp: T0 + 1, data: { tag: '$identify', payload: { userId: 'earlier' } } },
      { type: 6, timestamp: T0, data: { plugin: 'rrweb/console@1', payload: { level: 'error' } } },
      { type: 6, timestamp: T0, data: { plugin: 'rrweb/console@1', payload: { level: 'warn' } } },
      { type: 6, timestamp: T0, data: { plugin: 'rrweb/network@1', payload: { level: 'error' } } },
    ]);
    expect(summary.userId).toBe('later');
    expect(summary.errorCount).toBe(1);
  });

  it('counts frustration signals and places each at its click', () => {
    const signal = (timestamp: number, payload: unknown) => ({ type: 5, timestamp, data: { tag: '$signal', payload } });
    const summary = summarizeBatch([
      signal(T0 + 7_500, { kind: 'dead', at: T0 + 500 }),
      signal(T0 + 100, { kind: 'rage', at: T0 + 100 }),
      signal(T0 + 200, { kind: 'error', at: T0 + 200 }),
      signal(T0 + 300, { kind: 'rage', at: 'soon' }),
      signal(T0 + 400, { kind: 'bored', at: T0 + 400 }),
    ]);
    expect(summary.signals).toEqual({ rage: 2, dead: 1, error: 1 });
    // A click time that is no time, or far from its event, falls back to the event's time.
    expect(summary.signalTimes).toEqual([T0 + 100, T0 + 200, T0 + 300, T0 + 500]);
  });
});
