import { describe, expect, it } from 'vitest';
import { Batcher } from '../../recorder/batcher';
import { BATCH_MAX_BYTES } from '../../shared/constants';

const always = () => true;

describe('Batcher', () => {
  it('cuts nothing until asked, then everything waiting, serialised', () => {
    const batcher = new Batcher(() => undefined);
    expect(batcher.cut()).toBeNull();
    expect(batcher.add('s1', { a: 1 })).toBeNull();
    expect(batcher.add('s1', { a: 2 })).toBeNull();
    expect(batcher.cut()).toEqual({ sessionId: 's1', eventsJson: ['{"a":1}', '{"a":2}'], bytes: 14 });
    expect(batcher.cut()).toBeNull();
  });

  it('hands back the previous session’s events when the session changes', () => {
    const batcher = new Batcher(() => undefined);
    batcher.add('s1', 1);
    expect(batcher.add('s2', 2)).toEqual({ sessionId: 's1', eventsJson: ['1'], bytes: 1 });
    expect(batcher.cut()).toEqual({ sessionId: 's2', eventsJson: ['2'], bytes: 1 });
  });

  it('serialises while there is time, at least one event per call', () => {
    const batcher = new Batcher(() => undefined);
    batcher.add('s1', 'a');
    batcher.add('s1', 'b');
    expect(batcher.serialise(() => false)).toBeNull();
    expect(batcher.hasRaw).toBe(true);
    expect(batcher.serialise(always)).toBeNull();
    expect(batcher.hasRaw).toBe(false);
    expect(batcher.cut()?.eventsJson).toEqual(['"a"', '"b"']);
  });

  it('cuts a batch as soon as its serialised events reach the size cap', () => {
    const batcher = new Batcher(() => undefined);
    const half = 'x'.repeat(BATCH_MAX_BYTES / 2);
    batcher.add('s1', half);
    batcher.add('s1', half);
    batcher.add('s1', 'next');
    const full = batcher.serialise(always);
    expect(full?.eventsJson).toHaveLength(2);
    expect(batcher.hasRaw).toBe(true);
    expect(batcher.cut()?.eventsJson).toEqual(['"next"']);
  });

  it('drops an event that cannot be serialised, reports it, and keeps the rest', () => {
    const errors: unknown[] = [];
    const batcher = new Batcher((error) => errors.push(error));
    batcher.add('s1', { n: BigInt(1) });
    batcher.add('s1', { ok: true });
    expect(batcher.cut()?.eventsJson).toEqual(['{"ok":true}']);
    expect(String(errors[0])).toContain('BigInt');
  });
});
