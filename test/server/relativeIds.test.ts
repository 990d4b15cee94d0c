import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChunk, SessionSummary } from '../../shared/api';
import { encodeEnvelope } from '../../shared/batchEnvelope';
import { encodeRelativeIds } from '../../shared/relativeIds';
import { summarizeBatch } from '../../shared/summarizeBatch';
import type { IngestBatch, WireEvent } from '../../shared/wire';
import { clickEvent, makeBatch, metaEvent, postIngest, T0 } from '../helpers/batches';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

/** A batch whose node ids sit close together, as rrweb's do. */
const events: WireEvent[] = [
  metaEvent(T0, 'https://shop.test/r'),
  {
    type: 3,
    timestamp: T0 + 400,
    data: {
      source: 0,
      texts: [],
      attributes: [],
      removes: [],
      adds: [
        { parentId: 40, nextId: null, node: { type: 2, tagName: 'li', attributes: {}, childNodes: [], id: 41 } },
        { parentId: 41, nextId: null, node: { type: 3, textContent: 'Row', id: 42 } },
      ],
    },
  },
  clickEvent(T0 + 1_500),
];

/** The batch's JSON gzipped as the recorder's worker sends it: ids and timestamps relative. */
const encodedGzip = (batch: IngestBatch) => gzipSync(encodeRelativeIds(JSON.stringify(batch)));

function envelopeWith(batch: IngestBatch, gzipped: Buffer): Buffer {
  const { events: batchEvents, ...fields } = batch;
  return Buffer.from(encodeEnvelope({ ...fields, summary: summarizeBatch(batchEvents) }, gzipped));
}

async function storedEvents(sessionId: string): Promise<unknown[]> {
  const res = await server.api(`/api/sessions/${sessionId}/events`);
  expect(res.status).toBe(200);
  const lines = (await res.text()).split('\n').filter(Boolean);
  return lines.flatMap((line) => (JSON.parse(line) as EventChunk).events);
}

describe('batches with relative ids', () => {
  it('are read at ingest with their ids and times absolute, and served so', async () => {
    const batch = makeBatch({ events });
    expect(encodeRelativeIds(JSON.stringify(batch))).toContain('"id":~1');
    const res = await postIngest(server.url, encodedGzip(batch));
    expect(res.status).toBe(200);
    const session = (await (await server.api(`/api/sessions/${batch.sessionId}`)).json()) as SessionSummary;
    expect(session).toMatchObject({ eventCount: 3, lengthMs: 1_500, entryUrl: 'https://shop.test/r' });
    expect(await storedEvents(batch.sessionId)).toEqual(events);
  });

  it('stored from an envelope, pass the after-the-fact check and are served with absolute ids', async () => {
    const batch = makeBatch({ events });
    expect((await postIngest(server.url, envelopeWith(batch, encodedGzip(batch)))).status).toBe(200);
    await server.replay.chunkChecker.runOnce();
    const verdicts = [];
    for await (const { verdict } of server.replay.storage.readChunks(batch.sessionId)) verdicts.push(verdict);
    expect(verdicts).toEqual(['ok']);
    expect(await storedEvents(batch.sessionId)).toEqual(events);
  });

  it('refuse a relative value out of range: 400 at ingest, marked corrupt from an envelope', async () => {
    const batch = makeBatch({ events });
    // Ten steps of 10^15 each leave the safe integers (2^53, about 9 × 10^15).
    const runaway = Array.from({ length: 10 }, () => '"id":~999999999999999').join(',"x":0,');
    const hostile = gzipSync(encodeRelativeIds(JSON.stringify(batch)).replace('"id":~1', runaway));
    const res = await postIngest(server.url, hostile);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_batch');
    expect(body.error.message).toContain('out of range');

    expect((await postIngest(server.url, envelopeWith(batch, hostile))).status).toBe(200);
    await server.replay.chunkChecker.runOnce();
    const verdicts = [];
    for await (const { verdict } of server.replay.storage.readChunks(batch.sessionId)) verdicts.push(verdict);
    expect(verdicts).toEqual(['corrupt']);
    expect(await storedEvents(batch.sessionId)).toEqual([]);
  });
});
