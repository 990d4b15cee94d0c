import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Batcher } from '../../recorder/batcher';
import { BATCH_MAX_BYTES } from '../../shared/constants';

const always = () => true;
const never = () => false;
const noop = () => undefined;

/** A full snapshot of a page of `rows` list items: large enough to be written in slices. */
function largeSnapshot(rows: number) {
  const childNodes = Array.from({ length: rows }, (_, i) => ({ type: 2, tagName: 'li', attributes: { class: 'row' }, childNodes: [{ type: 3, textContent: `Row ${i}`, id: 2 * i + 3 }], id: 2 * i + 2 }));
  return { type: 2, data: { node: { type: 0, childNodes: [{ type: 2, tagName: 'ul', attributes: {}, childNodes, id: 1 }], id: 0 }, initialOffset: { left: 0, top: 0 } }, timestamp: 1 };
}

// The batcher tells a large snapshot by the page's element count: a page of over 2 000 elements here
// (its live collection of all elements has a 2 001st).
beforeAll(() => {
  (globalThis as { document?: unknown }).document = { getElementsByTagName: () => Array.from({ length: 5_000 }, () => ({})) };
});
afterAll(() => {
  delete (globalThis as { document?: unknown }).document;
});

/** A Batcher whose sliced writer has loaded: until then, a large event waits for it. */
async function loadedBatcher(): Promise<Batcher> {
  const batcher = new Batcher(noop);
  batcher.add('s1', largeSnapshot(1_000));
  let batch = batcher.serialise(always, true);
  expect(batch).toBeNull();
  while (!(batch = batcher.serialise(always, true))) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(batch.eventsJson).toEqual([JSON.stringify(largeSnapshot(1_000))]);
  return batcher;
}

describe('Batcher', () => {
  it('cuts nothing until asked, then everything waiting, serialised', () => {
    const batcher = new Batcher(noop);
    expect(batcher.cut()).toBeNull();
    expect(batcher.add('s1', { a: 1 })).toBeNull();
    expect(batcher.add('s1', { a: 2 })).toBeNull();
    expect(batcher.cut()).toEqual({ sessionId: 's1', eventsJson: ['{"a":1}', '{"a":2}'], bytes: 14 });
    expect(batcher.cut()).toBeNull();
  });

  it('hands back the previous session’s events when the session changes', () => {
    const batcher = new Batcher(noop);
    batcher.add('s1', 1);
    expect(batcher.add('s2', 2)).toEqual({ sessionId: 's1', eventsJson: ['1'], bytes: 1 });
    expect(batcher.cut()).toEqual({ sessionId: 's2', eventsJson: ['2'], bytes: 1 });
  });

  it('serialises while there is time, at least one event per call; the due batch takes every small event', () => {
    const batcher = new Batcher(noop);
    batcher.add('s1', 'a');
    batcher.add('s1', 'b');
    batcher.add('s1', 'c');
    expect(batcher.serialise(never)).toBeNull();
    batcher.add('s1', 'd');
    expect(batcher.serialise(never, true)?.eventsJson).toEqual(['"a"', '"b"', '"c"', '"d"']);
    expect(batcher.cut()).toBeNull();
  });

  it('cuts a batch as soon as its serialised events reach the size cap', () => {
    const batcher = new Batcher(noop);
    const half = { text: 'x'.repeat(BATCH_MAX_BYTES / 2) };
    batcher.add('s1', half);
    batcher.add('s1', half);
    batcher.add('s1', 'next');
    const full = batcher.serialise(always);
    expect(full?.eventsJson).toHaveLength(2);
    expect(batcher.cut()?.eventsJson).toEqual(['"next"']);
  });

  it('writes a large event in slices, one step per call without time, and keeps what follows it for later', async () => {
    const batcher = await loadedBatcher();
    const snapshot = largeSnapshot(5_000);
    batcher.add('s1', { type: 4 });
    batcher.add('s1', snapshot);
    batcher.add('s1', { type: 3 });
    // Due without time: the small event before goes, the snapshot is begun, the one after waits.
    expect(batcher.serialise(never, true)?.eventsJson).toEqual(['{"type":4}']);
    let calls = 1;
    let batch = null;
    while (!(batch = batcher.serialise(never, true))) calls++;
    expect(calls).toBeGreaterThan(2);
    expect(batch.eventsJson).toEqual([JSON.stringify(snapshot), '{"type":3}']);
  });

  it('takes a large event’s text a call after the one that wrote its end: joining megabytes gets a task of its own', async () => {
    const batcher = await loadedBatcher();
    const snapshot = largeSnapshot(5_000);
    batcher.add('s1', snapshot);
    expect(batcher.serialise(always, true)).toBeNull();
    expect(batcher.serialise(always, true)?.eventsJson).toEqual([JSON.stringify(snapshot)]);
  });

  it('writes a large event whole when the batch is cut at once (page hide)', async () => {
    const batcher = await loadedBatcher();
    const snapshot = largeSnapshot(5_000);
    batcher.add('s1', snapshot);
    batcher.add('s1', { type: 3 });
    expect(batcher.serialise(never, true)).toBeNull();
    expect(batcher.cut()?.eventsJson).toEqual([JSON.stringify(snapshot), '{"type":3}']);
  });

  it('drops an event that cannot be serialised, reports it, and keeps the rest, the report in the same batch', async () => {
    const errors: unknown[] = [];
    const batcher: Batcher = new Batcher((error) => {
      errors.push(error);
      batcher.add('s1', { reported: true });
    });
    batcher.add('s1', { n: BigInt(1) });
    batcher.add('s1', { ok: true });
    expect(batcher.cut()?.eventsJson).toEqual(['{"ok":true}', '{"reported":true}']);
    expect(String(errors[0])).toContain('BigInt');
    const loaded = await loadedBatcher();
    const broken = largeSnapshot(2_000);
    (broken.data.node.childNodes[0].childNodes[1_500].attributes as Record<string, unknown>).n = BigInt(2);
    loaded.add('s1', broken);
    loaded.add('s1', { ok: true });
    expect(loaded.serialise(always, true)?.eventsJson).toEqual(['{"ok":true}']);
  });
});
