import { EventType } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { describeSignal, nextSignalSeek, readSignal, type SignalEntry } from '../../../player/src/signalEntries';
import { shortcutFor } from '../../../player/src/shortcuts';
import { describeWindow } from '../../../player/src/windowTimeline';
import { CUSTOM_EVENT } from '../../../shared/constants';
import type { WireEvent } from '../../../shared/wire';

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
  it.each<[string, unknown, Partial<SignalEntry> | null]>([
    ['a dead click, placed at its click, not 7 s later', { kind: 'dead', at: T0 + 1_000, selector: 'a#x', label: 'X' }, { at: 1_000, kind: 'dead' }],
    ['an error click keeps its message', { kind: 'error', at: T0, message: 'boom' }, { at: 0, message: 'boom' }],
    ['no click time: the event time', { kind: 'dead' }, { at: 9_000 }],
    ['an unknown kind', { kind: 'sad', at: T0 }, null],
    ['no payload', null, null],
  ])('%s', (_name, payload, expected) => {
    const signal = readSignal(payload, T0, 9_000);
    if (expected === null) expect(signal).toBeNull();
    else expect(signal).toMatchObject(expected);
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
    expect(timeline.signals.map((s) => [s.at, s.kind])).toEqual([
      [1_000, 'dead'],
      [2_000, 'rage'],
    ]);
    expect(timeline.marks).toEqual([
      { at: 1_000, kind: 'signal', signal: 'dead', label: 'Dead click on “A”' },
      { at: 2_000, kind: 'signal', signal: 'rage', label: 'Rage click on “B”' },
    ]);
  });
});
