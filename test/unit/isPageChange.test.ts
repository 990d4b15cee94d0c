import { EventType, IncrementalSource } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { CUSTOM_EVENT } from '../../shared/constants';
import { isPageChange } from '../../shared/isPageChange';
import type { WireEvent } from '../../shared/wire';

describe('isPageChange', () => {
  const incremental = (source: number): WireEvent => ({ type: EventType.IncrementalSnapshot, timestamp: 0, data: { source } });
  const custom = (tag: string): WireEvent => ({ type: EventType.Custom, timestamp: 0, data: { tag, payload: {} } });
  it.each<[string, WireEvent, boolean]>([
    ['a DOM mutation', incremental(IncrementalSource.Mutation), true],
    ['a scroll', incremental(IncrementalSource.Scroll), true],
    ['an input (a field, a checkbox)', incremental(IncrementalSource.Input), true],
    ['a page load', { type: EventType.Meta, timestamp: 0, data: { href: 'https://shop.test/' } }, true],
    ['an SPA navigation', custom(CUSTOM_EVENT.pageview), true],
    ['the click itself', incremental(IncrementalSource.MouseInteraction), false],
    ['a mouse move', incremental(IncrementalSource.MouseMove), false],
    ['a signal the recorder added', custom(CUSTOM_EVENT.signal), false],
    ['a full snapshot (a new session, not the page changing)', { type: EventType.FullSnapshot, timestamp: 0, data: {} }, false],
  ])('%s → %s', (_name, event, expected) => {
    expect(isPageChange(event)).toBe(expected);
  });
});
