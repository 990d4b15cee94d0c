import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_FILE } from '../../server/auth/adminToken';
import { configWith } from '../../server/config';
import { openServer } from '../../server/openServer';
import { makeBatch, postIngest } from '../helpers/batches';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer;
let sessionId: string;
beforeAll(async () => {
  server = await startServer();
  const batch = makeBatch();
  sessionId = batch.sessionId;
  expect((await postIngest(server.url, batch)).status).toBe(200);
});
afterAll(() => server.stop());

const get = (urlPath: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${urlPath}`, { headers, redirect: 'manual' });

describe('the admin token', () => {
  it('guards the read API: 401 JSON without it or with a wrong one, 200 with it', async () => {
    const refused: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: `Bearer ${server.adminToken}x` },
      { Authorization: server.adminToken },
    ];
    for (const headers of refused) {
      for (const route of ['/api/sessions', `/api/sessions/${sessionId}`, `/api/sessions/${sessionId}/events`, '/api/stats', '/api/sessions.csv']) {
        const res = await get(route, headers);
        expect(res.status, `${route} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('Bearer');
        expect((await res.json()).error.code).toBe('unauthorized');
      }
    }
    const del = await fetch(`${server.url}/api/sessions/${sessionId}`, { method: 'DELETE' });
    expect(del.status).toBe(401);
    expect((await server.api(`/api/sessions/${sessionId}`)).status).toBe(200);
  });

  it('leaves ingest, the snippet, the demo page and the health check open', async () => {
    expect((await postIngest(server.url, makeBatch())).status).toBe(200);
    for (const route of ['/recorder.js', '/demo', '/healthz']) expect((await get(route)).status, route).toBe(200);
  });

  it('sends a browser without the cookie to /login, and back where it was going after', async () => {
    const page = await get(`/sessions/${sessionId}?t=3`);
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/sessions/${sessionId}?t=3`)}`);
    const form = await get('/login?next=%2F');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="token"');

    const login = await get(`/login?token=${encodeURIComponent(server.adminToken)}&next=${encodeURIComponent(`/sessions/${sessionId}`)}`);
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe(`/sessions/${sessionId}`);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toContain(server.adminToken);
    const cookie = setCookie.split(';')[0];
    expect((await get('/', { Cookie: cookie })).status).toBe(200);
    expect((await get('/api/sessions', { Cookie: cookie })).status).toBe(200);
  });

  it('logs in through the form too, and refuses a wrong token', async () => {
    const post = (token: string) =>
      fetch(`${server.url}/login`, {
        method: 'POST',
        body: new URLSearchParams({ token, next: '/' }),
        redirect: 'manual',
      });
    expect((await post(server.adminToken)).status).toBe(303);
    const wrong = await post('guess');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('not the admin token');
    expect((await get('/', { Cookie: 'replay_admin=forged' })).status).toBe(302);
  });

  it('never redirects off the server after login', async () => {
    for (const next of ['//evil.test/', '/\\evil.test', 'https://evil.test/', 'javascript:alert(1)']) {
      const res = await get(`/login?token=${encodeURIComponent(server.adminToken)}&next=${encodeURIComponent(next)}`);
      expect(res.headers.get('location'), next).toBe('/');
    }
  });

  it('is generated on first start into DATA_DIR with mode 0600, and kept across restarts', async () => {
    // startServer always passes a token; main.ts calls openServer without one when the env has none.
    const dataDir = tempDataDir();
    const a = await openServer(configWith({ dataDir }));
    await a.close();
    const file = path.join(dataDir, ADMIN_TOKEN_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(a.adminToken).toMatchObject({ source: 'created', file });
    expect(a.adminToken.token.length).toBeGreaterThanOrEqual(32);
    const b = await openServer(configWith({ dataDir }));
    await b.close();
    expect(b.adminToken).toMatchObject({ source: 'file', token: a.adminToken.token });
  });
});

describe('security headers', () => {
  it('gives the player a CSP without inline scripts, no framing and no sniffing', async () => {
    const res = await get('/', { Authorization: `Bearer ${server.adminToken}` });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc.trim()).toBe("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('allows cross-origin requests on ingest only', async () => {
    const origin = { Origin: 'https://customer.test' };
    const ingest = await postIngest(server.url, makeBatch(), origin);
    expect(ingest.headers.get('access-control-allow-origin')).toBe('*');
    const read = await server.api('/api/sessions', { headers: origin });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${server.url}/api/sessions`, {
      method: 'OPTIONS',
      headers: { ...origin, 'Access-Control-Request-Method': 'DELETE' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a session page whose id is not a UUID with 404', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', 'not-a-uuid', '1%20OR%201=1']) {
      expect((await get(`/sessions/${id}`, { Authorization: `Bearer ${server.adminToken}` })).status, id).toBe(404);
    }
  });
});
