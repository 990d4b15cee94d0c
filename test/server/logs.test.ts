/**
 * The real server's stdout (server/main.ts in its own process): one JSON object per line, a
 * line per request with its id, method, path, status and duration (an accepted ingest batch at
 * debug level only), and never a token — not
 * from `/login?token=…`, an Authorization header, the admin cookie or a share link.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_COOKIE, adminCookieValue } from '../../server/auth/adminAuth';
import { ADMIN_TOKEN_FILE } from '../../server/auth/adminToken';
import { makeBatch, postIngest } from '../helpers/batches';
import { freePort } from '../helpers/freePort';
import { tempDataDir } from '../helpers/server';
import { spawnServer, type ServerProcess } from '../faults/serverProcess';

let server: ServerProcess | undefined;
afterEach(async () => {
  server?.child.kill('SIGKILL');
  await server?.exited;
  server = undefined;
});

interface RequestLine {
  reqId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

function logLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The request line for `method path` once it has been written (it follows the answer). */
async function requestLine(method: string, urlPath: string): Promise<RequestLine> {
  return vi.waitFor(() => {
    const line = logLines(server!.stdout()).find((l) => l.method === method && l.path === urlPath);
    if (!line) throw new Error(`no log line for ${method} ${urlPath} yet`);
    return line as unknown as RequestLine;
  });
}

describe('request logs', () => {
  it('log each request as one JSON line with id, method, path, status and duration, and no token', async () => {
    server = await spawnServer({ dataDir: tempDataDir(), port: await freePort() });
    const token = server.adminToken;
    const cookie = adminCookieValue(token);
    const login = await fetch(`${server.url}/login?token=${encodeURIComponent(token)}&next=/`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect((await server.api('/api/sessions')).status).toBe(200);
    expect((await fetch(`${server.url}/api/stats`, { headers: { Cookie: `${ADMIN_COOKIE}=${cookie}` } })).status).toBe(200);
    const batch = makeBatch();
    expect((await postIngest(server.url, batch)).status).toBe(200);
    expect((await postIngest(server.url, makeBatch({ project: 'nope' }))).status).toBe(403);
    const share = await server.api(`/api/sessions/${batch.sessionId}/shares`, { method: 'POST' });
    const link = ((await share.json()) as { url: string }).url;
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(303);

    const line = await requestLine('GET', '/login');
    expect(line).toMatchObject({ method: 'GET', path: '/login', status: 303 });
    expect(line.reqId).toBe(login.headers.get('x-request-id'));
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    await requestLine('GET', '/api/sessions');
    await requestLine('GET', '/api/stats');
    expect(await requestLine('GET', '/s/:token')).toMatchObject({ status: 303 });
    // An accepted batch is routine (debug, counted by the metrics); a refused one is logged.
    expect(await requestLine('POST', '/api/ingest')).toMatchObject({ status: 403 });
    const stdout = server.stdout();
    expect(logLines(stdout).filter((l) => l.path === '/api/ingest' && l.status === 200)).toEqual([]);
    for (const secret of [token, encodeURIComponent(token), cookie, link.split('/s/')[1]]) expect(stdout).not.toContain(secret);
    expect(stdout).not.toMatch(/token=|authorization|cookie/i);
  });

  it('log accepted ingest batches too at LOG_LEVEL=debug', async () => {
    server = await spawnServer({ dataDir: tempDataDir(), port: await freePort(), env: { LOG_LEVEL: 'debug' } });
    const res = await postIngest(server.url, makeBatch());
    expect(res.status).toBe(200);
    expect(await requestLine('POST', '/api/ingest')).toMatchObject({ status: 200, level: 20, reqId: res.headers.get('x-request-id') });
  });

  it('keep a generated token out of stdout: only the login link on stderr, for the person starting it, shows it', async () => {
    const dataDir = tempDataDir();
    server = await spawnServer({ dataDir, port: await freePort(), env: { REPLAY_ADMIN_TOKEN: '' } });
    const token = fs.readFileSync(path.join(dataDir, ADMIN_TOKEN_FILE), 'utf8').trim();
    await fetch(`${server.url}/login?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
    await requestLine('GET', '/login');
    expect(logLines(server.stdout()).some((l) => l.msg === 'listening' && l.address === server!.url)).toBe(true);
    expect(server.stdout()).not.toContain(token);
    expect(server.output()).toContain(`/login?token=${encodeURIComponent(token)}`);
  });
});
