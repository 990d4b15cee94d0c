import { describe, expect, it } from 'vitest';
import type { StoredBatch } from '../../recorder/batchStore';
import { BatchQueue, type Clock, type Queued } from '../../recorder/queue';
import { MAX_QUEUED_BATCHES, MAX_QUEUED_BYTES } from '../../recorder/queueBound';
import { ORPHAN_AGE_MS } from '../../recorder/windowLocks';

const NOW = 1_000_000_000;

function clock(now = NOW, random = 0.5): Clock {
  return { now: () => now, random: () => random };
}

function stored(windowId: string, seq: number, createdAt: number, project = 'demo'): StoredBatch {
  const header = { project, sessionId: 's', windowId, deviceId: 'd', seq, sessionTimeoutMs: 1_000 };
  return { key: `${windowId}:${seq}`, header, events: new Uint8Array(10), createdAt };
}

function item(batch: StoredBatch, inFlight = 0): Queued {
  return { key: batch.key, header: batch.header, createdAt: batch.createdAt, events: batch.events, stored: true, inFlight, sentOnHide: false };
}

describe('BatchQueue', () => {
  it('sends the oldest batch with no request under way', () => {
    const queue = new BatchQueue<Queued>(clock());
    const first = item(stored('w1', 0, NOW), 1);
    const second = item(stored('w1', 1, NOW));
    queue.push(first);
    queue.push(second);
    expect(queue.next()).toBe(second);
    queue.remove(second);
    expect(queue.next()).toBeUndefined();
  });

  it('adopts its own window’s batches and orphans of dead windows, oldest first, ahead of younger ones', () => {
    const queue = new BatchQueue<Queued>(clock());
    const live = item(stored('w1', 5, NOW));
    queue.push(live);
    const batches = [
      stored('w1', 3, NOW - 10),
      stored('dead', 1, NOW - 20),
      stored('dead', 0, NOW - 20),
      stored('alive', 0, NOW - 30),
      stored('w1', 4, NOW - 5, 'other-project'),
    ];
    const adopted = queue.adopt(batches, { project: 'demo', windowId: 'w1', live: new Set(['w1', 'alive']) }, item);
    expect(adopted.map((a) => a.key)).toEqual(['dead:0', 'dead:1', 'w1:3']);
    expect(queue.all.map((a) => a.key)).toEqual(['dead:0', 'dead:1', 'w1:3', 'w1:5']);
    // Known keys are not adopted twice.
    expect(queue.adopt(batches, { project: 'demo', windowId: 'w1', live: new Set(['w1']) }, item).map((a) => a.key)).toEqual(['alive:0']);
  });

  it('without Web Locks, adopts another window’s batch once it is older than the orphan age, by the injected clock', () => {
    const batch = stored('w2', 0, NOW - ORPHAN_AGE_MS);
    expect(new BatchQueue<Queued>(clock(NOW)).adopt([batch], { project: 'demo', windowId: 'w1', live: null }, item)).toEqual([]);
    expect(new BatchQueue<Queued>(clock(NOW + 1)).adopt([batch], { project: 'demo', windowId: 'w1', live: null }, item)).toHaveLength(1);
  });

  it('names the oldest waiting batches past the bound, never one in flight', () => {
    const queue = new BatchQueue<Queued>(clock());
    queue.push(item(stored('w1', 0, NOW), 1));
    for (let seq = 1; seq <= MAX_QUEUED_BATCHES + 1; seq++) queue.push(item(stored('w1', seq, NOW)));
    expect(queue.overflow().map((a) => a.key)).toEqual(['w1:1']);
  });

  it('keeps exactly the newest MAX_QUEUED_BATCHES waiting batches, dropping the oldest first', () => {
    const queue = new BatchQueue<Queued>(clock());
    for (let seq = 0; seq < MAX_QUEUED_BATCHES; seq++) queue.push(item(stored('w1', seq, NOW + seq)));
    expect(queue.overflow()).toEqual([]);
    for (let seq = MAX_QUEUED_BATCHES; seq < MAX_QUEUED_BATCHES + 3; seq++) queue.push(item(stored('w1', seq, NOW + seq)));
    expect(queue.overflow().map((a) => a.key)).toEqual(['w1:0', 'w1:1', 'w1:2']);
  });

  it('past MAX_QUEUED_BYTES of compressed events drops the oldest first, however few the batches', () => {
    const sized = (seq: number, bytes: number) => ({ ...item(stored('w1', seq, NOW + seq)), events: new Uint8Array(bytes) });
    const queue = new BatchQueue<Queued>(clock());
    queue.push(sized(0, 1));
    queue.push(sized(1, MAX_QUEUED_BYTES / 2));
    queue.push(sized(2, MAX_QUEUED_BYTES / 2));
    // One byte over: only the oldest goes, and the two left fill the bound exactly.
    expect(queue.overflow().map((a) => a.key)).toEqual(['w1:0']);
    queue.remove(queue.all[0]);
    expect(queue.overflow()).toEqual([]);
    queue.push(sized(3, 1));
    expect(queue.overflow().map((a) => a.key)).toEqual(['w1:1']);
  });

  it('backs off with the injected jitter, starts over after a success, and honours Retry-After', () => {
    const queue = new BatchQueue<Queued>(clock(NOW, 0));
    expect(queue.failed(null)).toBe(500);
    expect(queue.failed(null)).toBe(1_000);
    expect(queue.failed(null)).toBe(2_000);
    queue.succeeded();
    expect(queue.failed(null)).toBe(500);
    expect(new BatchQueue<Queued>(clock(NOW, 0.999)).failed(null)).toBeCloseTo(999.5);
    expect(queue.failed('2')).toBe(2_000);
    expect(queue.failed(new Date(NOW + 7_000).toUTCString())).toBe(7_000);
  });

  it('forgets which batches were sent on a page hide once the page is visible again', () => {
    const queue = new BatchQueue<Queued>(clock());
    const batch = item(stored('w1', 0, NOW));
    batch.sentOnHide = true;
    queue.push(batch);
    queue.resetHide();
    expect(batch.sentOnHide).toBe(false);
  });
});
