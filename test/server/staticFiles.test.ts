/**
 * Static files as the server sends them: precompressed (brotli first, then gzip) by
 * Accept-Encoding, identical once inflated, content-hashed names cached for a year,
 * recorder.js and the player's pages revalidated by ETag.
 */
import fs from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../server/config';
import { accepts } from '../../server/routes/staticFiles';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const recorderDir = path.dirname(DEFAULT_CONFIG.assets.recorderFile);
const chunk = fs.readdirSync(path.join(recorderDir, 'chunks')).find((name) => name.endsWith('.js')) as string;
const playerScript = fs.readdirSync(path.join(DEFAULT_CONFIG.assets.playerDir, 'assets')).find((name) => name.endsWith('.js')) as string;

/** GET `urlPath` with Accept-Encoding `encoding`; the body as sent, not inflated. */
async function get(urlPath: string, encoding: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(server.url + urlPath, { headers: { 'Accept-Encoding': encoding, ...headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files', () => {
  it('sends recorder.js as brotli, gzip or plain by Accept-Encoding, the same code once inflated', async () => {
    const plain = fs.readFileSync(DEFAULT_CONFIG.assets.recorderFile);
    const br = await get('/recorder.js', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain)).toBe(true);
    const gzip = await get('/recorder.js', 'gzip;q=1, br;q=0');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain)).toBe(true);
    const identity = await get('/recorder.js', 'identity');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.equals(plain)).toBe(true);
    for (const response of [br, gzip, identity]) {
      expect(response.headers.vary).toContain('Accept-Encoding');
      expect(response.headers['content-type']).toMatch(/^text\/javascript/);
      expect(response.headers['access-control-allow-origin']).toBe('*');
    }
    expect(br.body.length).toBeLessThan(plain.length / 3);
  });

  it('revalidates recorder.js by ETag: 304 while unchanged, one ETag per encoding', async () => {
    const first = await get('/recorder.js', 'br');
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/recorder.js', 'br', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const gzip = await get('/recorder.js', 'gzip', { 'If-None-Match': etag });
    expect(gzip.status).toBe(200);
    expect(gzip.headers.etag).not.toBe(etag);
  });

  it('caches the recorder’s content-hashed chunks and the player’s assets for a year, compressed', async () => {
    for (const urlPath of [`/chunks/${chunk}`, `/assets/${playerScript}`]) {
      const response = await get(urlPath, 'gzip, br');
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBe('br');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect((await get(`/chunks/${chunk}`, 'br')).headers['access-control-allow-origin']).toBe('*');
  });

  it('serves the player’s pages compressed and revalidated', async () => {
    const page = await get(server.loginUrl('/').replace(server.url, ''), 'gzip');
    const index = await get('/', 'gzip', { Cookie: String(page.headers['set-cookie'] ?? '').split(';')[0] });
    expect(index.status).toBe(200);
    expect(index.headers['content-encoding']).toBe('gzip');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(gunzipSync(index.body).toString()).toContain('<div id="app">');
  });

  it('answers 404 for the precompressed copies by name, unknown chunks and paths leaving the folder', async () => {
    expect((await get('/recorder.js.br', 'br')).status).toBe(404);
    expect((await get(`/chunks/${chunk}.gz`, 'br')).status).toBe(404);
    expect((await get('/chunks/nothing-12345678.js', 'br')).status).toBe(404);
    expect((await get('/chunks/..%2frecorder.js', 'br')).status).toBe(404);
    expect((await get('/assets/..%2f..%2fpackage.json', 'br')).status).toBe(404);
  });
});

describe('accepts', () => {
  it('reads codings with their q-values', () => {
    expect(accepts('gzip, deflate, br', 'br')).toBe(true);
    expect(accepts('gzip;q=0.5, br;q=0', 'br')).toBe(false);
    expect(accepts('*', 'gzip')).toBe(true);
    expect(accepts(undefined, 'gzip')).toBe(false);
    expect(accepts('identity', 'gzip')).toBe(false);
  });
});
