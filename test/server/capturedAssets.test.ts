import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNREFERENCED_ASSET_GRACE_MS } from '../../server/assets/assetStore';
import { MAX_ASSET_BYTES } from '../../shared/capturedAssets';
import { CUSTOM_EVENT } from '../../shared/constants';
import type { WireEvent } from '../../shared/wire';
import { clickEvent, makeBatch, metaEvent, postIngest } from '../helpers/batches';
import { startServer, type TestServer } from '../helpers/server';

const DAY_MS = 86_400_000;
let clock = Date.parse('2026-01-01T00:00:00Z');
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ now: () => clock, retentionDays: 30 });
});
afterAll(() => server.stop());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function missing(hashes: string[], project = 'demo'): Promise<Response> {
  return fetch(`${server.url}/api/assets/missing`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: 'https://shop.test' },
    body: JSON.stringify({ project, hashes }),
  });
}

function upload(bytes: Buffer, type = 'image/png', hash = sha256(bytes), project = 'demo'): Promise<Response> {
  return fetch(`${server.url}/api/assets/${hash}?project=${project}`, {
    method: 'PUT',
    headers: { 'Content-Type': type, Origin: 'https://shop.test' },
    body: bytes as BodyInit,
  });
}

/** A stored asset of random bytes; its hash. */
async function storedAsset(): Promise<string> {
  const bytes = randomBytes(2_000);
  expect((await upload(bytes)).status).toBe(201);
  return sha256(bytes);
}

const assetsEvent = (t: number, assets: Record<string, string>): WireEvent => ({
  type: 5,
  timestamp: t,
  data: { tag: CUSTOM_EVENT.assets, payload: { assets } },
});

/** A session whose recording references `hashes`; its id. */
async function sessionReferencing(hashes: string[]): Promise<string> {
  const assets = Object.fromEntries(hashes.map((hash, i) => [`https://shop.test/a${i}.png`, hash]));
  const batch = makeBatch({ sentAt: clock, events: [metaEvent(clock), clickEvent(clock + 10), assetsEvent(clock + 20, assets)] });
  expect((await postIngest(server.url, batch)).status).toBe(200);
  return batch.sessionId;
}

const isStored = async (hash: string) => (await server.api(`/api/assets/${hash}`)).status === 200;

describe('captured assets: upload', () => {
  it('answers which hashes it lacks in one request, stores what is uploaded once, and serves it immutable to the admin only', async () => {
    const bytes = randomBytes(5_000);
    const hash = sha256(bytes);
    const other = sha256(randomBytes(10));
    const first = await missing([hash, other]);
    expect(first.status).toBe(200);
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expect(await first.json()).toEqual({ missing: [hash, other] });

    const put = await upload(bytes, 'image/png; charset=binary');
    expect(put.status).toBe(201);
    expect(await missing([hash, other]).then((r) => r.json())).toEqual({ missing: [other] });

    expect((await fetch(`${server.url}/api/assets/${hash}`)).status).toBe(401);
    const got = await server.api(`/api/assets/${hash}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('cache-control')).toContain('immutable');
    expect(got.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await server.api(`/api/assets/${other}`)).status).toBe(404);
  });

  it('answers the snippet’s preflight from any origin', async () => {
    const res = await fetch(`${server.url}/api/assets/${sha256(Buffer.from('x'))}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.test', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')).toContain('Content-Type');
  });

  it('refuses bytes that do not match their hash, types other than styles, fonts and images, oversized bodies and unknown projects', async () => {
    const bytes = Buffer.from('body { color: red }');
    const cases: Array<[Promise<Response>, number, string]> = [
      [upload(bytes, 'text/css', sha256(Buffer.from('else'))), 400, 'hash_mismatch'],
      [upload(bytes, 'text/css', 'not-a-hash'), 400, 'invalid_hash'],
      [upload(Buffer.from('<script>alert(1)</script>'), 'text/html'), 415, 'unsupported_type'],
      [upload(Buffer.from('alert(1)'), 'text/javascript'), 415, 'unsupported_type'],
      [upload(randomBytes(MAX_ASSET_BYTES + 1)), 413, 'too_large'],
      [upload(bytes, 'text/css', sha256(bytes), 'nope'), 403, 'unknown_project'],
      [missing(['xyz']), 400, 'invalid_request'],
      [missing([], 'nope'), 403, 'unknown_project'],
    ];
    for (const [response, status, code] of cases) {
      const res = await response;
      expect(res.status).toBe(status);
      expect((await res.json()).error.code).toBe(code);
    }
    expect(await isStored(sha256(bytes))).toBe(false);
  });

  it('refuses to serve a name that is not a hash', async () => {
    const res = await server.api('/api/assets/..%2Fetc');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_hash');
  });
});

describe('captured assets: read through a share link', () => {
  it('serves a share link’s holder the assets its session names, and no other', async () => {
    const named = await storedAsset();
    const other = await storedAsset();
    const sessionId = await sessionReferencing([named]);
    const created = await server.api(`/api/sessions/${sessionId}/shares`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(created.status).toBe(201);
    const opened = await fetch((await created.json()).url, { redirect: 'manual' });
    const shareCookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
    expect(shareCookie).toMatch(/^replay_share=/);
    const asHolder = (hash: string) => fetch(`${server.url}/api/assets/${hash}`, { headers: { Cookie: shareCookie } });
    expect((await asHolder(named)).status).toBe(200);
    expect((await asHolder(other)).status).toBe(401);
  });
});

describe('captured assets: kept as long as the recordings that reference them', () => {
  it('DELETE of a session removes the assets only it referenced', async () => {
    const shared = await storedAsset();
    const own = await storedAsset();
    const first = await sessionReferencing([shared, own]);
    const second = await sessionReferencing([shared]);
    expect((await server.api(`/api/sessions/${first}`, { method: 'DELETE' })).status).toBe(204);
    expect(await isStored(own)).toBe(false);
    expect(await isStored(shared)).toBe(true);
    expect((await server.api(`/api/sessions/${second}`, { method: 'DELETE' })).status).toBe(204);
    expect(await isStored(shared)).toBe(false);
  });

  it('retention removes the assets of the sessions it deletes, and uploads never referenced once past their grace', async () => {
    const old = await storedAsset();
    await sessionReferencing([old]);
    const unreferenced = await storedAsset();
    clock += 20 * DAY_MS;
    const kept = await storedAsset();
    await sessionReferencing([kept]);
    clock += 15 * DAY_MS;
    const fresh = await storedAsset();
    clock += UNREFERENCED_ASSET_GRACE_MS / 2;
    expect(await server.replay.retention.runOnce()).toBeGreaterThan(0);
    expect(await isStored(old)).toBe(false);
    expect(await isStored(unreferenced)).toBe(false);
    expect(await isStored(kept)).toBe(true);
    expect(await isStored(fresh)).toBe(true);
  });
});
