/**
 * The recorder's envelope summary reads a full snapshot or mutation, large or small, by its ends only:
 * what it sums up must still be what the server computes from the whole events.
 */
import { EventType, IncrementalSource } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../recorder/envelopeBody';
import { CUSTOM_EVENT } from '../../shared/constants';
import { summarizeBatch } from '../../shared/summarizeBatch';
import type { WireEvent } from '../../shared/wire';

const T0 = 1_790_000_000_000;

/** A list of `count` items as rrweb serialises DOM nodes. */
function items(count: number, firstId: number) {
  return Array.from({ length: count }, (_, i) => ({
    type: 2,
    tagName: 'li',
    attributes: { class: 'item' },
    childNodes: [{ type: 3, textContent: `Item ${i}`, id: firstId + 2 * i + 1 }],
    id: firstId + 2 * i,
  }));
}

const batch: WireEvent[] = [
  { type: EventType.Meta, data: { href: 'https://shop.example/list', width: 1280, height: 800 }, timestamp: T0 },
  { type: EventType.FullSnapshot, data: { node: { type: 0, childNodes: items(2_000, 10), id: 1 }, initialOffset: { left: 0, top: 0 } }, timestamp: T0 + 5 },
  { type: EventType.IncrementalSnapshot, data: { source: IncrementalSource.MouseInteraction, type: 2, id: 12, x: 5, y: 5 }, timestamp: T0 + 900 },
  {
    type: EventType.IncrementalSnapshot,
    data: { source: IncrementalSource.Mutation, texts: [], attributes: [], removes: [], adds: items(1_500, 9_000).map((node) => ({ parentId: 1, nextId: null, node })) },
    timestamp: T0 + 950,
  },
  { type: EventType.Custom, data: { tag: CUSTOM_EVENT.pageview, payload: { href: 'https://shop.example/list#2' } }, timestamp: T0 + 1_200 },
  { type: EventType.IncrementalSnapshot, data: { source: IncrementalSource.Mutation, texts: [{ id: 12, value: '"}' }], attributes: [], removes: [], adds: [] }, timestamp: T0 + 1_300 },
  { type: EventType.IncrementalSnapshot, data: { source: IncrementalSource.Input, text: 'a', isChecked: false }, timestamp: T0 + 7_000 },
];

describe('the envelope summary of a batch with large and small DOM events', () => {
  it('equals the summary of the parsed events, first and last times included', () => {
    const eventsJson = batch.map((event) => JSON.stringify(event));
    expect(eventsJson[1].length).toBeGreaterThan(32_768);
    expect(eventsJson[3].length).toBeGreaterThan(32_768);
    const summary = summarize(eventsJson, (error) => {
      throw error;
    });
    expect(summary).toEqual(summarizeBatch(batch));
    expect(summary).toMatchObject({ firstTs: T0, lastTs: T0 + 7_000, eventCount: 7 });
  });

  it('parses a large event whose text has another shape, and one that is the last of its batch', () => {
    const reordered = batch.map(({ type, data, timestamp }) => JSON.stringify({ timestamp, type, data }));
    const last = [...batch.slice(2), batch[1]].map((event) => JSON.stringify(event));
    const fail = (error: unknown) => {
      throw error;
    };
    expect(summarize(reordered, fail)).toEqual(summarizeBatch(batch));
    expect(summarize(last, fail)).toEqual(summarizeBatch([...batch.slice(2), batch[1]]));
  });
});
