import fs from 'node:fs';
import path from 'node:path';
import { deflateRawSync, gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionSummary } from '../../shared/api';
import { encodeEnvelope, envelopeHeadBytes, frameEnvelope, openEnvelope, type EnvelopeHead } from '../../shared/batchEnvelope';
import { CHUNK_FRAMES_TYPE, ChunkFrameReader } from '../../shared/chunkFrames';
import { CUSTOM_EVENT } from '../../shared/constants';
import { summarizeBatch } from '../../shared/summarizeBatch';
import type { WireEvent } from '../../shared/wire';
import { envelopeOf, makeBatch, metaEvent, clickEvent, mutationEvent, postIngest, T0 } from '../helpers/batches';
import { CHECKER_NICE, startChunkChecker } from '../../server/checking/chunkChecker';
import { DEFAULT_LIMITS } from '../../server/http/limits';
import { MAX_EVENTS_PER_BATCH } from '../../server/ingest/batchSchema';
import { backend, startServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ projects: ['demo', 'shop'] });
});
afterAll(() => server.stop());

async function getSession(id: string): Promise<SessionSummary> {
  const res = await server.api(`/api/sessions/${id}`);
  expect(res.status).toBe(200);
  return res.json();
}

async function expectError(res: Response, status: number, code: string): Promise<string> {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  return body.error.message;
}

describe('POST /api/ingest', () => {
  it('stores a gzipped batch and folds it into its session', async () => {
    const batch = makeBatch({ events: [metaEvent(T0, 'https://shop.test/a'), mutationEvent(T0 + 500), clickEvent(T0 + 2_500)] });
    const res = await postIngest(server.url, batch);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, stored: true });
    const session = await getSession(batch.sessionId);
    expect(session).toMatchObject({
      id: batch.sessionId,
      project: 'demo',
      deviceId: batch.deviceId,
      lengthMs: 2_500,
      eventCount: 3,
      errorCount: 0,
      windows: 1,
      pages: 1,
      entryUrl: 'https://shop.test/a',
      exitUrl: 'https://shop.test/a',
      userAgent: 'test-agent',
    });
    expect(session.bytes).toBeGreaterThan(0);
  });

  it('adds up the batches the recorder reports having dropped', async () => {
    const batch = makeBatch({ droppedBatches: 3 });
    await postIngest(server.url, batch);
    await postIngest(server.url, { ...batch, seq: 1, droppedBatches: 2, events: [clickEvent(T0 + 5_000)] });
    await postIngest(server.url, { ...batch, seq: 1, droppedBatches: 2, events: [clickEvent(T0 + 5_000)] });
    expect((await getSession(batch.sessionId)).droppedBatches).toBe(5);
  });

  it('accepts plain JSON too', async () => {
    const batch = makeBatch();
    const res = await postIngest(server.url, JSON.stringify(batch), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(200);
    expect((await getSession(batch.sessionId)).eventCount).toBe(2);
  });

  it('is idempotent on (sessionId, windowId, seq): a retried batch is not counted twice', async () => {
    const batch = makeBatch();
    await postIngest(server.url, batch);
    const retry = await postIngest(server.url, { ...batch, sentAt: Date.now() + 5 });
    expect(await retry.json()).toEqual({ ok: true, stored: false });
    expect((await getSession(batch.sessionId)).eventCount).toBe(2);
  });

  it('stores a batch of as many separate activities as a batch may hold', async () => {
    // Clicks 6 s apart: each is its own activity span, 20 000 of them in one batch.
    const clicks = Array.from({ length: MAX_EVENTS_PER_BATCH }, (_, i) => clickEvent(T0 + i * 6_000));
    const batch = makeBatch({ events: clicks });
    expect((await postIngest(server.url, batch)).status).toBe(200);
    expect(await getSession(batch.sessionId)).toMatchObject({ eventCount: MAX_EVENTS_PER_BATCH, activeMs: 0 });
  });

  it('spans windows and out-of-order batches: length from the first to the last activity of all', async () => {
    const first = makeBatch({ events: [metaEvent(T0 + 60_000, 'https://shop.test/late')] });
    const otherWindow = makeBatch({
      sessionId: first.sessionId,
      deviceId: first.deviceId,
      seq: 0,
      events: [metaEvent(T0, 'https://shop.test/entry'), clickEvent(T0 + 1_000)],
    });
    const tail = makeBatch({ ...first, seq: 1, events: [clickEvent(T0 + 90_000), mutationEvent(T0 + 95_000)] });
    for (const b of [tail, first, otherWindow]) expect((await postIngest(server.url, b)).status).toBe(200);
    const session = await getSession(first.sessionId);
    expect(session).toMatchObject({
      lengthMs: 90_000,
      windows: 2,
      pages: 2,
      entryUrl: 'https://shop.test/entry',
      exitUrl: 'https://shop.test/late',
      eventCount: 5,
      activeMs: 1_000,
    });
  });

  it('corrects the start time for the client clock skew but keeps the client-measured length', async () => {
    const skewMs = 3_600_000;
    const batch = makeBatch({ sentAt: Date.now() - skewMs, events: [metaEvent(T0), clickEvent(T0 + 4_000)] });
    await postIngest(server.url, batch);
    const session = await getSession(batch.sessionId);
    expect(session.lengthMs).toBe(4_000);
    expect(Math.abs(Date.parse(session.startedAt) - (T0 + skewMs))).toBeLessThan(2_000);
  });

  it('counts console errors and takes the user id from identify', async () => {
    const batch = makeBatch({
      events: [
        metaEvent(T0),
        { type: 6, timestamp: T0 + 1, data: { plugin: 'rrweb/console@1', payload: { level: 'error', payload: ['"x"'] } } },
        { type: 6, timestamp: T0 + 2, data: { plugin: 'rrweb/console@1', payload: { level: 'log', payload: ['"y"'] } } },
        { type: 5, timestamp: T0 + 3, data: { tag: '$identify', payload: { userId: 'user-42' } } },
      ],
    });
    await postIngest(server.url, batch);
    expect(await getSession(batch.sessionId)).toMatchObject({ errorCount: 1, userId: 'user-42' });
  });

  it('gives its answers, accepted or refused, the headers every answer gets', async () => {
    for (const res of [await postIngest(server.url, makeBatch({ events: [clickEvent(T0)] })), await postIngest(server.url, '{not json')]) {
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
    }
  });

  // The exact path is answered ahead of Express; the spellings Express also matches by Express.
  it('answers alike on every spelling of its path, ahead of Express or through it', async () => {
    const headersOf = (res: Response) => {
      const { 'x-request-id': _id, date: _date, ...rest } = Object.fromEntries(res.headers);
      return rest;
    };
    const answers = [];
    for (const spelling of ['/api/ingest', '/api/ingest?v=1', '/api/ingest/', '/API/Ingest']) {
      const post = (body: string | Buffer) => fetch(`${server.url}${spelling}`, { method: 'POST', body: body as BodyInit, headers: { 'Content-Type': 'text/plain' } });
      const batch = makeBatch({ events: [clickEvent(T0)] });
      const accepted = await post(envelopeOf(batch));
      const refused = await post('{not json');
      const unknown = await post(envelopeOf({ ...makeBatch({ events: [clickEvent(T0)] }), project: 'elsewhere' }));
      const preflight = await fetch(`${server.url}${spelling}`, { method: 'OPTIONS' });
      answers.push([
        [accepted.status, await accepted.json(), headersOf(accepted)],
        [refused.status, await refused.json(), headersOf(refused)],
        [unknown.status, (await unknown.json()).error.code, headersOf(unknown)],
        [preflight.status, headersOf(preflight)],
      ]);
      expect((await getSession(batch.sessionId)).eventCount).toBe(1);
    }
    expect(answers[0][0][0]).toBe(200);
    expect(answers[0][1][1]).toEqual({ error: { code: 'malformed_json', message: 'body is not valid JSON' } });
    expect(answers[0][2][1]).toBe('unknown_project');
    for (const other of answers.slice(1)) expect(other).toEqual(answers[0]);
  });

  it('answers CORS preflights for any origin', async () => {
    const res = await fetch(`${server.url}/api/ingest`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://customer.test', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('POST /api/ingest of an envelope (summary beside the gzipped events)', () => {
  /** What a session sums up of its batches. */
  const sums = (session: SessionSummary) => {
    const { eventCount, errorCount, lengthMs, activeMs, pages, windows, entryUrl, exitUrl, userId, rageClicks } = session;
    return { eventCount, errorCount, lengthMs, activeMs, pages, windows, entryUrl, exitUrl, userId, rageClicks };
  };
  const identify = (t: number): WireEvent => ({ type: 5, timestamp: t, data: { tag: CUSTOM_EVENT.identify, payload: { userId: 'u-7' } } });
  const events = [metaEvent(T0, 'https://shop.test/a'), clickEvent(T0 + 1_000), identify(T0 + 1_500), clickEvent(T0 + 90_000)];

  it('folds the summary in as the server would have computed it, and stores the gzip bytes as sent', async () => {
    const asJson = makeBatch({ events });
    const asEnvelope = makeBatch({ events });
    const body = envelopeOf(asEnvelope);
    expect((await postIngest(server.url, asJson)).status).toBe(200);
    const res = await postIngest(server.url, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, stored: true });
    expect(sums(await getSession(asEnvelope.sessionId))).toEqual(sums(await getSession(asJson.sessionId)));
    expect((await getSession(asEnvelope.sessionId)).userId).toBe('u-7');

    const stored = await server.api(`/api/sessions/${asEnvelope.sessionId}/events`, { headers: { Accept: CHUNK_FRAMES_TYPE } });
    const [frame] = new ChunkFrameReader().push(new Uint8Array(await stored.arrayBuffer()));
    expect(Buffer.from(frame.data).equals(body.subarray(body.length - frame.data.length))).toBe(true);
    expect(JSON.parse(gunzipSync(frame.data).toString()).events).toEqual(events);
    expect(await (await postIngest(server.url, body)).json()).toEqual({ ok: true, stored: false });
  });

  it('leaves summary fields at their default out of the head, and takes a head that spells them all (older snippets)', async () => {
    const quiet = [metaEvent(T0, 'https://shop.test/q'), clickEvent(T0 + 1_000)];
    const compact = makeBatch({ events: quiet });
    const body = envelopeOf(compact);
    const opened = openEnvelope(body, inflateRawSync);
    const head = JSON.parse(opened && opened !== 'truncated' ? opened.head : '{}');
    expect(Object.keys(head.summary).sort()).toEqual(['eventCount', 'firstTs', 'lastTs', 'pageViews', 'spans']);
    const spelled = makeBatch({ events: quiet });
    const { events: _events, ...fields } = spelled;
    const headBytes = Buffer.from(JSON.stringify({ ...fields, summary: summarizeBatch(quiet) }));
    const prefix = Buffer.alloc(8);
    prefix.write('RPE1');
    prefix.writeUInt32BE(headBytes.length, 4);
    const full = Buffer.concat([prefix, headBytes, gzipSync(JSON.stringify({ events: quiet }))]);
    for (const sent of [body, full]) expect((await postIngest(server.url, sent)).status).toBe(200);
    const sessions = [await getSession(compact.sessionId), await getSession(spelled.sessionId)];
    expect(sums(sessions[0])).toEqual(sums(sessions[1]));
    expect(sessions[0]).toMatchObject({ eventCount: 2, errorCount: 0, userId: null });
  });

  it('takes a head deflated (RPE2) as its JSON, and refuses one that does not inflate', async () => {
    const asJson = makeBatch({ events });
    const deflated = makeBatch({ events });
    const { events: _events, ...fields } = deflated;
    const head = envelopeHeadBytes({ ...fields, summary: summarizeBatch(events) });
    const squeezed = deflateRawSync(head);
    expect(squeezed.length).toBeLessThan(head.length);
    const body = frameEnvelope(squeezed, gzipSync(JSON.stringify({ events })), true);
    for (const sent of [envelopeOf(asJson), Buffer.from(body)]) expect((await postIngest(server.url, sent)).status).toBe(200);
    expect(sums(await getSession(deflated.sessionId))).toEqual(sums(await getSession(asJson.sessionId)));
    expect((await getSession(deflated.sessionId)).userId).toBe('u-7');
    const garbage = frameEnvelope(new Uint8Array([0xff, 0xff, 0xff]), gzipSync('{}'), true);
    expect(await expectError(await postIngest(server.url, Buffer.from(garbage)), 400, 'invalid_batch')).toContain('raw deflate');
    const bomb = frameEnvelope(deflateRawSync(Buffer.alloc(DEFAULT_LIMITS.maxBodyBytes + 1, 32)), gzipSync('{}'), true);
    expect(await expectError(await postIngest(server.url, Buffer.from(bomb)), 400, 'invalid_batch')).toContain('raw deflate');
  });

  it('refuses a bad envelope clearly, naming what is wrong', async () => {
    const body = envelopeOf(makeBatch({ events }));
    await expectError(await postIngest(server.url, body.subarray(0, 20)), 400, 'invalid_batch');
    const notJson = Buffer.from(body);
    notJson[8] = 0x7d;
    await expectError(await postIngest(server.url, notJson), 400, 'malformed_json');
    const { events: _events, ...fields } = makeBatch({ events });
    const summary = { ...summarizeBatch(events), spans: [[T0 + 5, T0]] };
    const backwards = Buffer.from(encodeEnvelope({ ...fields, summary } as EnvelopeHead, gzipSync('{}')));
    expect(await expectError(await postIngest(server.url, backwards), 400, 'invalid_batch')).toContain('summary.spans.0');
    const tooMany = { ...summarizeBatch(events), trackNames: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => 'x') };
    const flood = Buffer.from(encodeEnvelope({ ...fields, summary: tooMany }, gzipSync('{}')));
    expect(await expectError(await postIngest(server.url, flood), 400, 'invalid_batch')).toContain('summary.trackNames');
    const notGzip = Buffer.from(encodeEnvelope({ ...fields, summary: summarizeBatch(events) }, Buffer.from('{"events":[]}')));
    await expectError(await postIngest(server.url, notGzip), 400, 'bad_gzip');
    const stranger = envelopeOf(makeBatch({ project: 'nope', events }));
    await expectError(await postIngest(server.url, stranger), 403, 'unknown_project');
  });
});

describe('chunks stored from envelopes, checked after the fact', () => {
  const events = [metaEvent(T0, 'https://shop.test/c'), clickEvent(T0 + 1_000), clickEvent(T0 + 2_000)];

  it('marks a chunk that is not a batch of events, or that its summary misstates, and readers skip it', async () => {
    const honest = makeBatch({ events });
    const { events: _events, ...fields } = makeBatch({ events, sessionId: honest.sessionId, windowId: honest.windowId, seq: 1 });
    // Gzip of something that is no batch, and a summary claiming one event more than it carries.
    const corrupt = encodeEnvelope({ ...fields, summary: summarizeBatch(events) }, gzipSync('not json'));
    const lying = encodeEnvelope({ ...fields, seq: 2, summary: { ...summarizeBatch(events), eventCount: 4 } }, gzipSync(JSON.stringify({ events })));
    for (const body of [envelopeOf(honest), corrupt, lying]) expect((await postIngest(server.url, Buffer.from(body))).status).toBe(200);

    await server.replay.chunkChecker.runOnce();
    const verdicts = [];
    for await (const { seq, verdict } of server.replay.storage.readChunks(honest.sessionId)) verdicts.push([seq, verdict]);
    expect(verdicts).toEqual([
      [0, 'ok'],
      [1, 'corrupt'],
      [2, 'lying'],
    ]);
    const framed = await server.api(`/api/sessions/${honest.sessionId}/events`, { headers: { Accept: CHUNK_FRAMES_TYPE } });
    const frames = new ChunkFrameReader().push(new Uint8Array(await framed.arrayBuffer()));
    expect(frames.map(({ header }) => [header.seq, header.marked ?? null, header.bytes > 0])).toEqual([
      [0, null, true],
      [1, 'corrupt', false],
      [2, 'lying', false],
    ]);
    const ndjson = (await (await server.api(`/api/sessions/${honest.sessionId}/events`)).text()).trim().split('\n');
    expect(ndjson.map((line) => JSON.parse(line).seq)).toEqual([0]);
    expect(await server.replay.chunkChecker.runOnce()).toBe(0);
  });

  it('waits while requests keep the event loop busy, and checks once it is quiet', async () => {
    const quiet = await startServer();
    // Its own checker looks every 2 s; this one every 50 ms, so it would check within the busy time.
    await quiet.replay.chunkChecker.stop();
    const batch = makeBatch({ events });
    expect((await postIngest(quiet.url, Buffer.from(envelopeOf(batch)))).status).toBe(200);
    const checker = startChunkChecker(quiet.replay.storage, DEFAULT_LIMITS.maxInflatedBytes, quiet.replay.logger, 50);
    try {
      const verdict = async () => {
        for await (const chunk of quiet.replay.storage.readChunks(batch.sessionId)) return chunk.verdict;
      };
      // About 95 % busy for a second: 20 ms of work, then a turn of the loop (timers, I/O).
      const until = performance.now() + 1_000;
      while (performance.now() < until) {
        const spinUntil = performance.now() + 20;
        while (performance.now() < spinUntil);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await verdict()).toBeNull();
      await vi.waitFor(async () => expect(await verdict()).toBe('ok'), { timeout: 10_000, interval: 50 });
    } finally {
      await checker.stop();
      await quiet.stop();
    }
  });

  it('checks a round anyway once the server stayed busy past the longest deferral', async () => {
    const busyServer = await startServer();
    await busyServer.replay.chunkChecker.stop();
    const batch = makeBatch({ events });
    expect((await postIngest(busyServer.url, Buffer.from(envelopeOf(batch)))).status).toBe(200);
    // Looks every 50 ms, defers at most 300 ms.
    const checker = startChunkChecker(busyServer.replay.storage, DEFAULT_LIMITS.maxInflatedBytes, busyServer.replay.logger, 50, 300);
    try {
      const verdict = async () => {
        for await (const chunk of busyServer.replay.storage.readChunks(batch.sessionId)) return chunk.verdict;
      };
      // About 95 % busy until the chunk is checked, for 5 s at most: no lull ever comes.
      const until = performance.now() + 5_000;
      let checked: string | null | undefined = null;
      while (performance.now() < until && checked === null) {
        const spinUntil = performance.now() + 20;
        while (performance.now() < spinUntil);
        await new Promise((resolve) => setImmediate(resolve));
        checked = await verdict();
      }
      expect(checked).toBe('ok');
    } finally {
      await checker.stop();
      await busyServer.stop();
    }
  });

  it.runIf(process.platform === 'linux')('checks on a thread of the lowest CPU priority, so ingest keeps the CPU under load', async () => {
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value; the server (and its checker) run in this process.
    const nices = () =>
      fs.readdirSync('/proc/self/task').map((tid) => {
        const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      });
    // The worker lowers its priority once it has started.
    await vi.waitFor(() => expect(nices()).toContain(CHECKER_NICE));
    expect(nices()).toContain(0);
  });
});

describe.runIf(backend() === 'sqlite')('the SQLite file', () => {
  it('keeps the database readable by the server’s user only', async () => {
    const dataDir = path.join(tempDataDir(), 'not', 'yet', 'there');
    const fresh = await startServer({ dataDir });
    await fresh.stop();
    const mode = (file: string) => fs.statSync(path.join(dataDir, file)).mode & 0o777;
    expect(mode('replay.sqlite')).toBe(0o600);
    expect(mode('.')).toBe(0o700);
  });
});

describe('POST /api/ingest refuses bad input clearly and loses nothing accepted', () => {
  const accepted = makeBatch();
  beforeAll(async () => {
    await postIngest(server.url, accepted);
  });

  it('malformed JSON → 400 malformed_json', async () => {
    await expectError(await postIngest(server.url, '{"project": "demo", '), 400, 'malformed_json');
  });

  it('corrupt gzip → 400 bad_gzip', async () => {
    await expectError(await postIngest(server.url, Buffer.from([0x1f, 0x8b, 1, 2, 3, 4])), 400, 'bad_gzip');
  });

  it('a schema violation → 400 naming the field', async () => {
    const message = await expectError(await postIngest(server.url, makeBatch({ sessionId: 'not-a-uuid' })), 400, 'invalid_batch');
    expect(message).toContain('sessionId');
    const noEvents = await expectError(await postIngest(server.url, makeBatch({ events: [] })), 400, 'invalid_batch');
    expect(noEvents).toContain('events');
    const badEvent = makeBatch({ events: [{ type: 'x' as unknown as number, timestamp: T0 }] });
    expect(await expectError(await postIngest(server.url, badEvent), 400, 'invalid_batch')).toContain('events.0.type');
  });

  it('an unknown project → 403 unknown_project', async () => {
    await expectError(await postIngest(server.url, makeBatch({ project: 'nope' })), 403, 'unknown_project');
  });

  it('a body over the size limit → 413 too_large', async () => {
    const huge = 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes + 1);
    await expectError(await postIngest(server.url, huge), 413, 'too_large');
  });

  it('a gzip bomb → 413 without inflating it whole', async () => {
    // 16 gzip members of 64 MB of spaces: 1 GB once inflated, from about 1 MB on the wire.
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => member));
    expect(bomb.length).toBeLessThan(DEFAULT_LIMITS.maxBodyBytes);
    // The server runs in this process: its peak memory while answering shows how much it inflated.
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    try {
      expect(await expectError(await postIngest(server.url, bomb), 413, 'too_large')).toMatch(/inflated/);
    } finally {
      clearInterval(sample);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(peak - before).toBeLessThan(DEFAULT_LIMITS.maxInflatedBytes * 4);
  });

  it('keeps serving and keeps what it had accepted', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await getSession(accepted.sessionId)).eventCount).toBe(2);
  });
});

describe('POST /api/ingest per-project rate limit', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startServer({ projects: ['demo', 'shop'], rateLimit: { perSecond: 0.5, burst: 1 } });
  });
  afterAll(() => limited.stop());

  it('answers 429 with Retry-After once a project spent its burst, other projects unaffected', async () => {
    expect((await postIngest(limited.url, makeBatch())).status).toBe(200);
    const refused = await postIngest(limited.url, makeBatch());
    expect(refused.headers.get('retry-after')).toBe('2');
    // A cross-origin snippet can read Retry-After only when it is exposed.
    expect(refused.headers.get('access-control-expose-headers')).toContain('Retry-After');
    await expectError(refused, 429, 'rate_limited');
    expect((await postIngest(limited.url, makeBatch({ project: 'shop' }))).status).toBe(200);
  });
});

describe('POST /api/ingest drop counter', () => {
  it('accepts the count of batches the browser dropped, and refuses a bad one naming the field', async () => {
    expect((await postIngest(server.url, makeBatch({ droppedBatches: 3 }))).status).toBe(200);
    const message = await expectError(await postIngest(server.url, makeBatch({ droppedBatches: -1 })), 400, 'invalid_batch');
    expect(message).toContain('droppedBatches');
  });
});
