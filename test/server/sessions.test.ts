import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChunk, SessionPage } from '../../shared/api';
import { CHUNK_FRAMES_TYPE, ChunkFrameReader } from '../../shared/chunkFrames';
import { clickEvent, makeBatch, metaEvent, postIngest, T0 } from '../helpers/batches';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
const lengths = [0, 45_000, 5_000, 120_000, 5_000, 900_000];
const ids: string[] = [];
// Client times close to the server's clock, so skew correction leaves start times as they are.
const base = Date.now() - 10 * 3_600_000;

beforeAll(async () => {
  server = await startServer();
  for (const [i, length] of lengths.entries()) {
    const start = base + i * 3_600_000;
    const batch = makeBatch({
      events: [metaEvent(start), clickEvent(start + length)],
      deviceId: i % 2 === 0 ? 'device-even' : 'device-odd',
    });
    ids.push(batch.sessionId);
    expect((await postIngest(server.url, batch)).status).toBe(200);
  }
});
afterAll(() => server.stop());

async function list(query = ''): Promise<SessionPage> {
  const res = await server.api(`/api/sessions${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

describe('GET /api/sessions', () => {
  it('lists longest first by default, with the total', async () => {
    const page = await list();
    expect(page.total).toBe(lengths.length);
    expect(page.sessions.map((s) => s.lengthMs)).toEqual([...lengths].sort((a, b) => b - a));
    expect(page.nextCursor).toBeNull();
  });

  it('pages with a cursor without skipping or repeating rows, even with equal lengths', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: SessionPage = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.sessions.length).toBeLessThanOrEqual(2);
      seen.push(...page.sessions.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(lengths.length);
    expect(seen).toEqual((await list()).sessions.map((s) => s.id));
  });

  it('keeps a cursor valid while sessions arrive: the next pages go on after the last row shown', async () => {
    const first = await list('?limit=2');
    expect(first.sessions.map((s) => s.lengthMs)).toEqual([900_000, 120_000]);
    // New sessions: one longer than any shown (it belongs before the cursor), one among the rest.
    const arrived: string[] = [];
    for (const length of [1_000_000, 60_000]) {
      const start = base + 7 * 3_600_000;
      const batch = makeBatch({ events: [metaEvent(start), clickEvent(start + length)] });
      expect((await postIngest(server.url, batch)).status).toBe(200);
      arrived.push(batch.sessionId);
    }
    const rest: number[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page: SessionPage = await list(`?limit=2&cursor=${cursor}`);
      rest.push(...page.sessions.map((s) => s.lengthMs));
      cursor = page.nextCursor;
    }
    // Every row that followed the cursor, once, with the newcomer that sorts among them; the longer one is not repeated back.
    expect(rest).toEqual([60_000, 45_000, 5_000, 5_000, 0]);
    for (const id of arrived) expect((await server.api(`/api/sessions/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('sorts by start time ascending', async () => {
    const page = await list('?sort=startedAt&order=asc');
    expect(page.sessions.map((s) => s.id)).toEqual(ids);
  });

  it('filters by length range and device', async () => {
    const page = await list('?minLengthMs=5000&maxLengthMs=120000');
    expect(page.sessions.map((s) => s.lengthMs)).toEqual([120_000, 45_000, 5_000, 5_000]);
    expect(page.total).toBe(4);
    const odd = await list('?deviceId=device-odd');
    expect(odd.sessions.map((s) => s.lengthMs)).toEqual([900_000, 120_000, 45_000]);
  });

  it('filters by start time, as ISO dates or ms', async () => {
    const from = new Date(base + 2 * 3_600_000 - 60_000).toISOString();
    const page = await list(`?from=${from}&to=${base + 4 * 3_600_000 - 60_000}`);
    expect(page.sessions.map((s) => s.id).sort()).toEqual([ids[2], ids[3]].sort());
  });

  it('says which parameter is wrong', async () => {
    for (const [query, field] of [
      ['?sort=nope', 'sort'],
      ['?limit=0', 'limit'],
      ['?minLengthMs=abc', 'minLengthMs'],
      ['?from=yesterday', 'from'],
      ['?cursor=garbage', 'cursor'],
    ]) {
      const res = await server.api(`/api/sessions${query}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain(field);
    }
  });
});

describe('one session', () => {
  it('streams its events as NDJSON, per window then sequence', async () => {
    const sessionId = randomUUID();
    const windowA = randomUUID();
    const windowB = randomUUID();
    const deviceId = 'device-x';
    const post = (windowId: string, seq: number, t: number) =>
      postIngest(server.url, makeBatch({ sessionId, windowId, deviceId, seq, events: [metaEvent(t), clickEvent(t + 1)] }));
    await post(windowA, 1, T0 + 10);
    await post(windowB, 0, T0 + 5);
    await post(windowA, 0, T0);
    const res = await server.api(`/api/sessions/${sessionId}/events`);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const chunks = (await res.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EventChunk);
    expect(chunks.map((c) => [c.windowId, c.seq])).toEqual([
      [windowA, 0],
      [windowA, 1],
      [windowB, 0],
    ]);
    expect(chunks[0].events).toEqual([metaEvent(T0), clickEvent(T0 + 1)]);

    // The same chunks as stored, gzip bytes framed, for a reader that inflates them itself.
    const stored = await server.api(`/api/sessions/${sessionId}/events`, { headers: { Accept: CHUNK_FRAMES_TYPE } });
    expect(stored.headers.get('content-type')).toContain(CHUNK_FRAMES_TYPE);
    const reader = new ChunkFrameReader();
    const frames = reader.push(new Uint8Array(await stored.arrayBuffer()));
    expect(reader.complete).toBe(true);
    expect(frames.map(({ header, data }) => ({ ...header, events: JSON.parse(gunzipSync(data).toString()).events }))).toEqual(
      chunks.map((chunk, i) => ({ ...chunk, bytes: frames[i].data.length })),
    );
  });

  it('404s an unknown id and 400s an id that is not a UUID', async () => {
    expect((await server.api(`/api/sessions/${randomUUID()}`)).status).toBe(404);
    expect((await server.api(`/api/sessions/${randomUUID()}/events`)).status).toBe(404);
    const bad = await server.api(`/api/sessions/..%2F..%2Fetc`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_id');
  });

  it('deletes a session and its recording', async () => {
    const batch = makeBatch();
    await postIngest(server.url, batch);
    const res = await server.api(`/api/sessions/${batch.sessionId}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await server.api(`/api/sessions/${batch.sessionId}`)).status).toBe(404);
    expect((await server.api(`/api/sessions/${batch.sessionId}`, { method: 'DELETE' })).status).toBe(404);
    const replayed = await postIngest(server.url, batch);
    expect(await replayed.json()).toEqual({ ok: true, stored: true });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await server.api(`/api/nothing`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});

describe('restart', () => {
  it('lists the same sessions after a restart on the same DATA_DIR', async () => {
    const before = await list();
    await server.stop();
    server = await startServer({ dataDir: server.dataDir });
    const after = await list();
    expect(after.sessions.map((s) => [s.id, s.lengthMs])).toEqual(before.sessions.map((s) => [s.id, s.lengthMs]));
  });
});
