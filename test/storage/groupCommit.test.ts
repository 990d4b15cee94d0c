/**
 * Batches stored at once (one group commit on SQLite): each is acknowledged after its own
 * commit, and one that fails is rolled back alone, its neighbours stored whole.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { summarizeBatch } from '../../shared/summarizeBatch';
import type { BatchRecord } from '../../server/storage/storage';
import { clickEvent, metaEvent, T0 } from '../helpers/batches';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

function record(sessionId: string, seq: number): BatchRecord {
  const events = [metaEvent(T0 + seq * 1_000, `https://shop.test/${seq}`), clickEvent(T0 + seq * 1_000 + 500)];
  const json = Buffer.from(JSON.stringify({ events }));
  return {
    project: 'demo',
    sessionId,
    windowId: randomUUID(),
    deviceId: 'device',
    seq,
    sessionTimeoutMs: 1_800_000,
    userAgent: null,
    receivedAt: T0,
    clockOffsetMs: 0,
    summary: summarizeBatch(events),
    recording: { gzip: gzipSync(json) },
    eventsRead: true,
    droppedBatches: 0,
  };
}

it('stores the batches of one turn, rolling back only the one that fails', async () => {
  const sessions = Array.from({ length: 6 }, () => randomUUID());
  const batches = sessions.map((id, i) => record(id, i));
  // A page view without a URL makes its insert fail half-way, after its chunk and window rows.
  const broken = batches[3];
  broken.summary.pageViews = [{ at: T0, url: undefined as unknown as string }];
  const outcomes = await Promise.allSettled(batches.map((batch) => server.replay.storage.appendBatch(batch)));
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  for (const [i, id] of sessions.entries()) {
    const session = await server.replay.storage.getSession(id, T0);
    const chunks = [];
    for await (const chunk of server.replay.storage.readChunks(id)) chunks.push(chunk);
    expect({ i, stored: session !== null, chunks: chunks.length }).toEqual({ i, stored: i !== 3, chunks: i === 3 ? 0 : 1 });
  }
  // The failed batch stores whole when sent again, and a repeat of a stored one counts nothing.
  broken.summary.pageViews = [{ at: T0, url: 'https://shop.test/3' }];
  const again = await Promise.all([broken, batches[0]].map((batch) => server.replay.storage.appendBatch(batch)));
  expect(again.map((a) => a.stored)).toEqual([true, false]);
  expect((await server.replay.storage.getSession(sessions[0], T0))?.eventCount).toBe(2);
});
