import { EventType } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { describeSignal, nextSignalSeek, readSignal, type SignalEntry } from '../../../../player/src/replay/signalEntries';
import { shortcutFor } from '../../../../player/src/replay/shortcuts';
import { describeWindow } from '../../../../player/src/replay/windowTimeline';
import { CUSTOM_EVENT } from '../../../../shared/constants';
import type { EventFact } from '../../../../shared/eventFacts';
import type { WireEvent } from '../../../../shared/wire';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const signalEvent = (t: number, payload: unknown): WireEvent => ({
  type: EventType.Custom,
  timestamp: T0 + t,
  data: { tag: CUSTOM_EVENT.signal, payload },
});
const entry = (at: number, kind: SignalEntry['kind'] = 'rage'): SignalEntry => ({
  at,
  kind,
  selector: 'button#pay',
  label: 'Pay',
  message: null,
});

describe('readSignal', () => {
  const fact = (at: number | null): Extract<EventFact, { kind: 'signal' }> => ({
    kind: 'signal',
    signal: 'dead',
    at,
    selector: 'a#x',
    label: 'X',
    message: null,
  });
  it.each<[string, number | null, number]>([
    ['a dead click, placed at its click, not 7 s later', T0 + 1_000, 1_000],
    ['a click before the window’s first event: at its start', T0 - 500, 0],
    ['no click time: the event time', null, 9_000],
  ])('%s', (_name, at, expected) => {
    expect(readSignal(fact(at), T0, 9_000)).toEqual({ at: expected, kind: 'dead', selector: 'a#x', label: 'X', message: null });
  });
});

describe('describeSignal', () => {
  it.each<[string, SignalEntry, string]>([
    ['rage', entry(0), 'Rage click on “Pay”'],
    ['dead without a label names the selector', { ...entry(0, 'dead'), label: '' }, 'Dead click on button#pay'],
    ['error with its message', { ...entry(0, 'error'), message: 'boom' }, 'Error click on “Pay”: boom'],
  ])('%s', (_name, signal, text) => {
    expect(describeSignal(signal)).toBe(text);
  });
});

describe('nextSignalSeek', () => {
  const signals = [entry(10_000), entry(30_000, 'dead'), entry(31_000, 'error')];
  it.each<[number, number | null]>([
    [0, 8_000],
    [8_000, 28_000], // pressed again right after a jump: the following signal
    [12_000, 28_000],
    [28_000, 29_000],
    [29_000, null],
  ])('from %i ms seeks to %s', (ms, expected) => {
    expect(nextSignalSeek(signals, ms)).toBe(expected);
  });

  it('is bound to N', () => {
    const keys = { shiftKey: false, ctrlKey: false, metaKey: false, altKey: false };
    expect([shortcutFor({ ...keys, key: 'n' }), shortcutFor({ ...keys, key: 'n', ctrlKey: true })]).toEqual(['nextSignal', null]);
  });
});

describe('signals in describeWindow', () => {
  it('lists them in click order and marks each on the timeline apart from errors and pages', () => {
    const timeline = describeWindow([
      { type: EventType.Meta, timestamp: T0, data: { href: 'https://shop.test/' } },
      signalEvent(8_000, { kind: 'dead', at: T0 + 1_000, selector: 'button#a', label: 'A' }),
      signalEvent(2_000, { kind: 'rage', at: T0 + 2_000, selector: 'span#b', label: 'B' }),
    ]);
    expect(timeline.signals.map((s: SignalEntry) => [s.at, s.kind])).toEqual([
      [1_000, 'dead'],
      [2_000, 'rage'],
    ]);
    expect(timeline.marks).toEqual([
      { at: 1_000, kind: 'signal', signal: 'dead', label: 'Dead click on “A”' },
      { at: 2_000, kind: 'signal', signal: 'rage', label: 'Rage click on “B”' },
    ]);
  });
});
