import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventsMemberNow, eventsText } from '../../recorder/batchBody';
import { LocalBatchStore } from '../../recorder/batchStore';
import { Persistence } from '../../recorder/persistence';
import { MAX_QUEUED_BATCHES } from '../../recorder/queueBound';
import type { SendOutcome } from '../../recorder/sender';
import { Transport } from '../../recorder/transport';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Transport', () => {
  it('drops the oldest batches past the bound and reports their count once, in the next batch sent', async () => {
    // Node has no window events; the transport only listens for 'online'.
    vi.stubGlobal('addEventListener', () => undefined);
    vi.stubGlobal('removeEventListener', () => undefined);
    const errors: unknown[] = [];
    const sent: { seq: number; droppedBatches?: number }[] = [];
    let releaseFirst!: () => void;
    const firstAnswered = new Promise<void>((resolve) => (releaseFirst = resolve));
    const transport = new Transport({
      send: async (body) => {
        const batch = JSON.parse(gunzipSync(body).toString('utf8'));
        sent.push({ seq: batch.seq, droppedBatches: batch.droppedBatches });
        if (batch.seq === 0) await firstAnswered;
        return { kind: 'ok' } satisfies SendOutcome;
      },
      project: 'demo',
      windowId: 'w1',
      // Node has neither IndexedDB nor localStorage: nothing is stored, the queue is in memory.
      persistence: new Persistence(Promise.resolve(null), new LocalBatchStore()),
      compress: async (eventsJson) => eventsMemberNow(eventsText(eventsJson)),
      clock: { now: () => 1_000_000, random: () => 0.5 },
      onError: (error) => errors.push(error),
    });
    const header = (seq: number) => ({ project: 'demo', sessionId: 's', windowId: 'w1', deviceId: 'd', seq, sessionTimeoutMs: 1_000 });
    const extra = 3;
    // Batch 0 is in flight (never dropped) while MAX_QUEUED_BATCHES + extra more wait.
    const settled = [transport.enqueue(header(0), ['{}'])];
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    for (let seq = 1; seq <= MAX_QUEUED_BATCHES + extra; seq++) settled.push(transport.enqueue(header(seq), ['{}']));
    releaseFirst();
    await Promise.all(settled);
    await transport.idle();
    transport.stop();

    const kept = Array.from({ length: MAX_QUEUED_BATCHES }, (_, i) => i + 1 + extra);
    expect(errors).toEqual([]);
    expect(sent.map((batch) => batch.seq)).toEqual([0, ...kept]);
    expect(sent.filter((batch) => batch.droppedBatches !== undefined)).toEqual([{ seq: 1 + extra, droppedBatches: extra }]);
  });
});
