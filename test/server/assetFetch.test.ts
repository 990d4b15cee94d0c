import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetFetchRefused, fetchPublicUrl } from '../../server/assets/fetchPublicUrl';
import { MAX_ASSET_BYTES } from '../../shared/capturedAssets';
import { startAssetOrigin, stripedPng, type AssetOrigin } from '../helpers/assetOrigins';
import { startServer, type TestServer } from '../helpers/server';

let canary: AssetOrigin;
let origin: AssetOrigin;
let open: TestServer;
let closed: TestServer;

const redirect = (to: string) => ({ type: 'redirect', body: to });

beforeAll(async () => {
  // The canary stands for whatever sits on the server's own network.
  canary = await startAssetOrigin('127.0.0.3', false, { '/secret.css': { type: 'text/css', body: 'body{}' } });
  origin = await startAssetOrigin('127.0.0.2', false, {
    '/third.css': { type: 'text/css; charset=utf-8', body: '@import "more.css"; .a { background: url(img/dot.png) } .b { background: url(https://127.0.0.1:1/gone.png) }' },
    '/more.css': { type: 'text/css', body: '.c { background: url("img/dot.png#x") }' },
    '/img/dot.png': { type: 'image/png', body: stripedPng(4, 4, [[1, 2, 3]]) },
    '/page.html': { type: 'text/html', body: '<script>alert(1)</script>' },
    '/app.js': { type: 'text/javascript', body: 'alert(1)' },
    '/huge.png': { type: 'image/png', body: Buffer.alloc(MAX_ASSET_BYTES + 1) },
  });
  open = await startServer({ allowPrivateAssetFetch: true });
  closed = await startServer();
});
afterAll(async () => {
  await Promise.all([open?.stop(), closed?.stop(), canary?.close(), origin?.close()]);
});

function serverFetch(server: TestServer, urls: string[], project = 'demo'): Promise<Response> {
  return fetch(`${server.url}/api/assets/fetch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ project, urls }),
  });
}

/** Redirects /r<n> → /r<n-1> … → /r0 → `target` on `origin`. */
function redirectChain(length: number, target: string): string {
  for (let n = 0; n < length; n++) origin.files.set(`/r${n}`, redirect(n === 0 ? target : `/r${n - 1}`));
  return `${origin.url}/r${length - 1}`;
}

describe('the server fetches what the page could not read', () => {
  it('never reaches a loopback or private address without REPLAY_ASSET_ALLOW_PRIVATE', async () => {
    const before = canary.requests.length;
    const res = await serverFetch(closed, [`${canary.url}/secret.css`, `http://localhost:${new URL(canary.url).port}/secret.css`, `http://[::1]:1/x.css`]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ assets: {} });
    expect(canary.requests.length).toBe(before);
  });

  it('stores a stylesheet with its @import and url()s pointing at the captured copies', async () => {
    const res = await serverFetch(open, [`${origin.url}/third.css`]);
    const { assets } = (await res.json()) as { assets: Record<string, string> };
    expect(Object.keys(assets).sort()).toEqual([`${origin.url}/img/dot.png`, `${origin.url}/more.css`, `${origin.url}/third.css`]);
    const css = await (await open.api(`/api/assets/${assets[`${origin.url}/third.css`]}`)).text();
    const dot = assets[`${origin.url}/img/dot.png`];
    expect(css).toBe(`@import "${assets[`${origin.url}/more.css`]}"; .a { background: url("${dot}") } .b { background: url("https://127.0.0.1:1/gone.png") }`);
    expect(await (await open.api(`/api/assets/${assets[`${origin.url}/more.css`]}`)).text()).toBe(`.c { background: url("${dot}#x") }`);
    expect((await open.api(`/api/assets/${dot}`)).headers.get('content-type')).toBe('image/png');
  });

  it('keeps HTML, scripts and oversized files out, and follows at most 5 redirects', async () => {
    const dot = `${origin.url}/img/dot.png`;
    const res = await serverFetch(open, [`${origin.url}/page.html`, `${origin.url}/app.js`, `${origin.url}/huge.png`, redirectChain(6, dot)]);
    expect(await res.json()).toEqual({ assets: {} });
    const followed = await serverFetch(open, [redirectChain(5, dot)]);
    expect(Object.values((await followed.json()).assets)).toHaveLength(1);
  });

  it('limits how often a project has the server fetch', async () => {
    const answers = await Promise.all(Array.from({ length: 150 }, () => serverFetch(closed, [])));
    const limited = answers.filter((res) => res.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited[0].json()).error.code).toBe('rate_limited');
  });

  it('refuses bad requests with a clear error', async () => {
    for (const [body, status, code] of [
      [{ project: 'demo', urls: ['file:///etc/passwd'] }, 400, 'invalid_request'],
      [{ project: 'demo', urls: Array.from({ length: 51 }, (_, i) => `https://cdn.test/${i}.css`) }, 400, 'invalid_request'],
      [{ project: 'nope', urls: [] }, 403, 'unknown_project'],
    ] as const) {
      const res = await fetch(`${open.url}/api/assets/fetch`, { method: 'POST', body: JSON.stringify(body) });
      expect(res.status).toBe(status);
      expect((await res.json()).error.code).toBe(code);
    }
  });
});

describe('fetchPublicUrl', () => {
  const onlyOrigin = { allowed: (address: string) => address === '127.0.0.2', maxBytes: 1_000, timeoutMs: 2_000, maxRedirects: 5 };

  it('checks the address again after a redirect and after DNS resolution', async () => {
    const before = canary.requests.length;
    await expect(fetchPublicUrl(redirectChain(1, `${canary.url}/secret.css`), onlyOrigin)).rejects.toBeInstanceOf(AssetFetchRefused);
    const viaName = `http://localhost:${new URL(canary.url).port}/secret.css`;
    await expect(fetchPublicUrl(viaName, onlyOrigin)).rejects.toBeInstanceOf(AssetFetchRefused);
    expect(canary.requests.length).toBe(before);
    expect((await fetchPublicUrl(`${origin.url}/img/dot.png`, onlyOrigin)).status).toBe(200);
  });

  it('gives up on a server that does not answer in time', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.2', resolve));
    try {
      const url = `http://127.0.0.2:${(silent.address() as AddressInfo).port}/slow.css`;
      await expect(fetchPublicUrl(url, { ...onlyOrigin, timeoutMs: 300 })).rejects.toThrow(/abort|timeout/i);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
