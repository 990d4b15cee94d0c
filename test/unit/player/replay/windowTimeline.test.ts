import { EventType, IncrementalSource } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { ACTIVE_IDLE_MS, CONSOLE_PLUGIN, CUSTOM_EVENT, NETWORK_PLUGIN } from '../../../../shared/constants';
import type { WireEvent } from '../../../../shared/wire';
import {
  countUpTo,
  describeWindow,
  inactiveStretches,
  nextActivity,
  previousActivity,
} from '../../../../player/src/replay/windowTimeline';

const T0 = Date.parse('2026-11-23T11:00:00Z');
const meta = (t: number, href = 'https://shop.test/'): WireEvent => ({ type: EventType.Meta, timestamp: T0 + t, data: { href } });
const click = (t: number): WireEvent => ({
  type: EventType.IncrementalSnapshot,
  timestamp: T0 + t,
  data: { source: IncrementalSource.MouseInteraction, type: 2, id: 1 },
});
const mutation = (t: number): WireEvent => ({ type: EventType.IncrementalSnapshot, timestamp: T0 + t, data: { source: IncrementalSource.Mutation } });
const custom = (t: number, tag: string, payload: unknown): WireEvent => ({ type: EventType.Custom, timestamp: T0 + t, data: { tag, payload } });
const log = (t: number, level: string, ...args: string[]): WireEvent => ({
  type: EventType.Plugin,
  timestamp: T0 + t,
  data: { plugin: CONSOLE_PLUGIN, payload: { level, payload: args, trace: ['at pay (app.js:1:2)'] } },
});

describe('describeWindow', () => {
  const events = [
    meta(0),
    click(1_000),
    log(1_500, 'log', '"ready"', '{"n":1}'),
    custom(2_000, CUSTOM_EVENT.pageview, { href: 'https://shop.test/cart' }),
    custom(2_100, CUSTOM_EVENT.track, { name: 'checkout' }),
    log(2_200, 'error', '"payment failed"'),
    {
      type: EventType.Plugin,
      timestamp: T0 + 2_300,
      data: { plugin: NETWORK_PLUGIN, payload: { requests: [{ name: 'https://shop.test/api/pay', method: 'post', status: 502, startTime: 10, endTime: 130 }] } },
    },
    mutation(9_000),
    click(20_000),
    mutation(30_000),
  ];
  const timeline = describeWindow([...events].reverse());

  it('puts everything on the replay clock, in time order, whatever order the events came in', () => {
    expect(timeline.startTs).toBe(T0);
    expect(timeline.durationMs).toBe(30_000);
    expect(timeline.pages).toEqual([
      { at: 0, url: 'https://shop.test/' },
      { at: 2_000, url: 'https://shop.test/cart' },
    ]);
  });

  it('reads console lines without the quotes the plugin adds to strings', () => {
    expect(timeline.console.map((c) => [c.at, c.level, c.text])).toEqual([
      [1_500, 'log', 'ready {"n":1}'],
      [2_200, 'error', 'payment failed'],
    ]);
    expect(timeline.console[1].trace).toEqual(['at pay (app.js:1:2)']);
  });

  it('reads requests with method, status and duration', () => {
    expect(timeline.network).toEqual([{ at: 2_300, method: 'POST', url: 'https://shop.test/api/pay', status: 502, durationMs: 120 }]);
  });

  it('marks page changes (not the first page), errors and custom events', () => {
    expect(timeline.marks.map((m) => [m.at, m.kind])).toEqual([
      [2_000, 'page'],
      [2_100, 'custom'],
      [2_200, 'error'],
    ]);
  });

  it('marks the stretches without activity, mutations notwithstanding, and where activity resumes', () => {
    // Activity: 0, 1 000, 2 000 (page view), 20 000; the tail after 20 000 is idle too.
    expect(timeline.inactive).toEqual([
      [2_000, 20_000],
      [20_000, 30_000],
    ]);
    expect(timeline.activityStarts).toEqual([0, 20_000]);
  });

  it('describes an empty window as empty', () => {
    expect(describeWindow([])).toMatchObject({ startTs: 0, durationMs: 0, console: [], marks: [], inactive: [] });
  });
});

describe('inactiveStretches', () => {
  it('keeps only gaps longer than ACTIVE_IDLE_MS, including an idle head', () => {
    expect(inactiveStretches([[ACTIVE_IDLE_MS + 1, 7_000], [10_000, 12_000]], 12_000 + ACTIVE_IDLE_MS)).toEqual([[0, ACTIVE_IDLE_MS + 1]]);
  });
});

describe('playhead helpers', () => {
  it('counts the entries at or before a moment', () => {
    const entries = [{ at: 0 }, { at: 10 }, { at: 10 }, { at: 30 }];
    expect([-1, 0, 9, 10, 29, 30, 99].map((ms) => countUpTo(entries, ms))).toEqual([0, 1, 1, 3, 3, 4, 4]);
  });

  it('steps to the next and previous bursts of activity', () => {
    const starts = [0, 20_000, 45_000];
    expect(nextActivity(starts, 0)).toBe(20_000);
    expect(nextActivity(starts, 20_000)).toBe(45_000);
    expect(nextActivity(starts, 45_000)).toBeNull();
    // Just after a burst started, "previous" means the one before it.
    expect(previousActivity(starts, 20_500)).toBe(0);
    expect(previousActivity(starts, 30_000)).toBe(20_000);
    expect(previousActivity(starts, 100)).toBe(0);
  });
});
