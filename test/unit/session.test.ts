import { EventType, IncrementalSource } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { CONSOLE_PLUGIN, CUSTOM_EVENT } from '../../shared/constants';
import {
  activeTime,
  activitySpan,
  activitySpans,
  applyActivity,
  idleGaps,
  isActivity,
  isExpired,
  mergeSpans,
  resessionize,
  type RecordedSession,
  type SessionRules,
  type SessionState,
} from '../../shared/session';
import type { WireEvent } from '../../shared/wire';

const at = (hhmm: string, seconds = 0) => Date.parse(`2026-11-23T${hhmm}:00Z`) + seconds * 1000;
const MIN = 60_000;
const rules: SessionRules = { timeoutMs: 30 * MIN, maxSessionMs: 24 * 60 * MIN };

const meta = (t: number): WireEvent => ({ type: EventType.Meta, timestamp: t, data: { href: 'https://shop.test/' } });
const incremental = (source: number, t: number, extra = {}): WireEvent => ({
  type: EventType.IncrementalSnapshot,
  timestamp: t,
  data: { source, ...extra },
});
const move = (t: number) => incremental(IncrementalSource.MouseMove, t);
const click = (t: number) => incremental(IncrementalSource.MouseInteraction, t);
const mutation = (t: number) => incremental(IncrementalSource.Mutation, t);
const consoleEntry = (t: number): WireEvent => ({
  type: EventType.Plugin,
  timestamp: t,
  data: { plugin: CONSOLE_PLUGIN, payload: { level: 'log' } },
});

function ids() {
  let n = 0;
  return () => `s${++n}`;
}

/** The sessions a time-ordered stream makes, as the recorder finds them live: each activity applied in turn. */
function sessionsOf(events: readonly WireEvent[], sessionRules = rules): { id: string; startedAt: number; lengthMs: number }[] {
  const sessions: { id: string; startedAt: number; lengthMs: number }[] = [];
  let state: SessionState | null = null;
  const newId = ids();
  for (const event of events.filter(isActivity)) {
    const next = applyActivity(state, event.timestamp, sessionRules, newId);
    state = next.state;
    if (next.started) sessions.push({ id: state.id, startedAt: state.startedAt, lengthMs: 0 });
    sessions[sessions.length - 1].lengthMs = state.lastActivityAt - state.startedAt;
  }
  return sessions;
}

describe('isActivity', () => {
  it.each([
    ['a page view (Meta)', meta(0), true],
    ['a mouse move', move(0), true],
    ['a click', click(0), true],
    ['a scroll', incremental(IncrementalSource.Scroll, 0), true],
    ['a resize', incremental(IncrementalSource.ViewportResize, 0), true],
    ['typing', incremental(IncrementalSource.Input, 0, { userTriggered: true }), true],
    ['a value set by script', incremental(IncrementalSource.Input, 0, { userTriggered: false }), false],
    ['a touch move', incremental(IncrementalSource.TouchMove, 0), true],
    ['a selection', incremental(IncrementalSource.Selection, 0), true],
    ['an SPA navigation', { type: EventType.Custom, timestamp: 0, data: { tag: CUSTOM_EVENT.pageview } }, true],
    ['a key press', { type: EventType.Custom, timestamp: 0, data: { tag: CUSTOM_EVENT.activity } }, true],
    ['a DOM mutation', mutation(0), false],
    ['a full snapshot', { type: EventType.FullSnapshot, timestamp: 0, data: {} }, false],
    ['a console entry', consoleEntry(0), false],
    ['a track() event', { type: EventType.Custom, timestamp: 0, data: { tag: CUSTOM_EVENT.track } }, false],
    ['a style sheet change', incremental(IncrementalSource.StyleSheetRule, 0), false],
  ])('%s → %s', (_name, event, expected) => {
    expect(isActivity(event)).toBe(expected);
  });
});

describe('session rules over a stream of events', () => {
  const cases: { name: string; events: WireEvent[]; expected: { startedAt: number; lengthMs: number }[] }[] = [
    {
      name: 'one activity is a session of length 0 (a bounce)',
      events: [meta(at('11:00'))],
      expected: [{ startedAt: at('11:00'), lengthMs: 0 }],
    },
    {
      name: 'activity at 11:00 and 11:10 then 20 min of silence is one session of 600 000 ms ending at 11:10',
      events: [meta(at('11:00')), click(at('11:10'))],
      expected: [{ startedAt: at('11:00'), lengthMs: 600_000 }],
    },
    {
      name: 'mutations and console entries during a long idle period do not extend the session',
      events: [
        meta(at('11:00')),
        click(at('11:05')),
        mutation(at('11:20')),
        consoleEntry(at('11:30')),
        mutation(at('11:34')),
        mutation(at('11:50')),
        consoleEntry(at('12:10')),
      ],
      expected: [{ startedAt: at('11:00'), lengthMs: 5 * MIN }],
    },
    {
      name: 'activity after the timeout starts a new session',
      events: [meta(at('11:00')), move(at('11:10')), move(at('11:40', 1)), click(at('11:45'))],
      expected: [
        { startedAt: at('11:00'), lengthMs: 10 * MIN },
        { startedAt: at('11:40', 1), lengthMs: 5 * MIN - 1000 },
      ],
    },
    {
      name: 'activity exactly at the timeout still extends the session',
      events: [meta(at('11:00')), move(at('11:30'))],
      expected: [{ startedAt: at('11:00'), lengthMs: 30 * MIN }],
    },
    {
      name: 'events before any activity start no session',
      events: [mutation(at('10:59')), meta(at('11:00'))],
      expected: [{ startedAt: at('11:00'), lengthMs: 0 }],
    },
  ];

  it.each(cases)('$name', ({ events, expected }) => {
    expect(sessionsOf(events).map(({ startedAt, lengthMs }) => ({ startedAt, lengthMs }))).toEqual(expected);
  });

  it('gives each new session a new id', () => {
    expect(sessionsOf([meta(at('11:00')), move(at('12:00')), move(at('13:00'))]).map((s) => s.id)).toEqual(['s1', 's2', 's3']);
  });

  it('splits a session at maxSessionMs even while the user stays active', () => {
    const shortMax = { timeoutMs: 30 * MIN, maxSessionMs: 60 * MIN };
    const events = [0, 20, 40, 60, 80].map((m) => move(at('11:00') + m * MIN));
    expect(sessionsOf(events, shortMax).map((s) => [s.startedAt, s.lengthMs])).toEqual([
      [at('11:00'), 40 * MIN],
      [at('12:00'), 20 * MIN],
    ]);
  });
});

describe('applyActivity and isExpired', () => {
  it('expires strictly after the timeout', () => {
    const state = { id: 'a', startedAt: 0, lastActivityAt: 1_000 };
    expect(isExpired(state, 1_000 + rules.timeoutMs, rules)).toBe(false);
    expect(isExpired(state, 1_001 + rules.timeoutMs, rules)).toBe(true);
  });

  it('never moves the last activity backwards (another tab may be ahead)', () => {
    const { state, started } = applyActivity({ id: 'a', startedAt: 0, lastActivityAt: 5_000 }, 4_000, rules, ids());
    expect(started).toBe(false);
    expect(state.lastActivityAt).toBe(5_000);
  });
});

describe('activity spans and active time', () => {
  it('groups activities whose gaps are at most the idle threshold', () => {
    expect(activitySpans([0, 1_000, 5_000, 11_000, 12_000], 5_000)).toEqual([
      [0, 5_000],
      [11_000, 12_000],
    ]);
  });

  it('merges spans from batches arriving out of order and from several windows', () => {
    const merged = mergeSpans(
      [
        [20_000, 21_000],
        [0, 2_000],
        [1_000, 4_000],
        [8_000, 9_000],
      ],
      5_000,
    );
    expect(merged).toEqual([
      [0, 9_000],
      [20_000, 21_000],
    ]);
    expect(activeTime(merged)).toBe(10_000);
  });
});

describe('activitySpan', () => {
  it('dates a pointer-move event by its positions, not by its later flush', () => {
    const event = incremental(IncrementalSource.MouseMove, 10_000, {
      positions: [
        { x: 1, y: 1, id: 1, timeOffset: -480 },
        { x: 2, y: 2, id: 1, timeOffset: -120 },
      ],
    });
    expect(activitySpan(event)).toEqual([9_520, 9_880]);
  });

  it('is a moment for other activity and null for non-activity', () => {
    expect(activitySpan(click(500))).toEqual([500, 500]);
    expect(activitySpan(mutation(500))).toBeNull();
  });
});

describe('idleGaps', () => {
  it('keeps only the gaps between merged spans longer than the threshold', () => {
    const spans: [number, number][] = [
      [0, 10_000],
      [40_000, 50_000],
      [200_000, 210_000],
      [270_001, 280_000],
    ];
    expect(idleGaps(spans, MIN)).toEqual([
      [50_000, 200_000],
      [210_000, 270_001],
    ]);
    expect(idleGaps([[0, 5]], MIN)).toEqual([]);
  });
});

describe('resessionize (a retroactive timeout)', () => {
  const stored = (key: string, from: string, to: string, gaps: [string, string][] = []): RecordedSession => ({
    key,
    firstActivityAt: at(from),
    lastActivityAt: at(to),
    idleGaps: gaps.map(([a, b]) => [at(a), at(b)]),
    clockOffsetMs: 0,
    signalTimes: [],
  });
  // One device: a session 11:00–11:20 with a 12-minute idle gap at 11:05–11:17, then one at
  // 12:00–12:05 (40 minutes later), then one at 14:00–14:10; another device at 11:30–11:31.
  const sessions = [
    stored('a', '11:00', '11:20', [['11:05', '11:17']]),
    stored('a', '12:00', '12:05'),
    stored('a', '14:00', '14:10'),
    stored('b', '11:30', '11:31'),
  ];
  const lengths = (timeoutMin: number, maxMin = 24 * 60) =>
    resessionize(sessions, { timeoutMs: timeoutMin * MIN, maxSessionMs: maxMin * MIN }).map((s) => [
      new Date(s.startedAt).toISOString().slice(11, 16),
      s.lengthMs / MIN,
    ]);

  it.each([
    {
      name: 'the recorded timeout (30 min) gives the stored sessions back',
      timeout: 30,
      expected: [['11:00', 20], ['12:00', 5], ['14:00', 10], ['11:30', 1]],
    },
    {
      name: 'a shorter timeout (10 min) splits at the 12-minute idle gap',
      timeout: 10,
      expected: [['11:00', 5], ['11:17', 3], ['12:00', 5], ['14:00', 10], ['11:30', 1]],
    },
    {
      name: 'a longer timeout (45 min) merges sessions of the same device 40 minutes apart',
      timeout: 45,
      expected: [['11:00', 65], ['14:00', 10], ['11:30', 1]],
    },
    {
      name: 'a much longer timeout (2 h) merges the whole day of one device, never across devices',
      timeout: 120,
      expected: [['11:00', 190], ['11:30', 1]],
    },
  ])('$name', ({ timeout, expected }) => {
    expect(lengths(timeout)).toEqual(expected);
  });

  it('still splits merged sessions at maxSessionMs', () => {
    expect(lengths(120, 90)).toEqual([['11:00', 65], ['14:00', 10], ['11:30', 1]]);
  });

  it('keeps the clock offset of the stored session each new session starts in', () => {
    const withOffsets = [
      { ...stored('a', '11:00', '11:10'), clockOffsetMs: 7 },
      { ...stored('a', '11:20', '11:25'), clockOffsetMs: 9 },
    ];
    expect(resessionize(withOffsets, { timeoutMs: 5 * MIN, maxSessionMs: 24 * 60 * MIN }).map((s) => s.clockOffsetMs)).toEqual([7, 9]);
  });

  describe('frustration under another timeout', () => {
    // The first session has a signal at 11:18, after its idle gap; the third one at 14:01.
    const withSignals = [
      { ...sessions[0], signalTimes: [at('11:18')] },
      sessions[1],
      { ...sessions[2], signalTimes: [at('14:01'), at('14:02')] },
      sessions[3],
    ];
    const frustrated = (timeoutMin: number) =>
      resessionize(withSignals, { timeoutMs: timeoutMin * MIN, maxSessionMs: 24 * 60 * MIN }).map((s) => [
        new Date(s.startedAt).toISOString().slice(11, 16),
        s.frustrated,
      ]);

    it.each([
      { timeout: 30, expected: [['11:00', true], ['12:00', false], ['14:00', true], ['11:30', false]] },
      // Split at the idle gap: only the part after it holds the signal.
      { timeout: 10, expected: [['11:00', false], ['11:17', true], ['12:00', false], ['14:00', true], ['11:30', false]] },
      // Merged: a session is frustrated when any part of it was.
      { timeout: 45, expected: [['11:00', true], ['14:00', true], ['11:30', false]] },
    ])('timeout $timeout min', ({ timeout, expected }) => {
      expect(frustrated(timeout)).toEqual(expected);
    });
  });
});
