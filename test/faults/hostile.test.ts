/**
 * Hostile input against the real server process: each gets its 4xx with the JSON error shape,
 * memory stays bounded (VmHWM from /proc), the data stays intact and the server keeps serving.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickEvent, makeBatch, metaEvent, postIngest, T0 } from '../helpers/batches';
import { tempDataDir } from '../helpers/server';
import { freePort } from '../helpers/freePort';
import { spawnServer, type ServerProcess } from './serverProcess';

let server: ServerProcess;
const seeded: string[] = [];

beforeAll(async () => {
  server = await spawnServer({ dataDir: tempDataDir(), port: await freePort() });
  for (const userId of ['alice', 'bob']) {
    const batch = makeBatch({
      events: [
        metaEvent(T0, 'https://shop.test/cart'),
        clickEvent(T0 + 1_000),
        { type: 5, timestamp: T0 + 2, data: { tag: '$identify', payload: { userId } } },
      ],
    });
    expect((await postIngest(server.url, batch)).status).toBe(200);
    seeded.push(batch.sessionId);
  }
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

async function expectError(res: Response, status: number, code?: string): Promise<string> {
  expect(res.status).toBe(status);
  const body = await res.json();
  if (code) expect(body.error.code).toBe(code);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.[jt]s:\d+/);
  return body.error.message as string;
}

/** 1 GiB of zeros as 1 024 gzip members of 1 MiB each: about 1 MB on the wire (RFC 1952 allows members back to back). */
function gigabyteBomb(): Buffer {
  const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
  return Buffer.concat(Array.from({ length: 1024 }, () => member));
}

/** POSTs `mb` MiB of spaces as a stream, with no Content-Length to refuse it by. */
function postStream(mb: number): Promise<Response> {
  let sent = 0;
  const chunks = new ReadableStream({
    pull(controller) {
      if (sent++ === mb) controller.close();
      else controller.enqueue(new Uint8Array(1024 * 1024).fill(0x20));
    },
  });
  return fetch(`${server.url}/api/ingest`, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
}

describe('hostile input', () => {
  // First, while the process holds little: its peak then shows what these requests cost.
  it('keeps its memory bounded under a 50 MB body and a 1 GB gzip bomb, and keeps serving', async () => {
    server.resetPeakRss();
    const beforeBomb = server.peakRssMb();
    await expectError(await postIngest(server.url, gigabyteBomb()), 413, 'too_large');
    const afterBomb = server.peakRssMb();
    server.resetPeakRss();
    const atStart = server.peakRssMb();
    await expectError(await postIngest(server.url, Buffer.alloc(50 * 1024 * 1024, 0x20)), 413, 'too_large');
    await expectError(await postStream(50), 413, 'too_large');
    const afterBodies = server.peakRssMb();
    console.log(
      `[faults] hostile input: server RSS peak +${(afterBomb - beforeBomb).toFixed(0)} MB over a 1 GB gzip bomb, ` +
        `+${(afterBodies - atStart).toFixed(0)} MB over two 50 MB bodies`,
    );
    // Inflating the bomb whole would take 1 GB; the cap (32 MiB inflated) keeps it to tens of MB.
    expect(afterBomb - beforeBomb).toBeLessThan(80);
    // Keeping a 50 MB body would take 50 MB more than the bomb freed; the cap (4 MiB) refuses it as it streams in.
    expect(afterBodies - atStart).toBeLessThan(25);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const batch = makeBatch();
    expect(await (await postIngest(server.url, batch)).json()).toEqual({ ok: true, stored: true });
    expect((await server.api(`/api/sessions/${batch.sessionId}`)).status).toBe(200);
    seeded.push(batch.sessionId);
  });
  it('malformed JSON → 400, a wrong schema → 400 naming the field, an unknown project → 403', async () => {
    await expectError(await postIngest(server.url, '{"project":"demo",'), 400, 'malformed_json');
    await expectError(await postIngest(server.url, gzipSync('[1,2')), 400, 'malformed_json');
    expect(await expectError(await postIngest(server.url, makeBatch({ seq: -1 })), 400, 'invalid_batch')).toContain('seq');
    expect(await expectError(await postIngest(server.url, makeBatch({ windowId: '../../etc/passwd' })), 400, 'invalid_batch')).toContain('windowId');
    const tooMany = makeBatch({ events: Array.from({ length: 20_001 }, (_, i) => clickEvent(T0 + i)) });
    expect(await expectError(await postIngest(server.url, tooMany), 400, 'invalid_batch')).toContain('events');
    const longAgent = makeBatch({ userAgent: 'x'.repeat(5_000) });
    expect(await expectError(await postIngest(server.url, longAgent), 400, 'invalid_batch')).toContain('userAgent');
    await expectError(await postIngest(server.url, makeBatch({ project: "demo' OR '1'='1" })), 403, 'unknown_project');
  });

  it('a 50 MB body → 413, declared or streamed, without keeping it', async () => {
    await expectError(await postIngest(server.url, Buffer.alloc(50 * 1024 * 1024, 0x20)), 413, 'too_large');
    await expectError(await postStream(50), 413, 'too_large');
  });

  it('a 1 MB gzip inflating to 1 GB → 413 while inflating; a 3 KB one nested around it → 400', async () => {
    const bomb = gigabyteBomb();
    expect(bomb.length).toBeLessThan(1.1 * 1024 * 1024);
    expect(await expectError(await postIngest(server.url, bomb), 413, 'too_large')).toContain('inflated');
    // One deflate layer cannot pass ~1 000:1, so a 1 KB-class bomb of 1 GB is a gzip of a gzip:
    // the server inflates one layer and finds no JSON.
    const nested = gzipSync(bomb, { level: 9 });
    expect(nested.length).toBeLessThan(4 * 1024);
    await expectError(await postIngest(server.url, nested), 400, 'malformed_json');
  });

  it('refuses the read API without the admin token or with a wrong one', async () => {
    const refused: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer ' },
      { Authorization: 'Bearer x' },
      { Authorization: `Bearer ${server.adminToken.slice(1)}` },
      { Cookie: 'replay_admin=x' },
    ];
    for (const headers of refused) {
      for (const route of ['/api/sessions', `/api/sessions/${seeded[0]}`, `/api/sessions/${seeded[0]}/events`, '/api/stats', '/api/sessions.ndjson']) {
        await expectError(await fetch(`${server.url}${route}`, { headers }), 401, 'unauthorized');
      }
    }
    expect((await fetch(`${server.url}/api/sessions/${seeded[0]}`, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(`${server.url}/`, { redirect: 'manual' })).status).toBe(302);
  });

  it('treats SQL metacharacters in every filter as plain values: 200 with nothing found (400 for a typed filter)', async () => {
    const hostile = ["' OR '1'='1", '"; DROP TABLE sessions; --', '%', '_', '\\', "1) OR (1=1", "%' --", 'alice%'];
    // Text filters take any text: they must run their query and find nothing.
    const freeText = ['project', 'userId', 'deviceId', 'url', 'event'];
    const filters = [...freeText, 'status', 'minLengthMs', 'maxLengthMs', 'from', 'to', 'hasErrors'];
    const listOnly = ['sort', 'order', 'limit', 'cursor'];
    const statsOnly = ['timeoutMs', 'buckets', 'tz'];
    const found: string[] = [];
    for (const value of hostile) {
      for (const name of [...filters, ...listOnly, ...statsOnly]) {
        const query = `?${new URLSearchParams({ [name]: value })}`;
        const routes = statsOnly.includes(name)
          ? ['/api/stats']
          : listOnly.includes(name)
            ? ['/api/sessions', '/api/sessions.ndjson']
            : ['/api/sessions', '/api/stats', '/api/sessions.ndjson'];
        for (const route of routes) {
          const res = await server.api(`${route}${query}`);
          expect([200, 400], `${route}${query}`).toContain(res.status);
          if (freeText.includes(name)) expect(res.status, `${route}${query}`).toBe(200);
          if (res.status !== 200) {
            await expectError(res, 400, 'invalid_query');
            continue;
          }
          const text = await res.text();
          const matched =
            route === '/api/sessions'
              ? JSON.parse(text).total
              : route === '/api/stats'
                ? JSON.parse(text).count
                : text.trim().split('\n').filter(Boolean).length;
          if (matched !== 0) found.push(`${route}${query} → ${matched}`);
        }
      }
    }
    expect(found).toEqual([]);
    // The same queries do find what is there: alice's session, the two on the cart, every one in demo.
    const controls: [string, string, number][] = [
      ['userId', 'alice', 1],
      ['url', 'shop.test/cart', 2],
      ['project', 'demo', seeded.length],
    ];
    for (const [name, value, expected] of controls) {
      const query = `?${new URLSearchParams({ [name]: value })}`;
      expect((await (await server.api(`/api/sessions${query}`)).json()).total, query).toBe(expected);
      expect((await (await server.api(`/api/stats${query}`)).json()).count, query).toBe(expected);
      expect((await (await server.api(`/api/sessions.ndjson${query}`)).text()).trim().split('\n'), query).toHaveLength(expected);
    }
    const all = await (await server.api('/api/sessions')).json();
    expect(all.total).toBe(seeded.length);
  });

  it('answers ../ and non-UUID session ids with 400 (API) or 404 (player), before any query or path', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '..%2F', "1'%20OR%20'1'='1", `${seeded[0]}%00`, `${seeded[0]}x`, '%2e%2e%2fdata%2freplay.sqlite']) {
      await expectError(await server.api(`/api/sessions/${id}`), 400, 'invalid_id');
      await expectError(await server.api(`/api/sessions/${id}/events`), 400, 'invalid_id');
      await expectError(await server.api(`/api/sessions/${id}`, { method: 'DELETE' }), 400, 'invalid_id');
      expect((await server.api(`/sessions/${id}`)).status, id).toBe(404);
    }
    for (const route of ['/../../etc/passwd', '/assets/..%2F..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/admin-token']) {
      const res = await server.api(route);
      expect(res.status, route).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toMatch(/root:|[A-Za-z0-9_-]{40}/);
    }
    expect((await server.api(`/api/sessions/${seeded[0]}`)).status).toBe(200);
  });

});
