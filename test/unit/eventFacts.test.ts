import { EventType, IncrementalSource } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { CONSOLE_PLUGIN, CUSTOM_EVENT, NETWORK_PLUGIN } from '../../shared/constants';
import { consoleText, eventFact, type EventFact } from '../../shared/eventFacts';
import type { WireEvent } from '../../shared/wire';

const T0 = Date.parse('2026-11-30T10:00:00Z');
const custom = (tag: string, payload?: unknown): WireEvent => ({ type: EventType.Custom, timestamp: T0, data: { tag, payload } });
const plugin = (name: string, payload?: unknown): WireEvent => ({ type: EventType.Plugin, timestamp: T0, data: { plugin: name, payload } });

describe('eventFact', () => {
  const cases: [string, WireEvent, EventFact | null][] = [
    ['a page load (Meta href)', { type: EventType.Meta, timestamp: T0, data: { href: 'https://shop.test/', width: 1280, height: 720 } }, { kind: 'pageView', url: 'https://shop.test/' }],
    ['a Meta event without an href', { type: EventType.Meta, timestamp: T0, data: { width: 1280 } }, null],
    ['an SPA navigation ($pageview)', custom(CUSTOM_EVENT.pageview, { href: 'https://shop.test/cart' }), { kind: 'pageView', url: 'https://shop.test/cart' }],
    ['a $pageview whose href is not a string', custom(CUSTOM_EVENT.pageview, { href: 42 }), null],
    ['identify() with traits', custom(CUSTOM_EVENT.identify, { userId: 'ada@shop.test', traits: { plan: 'pro' } }), { kind: 'identify', userId: 'ada@shop.test', traits: { plan: 'pro' } }],
    ['identify() with a user id that is not a string', custom(CUSTOM_EVENT.identify, { userId: 7 }), { kind: 'identify', userId: null, traits: undefined }],
    ['track()', custom(CUSTOM_EVENT.track, { name: 'checkout', props: { total: 3 } }), { kind: 'track', name: 'checkout' }],
    ['track() without a payload', custom(CUSTOM_EVENT.track, null), { kind: 'track', name: null }],
    [
      'a dead click ($signal), with its click time',
      custom(CUSTOM_EVENT.signal, { kind: 'dead', at: T0 - 7_000, selector: 'button#pay', label: 'Pay' }),
      { kind: 'signal', signal: 'dead', at: T0 - 7_000, selector: 'button#pay', label: 'Pay', message: null },
    ],
    [
      'an error click with its message, its click time missing',
      custom(CUSTOM_EVENT.signal, { kind: 'error', at: 'soon', message: 'boom' }),
      { kind: 'signal', signal: 'error', at: null, selector: '', label: '', message: 'boom' },
    ],
    ['a $signal of an unknown kind', custom(CUSTOM_EVENT.signal, { kind: 'sad', at: T0 }), null],
    ['a $activity ping (activity, not a fact)', custom(CUSTOM_EVENT.activity, { kind: 'key' }), null],
    ['a custom event of the host page', custom('checkout-step', { step: 2 }), null],
    [
      'a console error',
      plugin(CONSOLE_PLUGIN, { level: 'error', payload: ['"boom"'], trace: ['at pay (app.js:1:2)', 3] }),
      { kind: 'console', level: 'error', args: ['"boom"'], trace: ['at pay (app.js:1:2)'] },
    ],
    ['a console line without a level', plugin(CONSOLE_PLUGIN, {}), { kind: 'console', level: 'log', args: [], trace: [] }],
    [
      'requests, with a duration or start and end times',
      plugin(NETWORK_PLUGIN, {
        requests: [
          { name: 'https://shop.test/api/pay', method: 'post', status: 502, startTime: 10, endTime: 130 },
          { name: 'https://shop.test/app.js', duration: 40 },
        ],
      }),
      {
        kind: 'network',
        requests: [
          { method: 'POST', url: 'https://shop.test/api/pay', status: 502, durationMs: 120 },
          { method: 'GET', url: 'https://shop.test/app.js', status: null, durationMs: 40 },
        ],
      },
    ],
    ['another plugin', plugin('rrweb/sequential-id@1', { id: 1 }), null],
    ['a full snapshot', { type: EventType.FullSnapshot, timestamp: T0, data: { node: {}, initialOffset: { top: 0, left: 0 } } }, null],
    ['a click', { type: EventType.IncrementalSnapshot, timestamp: T0, data: { source: IncrementalSource.MouseInteraction, type: 2, id: 1 } }, null],
    ['an event without data', { type: EventType.Custom, timestamp: T0 }, null],
  ];

  it.each(cases)('%s', (_name, event, fact) => {
    expect(eventFact(event)).toEqual(fact);
  });
});

describe('consoleText', () => {
  const cases: [string, unknown[], string][] = [
    ['drops the quotes JSON adds to strings', ['"payment failed"', '"again"'], 'payment failed again'],
    ['keeps other JSON as written', ['{"n":1}', '[1,2]'], '{"n":1} [1,2]'],
    ['keeps what is not JSON', ['not json', 3], 'not json 3'],
    ['says nothing for no arguments', [], ''],
  ];

  it.each(cases)('%s', (_name, args, text) => {
    expect(consoleText(args)).toBe(text);
  });
});
