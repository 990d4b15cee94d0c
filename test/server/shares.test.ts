import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedShare, ShareLink } from '../../shared/api';
import { makeBatch, postIngest } from '../helpers/batches';
import { startServer, type TestServer } from '../helpers/server';

const HOUR_MS = 3_600_000;

let server: TestServer;
/** Added to the real time: the app's clock, moved forward to expire links without waiting. */
let clockOffsetMs = 0;
let sessionId: string;
let otherId: string;

beforeAll(async () => {
  server = await startServer({ now: () => Date.now() + clockOffsetMs });
  const [batch, other] = [makeBatch(), makeBatch()];
  sessionId = batch.sessionId;
  otherId = other.sessionId;
  for (const b of [batch, other, makeBatch({ sessionId, windowId: batch.windowId, seq: 1 })]) {
    expect((await postIngest(server.url, b)).status).toBe(200);
  }
});
afterAll(() => server.stop());

async function share(id = sessionId, body: unknown = {}): Promise<CreatedShare> {
  const res = await server.api(`/api/sessions/${id}/shares`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedShare;
}

/** Opens the link as a browser would; resolves to the cookie it sets ('' when none). */
async function open(link: string): Promise<{ status: number; location: string | null; cookie: string }> {
  const res = await fetch(link, { redirect: 'manual' });
  const cookie = /^(replay_share=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  return { status: res.status, location: res.headers.get('location'), cookie };
}

const asViewer = (cookie: string, path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { ...init, redirect: 'manual', headers: { Cookie: cookie, ...init.headers } });

async function listed(id = sessionId): Promise<ShareLink[]> {
  const res = await server.api(`/api/sessions/${id}/shares`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { shares: ShareLink[] }).shares;
}

describe('creating share links', () => {
  it('hands out links on the origin a trusted proxy says the browser used, and ignores an untrusted one', async () => {
    const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'replay.example.com' };
    const create = (at: TestServer) =>
      at.api(`/api/sessions/${sessionId}/shares`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...forwarded }, body: '{}' });
    const untrusted = (await (await create(server)).json()) as CreatedShare;
    expect(untrusted.url.startsWith(`${server.url}/s/`)).toBe(true);
    const behindProxy = await startServer({ trustProxy: ['loopback'] });
    try {
      expect((await postIngest(behindProxy.url, makeBatch({ sessionId }))).status).toBe(200);
      const trusted = (await (await create(behindProxy)).json()) as CreatedShare;
      expect(trusted.url.startsWith('https://replay.example.com/s/')).toBe(true);
    } finally {
      await behindProxy.stop();
    }
  });

  it('answers 201 with the link, expiring in 168 hours by default; only the secret’s SHA-256 is stored', async () => {
    const before = Date.now() + clockOffsetMs;
    const created = await share();
    const token = new URL(created.url).pathname.replace('/s/', '');
    const [id, secret] = token.split('.');
    expect(id).toBe(created.id);
    // 32 random bytes in base64url: 256 bits.
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.url.startsWith(`${server.url}/s/`)).toBe(true);
    const expiresAt = Date.parse(created.expiresAt);
    expect(expiresAt - before).toBeGreaterThanOrEqual(168 * HOUR_MS);
    expect(expiresAt - before).toBeLessThan(168 * HOUR_MS + 60_000);
    const stored = await server.replay.storage.shares.findShare(created.id);
    expect(stored?.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect((await listed()).map((s) => s.id)).toContain(created.id);
  });

  it('takes expiresInHours from 1 to 8760 and refuses anything else with 400', async () => {
    const yearLater = Date.parse((await share(sessionId, { expiresInHours: 8_760 })).expiresAt);
    expect(yearLater - Date.now() - clockOffsetMs).toBeGreaterThan(8_759 * HOUR_MS);
    const bad: [string, string][] = [
      ['{"expiresInHours":0}', 'invalid_body'],
      ['{"expiresInHours":8761}', 'invalid_body'],
      ['{"expiresInHours":1.5}', 'invalid_body'],
      ['{"expiresInHours":"24"}', 'invalid_body'],
      ['{"expiresInHours":24,"sessionId":"x"}', 'invalid_body'],
      ['[]', 'invalid_body'],
      ['{"expiresInHours":', 'bad_request'],
    ];
    for (const [body, code] of bad) {
      const res = await server.api(`/api/sessions/${sessionId}/shares`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      expect(res.status, body).toBe(400);
      expect((await res.json()).error.code, body).toBe(code);
    }
    const query = await server.api(`/api/sessions/${sessionId}/shares?admin=1`, { method: 'POST' });
    expect(query.status).toBe(400);
  });

  it('answers 400 for an id that is not a UUID and 404 for an unknown session', async () => {
    for (const id of ['not-a-uuid', "1' OR '1'='1", '..%2F..%2Fetc']) {
      expect((await server.api(`/api/sessions/${id}/shares`, { method: 'POST' })).status, id).toBe(400);
      expect((await server.api(`/api/sessions/${id}/shares`)).status, id).toBe(400);
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await server.api(`/api/sessions/${unknown}/shares`, { method: 'POST' })).status).toBe(404);
    expect((await server.api(`/api/sessions/${unknown}/shares`)).status).toBe(404);
  });

  it('needs the admin token to create, list or revoke', async () => {
    const created = await share();
    const { cookie } = await open(created.url);
    for (const headers of [{}, { Cookie: cookie }] as Record<string, string>[]) {
      expect((await fetch(`${server.url}/api/sessions/${sessionId}/shares`, { method: 'POST', headers })).status).toBe(401);
      expect((await fetch(`${server.url}/api/sessions/${sessionId}/shares`, { headers })).status).toBe(401);
      expect((await fetch(`${server.url}/api/shares/${created.id}`, { method: 'DELETE', headers })).status).toBe(401);
    }
  });
});

describe('a share link', () => {
  it('sets an HttpOnly cookie and opens its session’s replay, summary, events and export', async () => {
    const created = await share();
    const opened = await open(created.url);
    expect(opened.status).toBe(303);
    expect(opened.location).toBe(`/sessions/${sessionId}`);
    expect(opened.cookie).not.toBe('');
    const res = await fetch(created.url, { redirect: 'manual' });
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    expect(res.headers.get('cache-control')).toBe('no-store');
    for (const path of [`/sessions/${sessionId}`, `/api/sessions/${sessionId}`, `/api/sessions/${sessionId}/events`, `/api/sessions/${sessionId}/export.html`]) {
      expect((await asViewer(opened.cookie, path)).status, path).toBe(200);
    }
    const events = await (await asViewer(opened.cookie, `/api/sessions/${sessionId}/events`)).text();
    expect(events.trim().split('\n')).toHaveLength(2);
  });

  it('grants nothing else: no list, no stats, no other session, no writes', async () => {
    const { cookie } = await open((await share()).url);
    const refused: [string, string, number][] = [
      ['GET', '/api/sessions', 401],
      ['GET', '/api/sessions.csv', 401],
      ['GET', '/api/sessions.ndjson', 401],
      ['GET', '/api/stats', 401],
      ['GET', `/api/sessions/${otherId}`, 403],
      ['GET', `/api/sessions/${otherId}/events`, 403],
      ['GET', `/api/sessions/${otherId}/export.html`, 403],
      ['GET', `/api/sessions/${sessionId}/shares`, 401],
      ['DELETE', `/api/sessions/${sessionId}`, 401],
      ['POST', `/api/sessions/${sessionId}/shares`, 401],
    ];
    for (const [method, path, status] of refused) {
      const res = await asViewer(cookie, path, { method });
      expect(res.status, `${method} ${path}`).toBe(status);
      expect((await res.json()).error.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
    }
    for (const path of ['/', `/sessions/${otherId}`]) {
      const page = await asViewer(cookie, path);
      expect(page.status, path).toBe(302);
      expect(page.headers.get('location')).toMatch(/^\/login/);
    }
    expect((await server.api(`/api/sessions/${sessionId}`)).status).toBe(200);
  });

  it('stops working at once when revoked', async () => {
    const created = await share();
    const { cookie } = await open(created.url);
    expect((await asViewer(cookie, `/api/sessions/${sessionId}/events`)).status).toBe(200);
    expect((await server.api(`/api/shares/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await asViewer(cookie, `/api/sessions/${sessionId}/events`)).status).toBe(401);
    const page = await asViewer(cookie, `/sessions/${sessionId}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('expired or been revoked');
    expect((await open(created.url)).status).toBe(404);
    expect((await listed()).map((s) => s.id)).not.toContain(created.id);
    expect((await server.api(`/api/shares/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    for (const id of ['nope', "1'--", '00000000-0000-4000-8000-00000000000g']) {
      expect((await server.api(`/api/shares/${id}`, { method: 'DELETE' })).status, id).toBe(400);
    }
  });

  it('stops working the moment it expires, by the app’s clock', async () => {
    const created = await share(sessionId, { expiresInHours: 1 });
    const { cookie } = await open(created.url);
    clockOffsetMs += HOUR_MS - 1_000;
    expect((await asViewer(cookie, `/api/sessions/${sessionId}`)).status).toBe(200);
    expect((await listed()).find((s) => s.id === created.id)?.expired).toBe(false);
    clockOffsetMs += 1_000;
    expect((await asViewer(cookie, `/api/sessions/${sessionId}`)).status).toBe(401);
    expect((await asViewer(cookie, `/sessions/${sessionId}`)).status).toBe(403);
    expect((await open(created.url)).status).toBe(404);
    expect((await listed()).find((s) => s.id === created.id)?.expired).toBe(true);
  });

  it('answers 4xx to hostile tokens, never opening anything', async () => {
    const created = await share();
    const [id, secret] = new URL(created.url).pathname.replace('/s/', '').split('.');
    const wrongSecret = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const hostile = [
      'x',
      `${id}`,
      `${id}.`,
      `${id}.${wrongSecret}`,
      `${id}.${secret}.${secret}`,
      `${id.toUpperCase()}.${wrongSecret}`,
      `${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.${secret}`,
      encodeURIComponent(`${id}.${secret}' OR '1'='1`),
      encodeURIComponent('../../api/sessions'),
      '%00',
      'a'.repeat(4_000),
    ];
    for (const token of hostile) {
      const opened = await open(`${server.url}/s/${token}`);
      expect(opened.status, token).toBeGreaterThanOrEqual(400);
      expect(opened.status, token).toBeLessThan(500);
      expect(opened.cookie, token).toBe('');
      const asCookie = await asViewer(`replay_share=${token}`, `/api/sessions/${sessionId}/events`);
      expect(asCookie.status, token).toBe(401);
    }
  });

  it('goes with its session, deleted by hand or by retention', async () => {
    const byHand = makeBatch();
    const old = makeBatch();
    for (const b of [byHand, old]) expect((await postIngest(server.url, b)).status).toBe(200);
    const links = [await share(byHand.sessionId), await share(old.sessionId)];
    expect((await server.api(`/api/sessions/${byHand.sessionId}`, { method: 'DELETE' })).status).toBe(204);
    // The test batches' activity is days in the past: everything before now is "old".
    expect(await server.replay.storage.deleteSessionsEndedBefore(Date.now(), 1_000)).toBeGreaterThan(0);
    for (const link of links) {
      expect((await open(link.url)).status).toBe(404);
      expect(await server.replay.storage.shares.findShare(link.id)).toBeNull();
    }
  });
});
