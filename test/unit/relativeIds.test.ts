import { gzipSync } from 'node:zlib';
import { EventType, IncrementalSource } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { decodeRelativeIds, encodeRelativeIds } from '../../shared/relativeIds';
import { T0 } from '../helpers/batches';

const LIMIT = 32 * 1024 * 1024;

/** A list of `items` rendered anew, as TodoMVC's VanillaJS example does on each change: every node a fresh id. */
function rerender(firstId: number, items: number, at: number) {
  const adds = [];
  for (let i = 0; i < items; i++) {
    const li = firstId + i * 2;
    adds.push({ parentId: 7, nextId: i ? li - 2 : null, node: { type: 2, tagName: 'li', attributes: { 'data-id': `item-${i}` }, childNodes: [], id: li } });
    adds.push({ parentId: li, nextId: null, node: { type: 3, textContent: `Item ${i}: call the plumber about the kitchen`, id: li + 1 } });
  }
  const removes = Array.from({ length: items * 2 }, (_, i) => ({ parentId: 7, id: firstId - 1 - i }));
  return { type: EventType.IncrementalSnapshot, timestamp: at, data: { source: IncrementalSource.Mutation, texts: [], attributes: [], removes, adds } };
}

/** A batch's JSON with `renders` re-renders of a 40-item list, as the recorder sends it. */
function renders(count: number): string {
  const events = Array.from({ length: count }, (_, r) => rerender(1_000 + r * 500, 40, T0 + r * 1_300));
  return JSON.stringify({ project: 'demo', seq: 3, events });
}

describe('relative ids', () => {
  it('decode back to the very text encoded, and make a re-rendered list far smaller once gzipped', () => {
    const text = renders(8);
    const encoded = encodeRelativeIds(text);
    expect(encoded).toContain('"id":~1');
    expect(encoded).toContain('"timestamp":~1300');
    expect(decodeRelativeIds(encoded, LIMIT)).toBe(text);
    expect(gzipSync(encoded).length).toBeLessThan(gzipSync(text).length * 0.5);
  });

  it('keep ids far from the last one absolute, and leave what is no whole integer as it is', () => {
    const text = JSON.stringify({
      events: [
        { type: 3, timestamp: T0, data: { source: 2, type: 2, id: 5_000, x: 1.5, y: 2 } },
        { type: 3, timestamp: T0 + 5, data: { adds: [{ parentId: 12, nextId: null, node: { id: 5_001 } }], removes: [{ parentId: 4, id: -1 }] } },
        { type: 5, timestamp: T0 + 9, data: { payload: { id: 1.25, nextId: 1e21, parentId: 12345678901234567, previousId: '7', text: '"id":5 and \\"id\\":6' } } },
      ],
    });
    const encoded = encodeRelativeIds(text);
    expect(encoded).toContain('"id":5000');
    expect(encoded).toContain('"parentId":12,');
    expect(encoded).toContain('"id":~1');
    expect(encoded).toContain('"id":-1');
    expect(encoded).toContain('"id":1.25');
    expect(encoded).toContain('"parentId":12345678901234568');
    expect(encoded).toContain(`"text":${JSON.stringify('"id":5 and \\"id\\":6')}`);
    expect(decodeRelativeIds(encoded, LIMIT)).toBe(text);
  });

  it('leave plain JSON unchanged when decoding, so a batch sent without them reads as before', () => {
    const text = renders(2);
    expect(decodeRelativeIds(text, LIMIT)).toBe(text);
    expect(decodeRelativeIds('{"events":[{"type":4,"timestamp":1,"data":{"id":2}}]}', LIMIT)).toBe('{"events":[{"type":4,"timestamp":1,"data":{"id":2}}]}');
  });

  it('refuse hostile input: a value past the safe integers, or a text that would grow past the limit', () => {
    const runaway = `{"events":[${Array.from({ length: 20 }, () => '{"id":~999999999999999}').join(',')}]}`;
    expect(() => decodeRelativeIds(runaway, LIMIT)).toThrow(RangeError);
    const growing = `{"events":[${Array.from({ length: 1_000 }, () => '{"timestamp":~9}').join(',')}]}`;
    expect(decodeRelativeIds(growing, LIMIT)).toContain('"timestamp":9000}');
    expect(() => decodeRelativeIds(growing, growing.length + 10)).toThrow(RangeError);
    // Not JSON once decoded either: the reader's JSON.parse refuses it.
    expect(() => JSON.parse(decodeRelativeIds('{"id":~-}', LIMIT))).toThrow(SyntaxError);
  });
});
