import { createHash, randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT } from '../../shared/constants';
import { clickEvent, makeBatch, metaEvent, postIngest, T0 } from '../helpers/batches';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let sessionId: string;
const CHUNKS = 30;
const HOSTILE_USER = '</script><script>alert(1)</script>';

beforeAll(async () => {
  server = await startServer();
  const first = makeBatch();
  sessionId = first.sessionId;
  const identify = { type: 5, timestamp: T0 + 2, data: { tag: CUSTOM_EVENT.identify, payload: { userId: HOSTILE_USER } } };
  for (let seq = 0; seq < CHUNKS; seq++) {
    const events = seq === 0 ? [metaEvent(T0), clickEvent(T0 + 1), identify] : [clickEvent(T0 + seq * 1_000)];
    expect((await postIngest(server.url, { ...first, seq, events })).status).toBe(200);
  }
});
afterAll(() => server.stop());

/** The data blocks of an exported file: window, sequence number and inflated batch. */
function chunksIn(html: string): { windowId: string; seq: number; events: unknown[] }[] {
  return [...html.matchAll(/<script type="application\/x-replay-chunk" data-window="([^"]+)" data-seq="(\d+)">([^<]*)<\/script>/g)].map((m) => ({
    windowId: m[1],
    seq: Number(m[2]),
    events: (JSON.parse(gunzipSync(Buffer.from(m[3], 'base64')).toString('utf8')) as { events: unknown[] }).events,
  }));
}

describe('GET /api/sessions/:id/export.html', () => {
  it('streams one HTML attachment: its own CSP, the summary, every chunk in order, the player last', async () => {
    const res = await server.api(`/api/sessions/${sessionId}/export.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename=session-${sessionId}.html`);
    // Streamed: no length known up front.
    expect(res.headers.get('content-length')).toBeNull();
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; /);
    expect(policy).not.toMatch(/connect-src|'unsafe-eval'|http/);
    const html = await res.text();
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${policy.replaceAll("'", '&#39;')}">`);
    const chunks = chunksIn(html);
    expect(chunks.map((c) => c.seq)).toEqual([...Array(CHUNKS).keys()]);
    expect(chunks[5].events).toEqual([clickEvent(T0 + 5_000)]);
    const dataBlock = '<script type="application/x-replay-chunk"';
    expect(html.indexOf('id="replay-session"')).toBeLessThan(html.indexOf(dataBlock));
    expect(html.indexOf('<script>')).toBeGreaterThan(html.lastIndexOf(dataBlock));
  });

  it('keeps recorded text from closing its script elements', async () => {
    const html = await (await server.api(`/api/sessions/${sessionId}/export.html`)).text();
    expect(html).not.toContain(HOSTILE_USER);
    const summary = /<script type="application\/json" id="replay-session">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(JSON.parse(summary).userId).toBe(HOSTILE_USER);
    // Every inline <script> but the data blocks is the player, whose hash the policy names.
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('embeds each stored asset the recording references once, with its type, and no other', async () => {
    const upload = async (bytes: Buffer, type: string): Promise<string> => {
      const hash = createHash('sha256').update(bytes).digest('hex');
      const res = await fetch(`${server.url}/api/assets/${hash}?project=demo`, { method: 'PUT', headers: { 'Content-Type': type, Origin: 'https://shop.test' }, body: bytes as BodyInit });
      expect(res.status).toBe(201);
      return hash;
    };
    const image = randomBytes(3_000);
    const imageHash = await upload(image, 'image/png');
    const styleHash = await upload(Buffer.from(`.hero{background:url("${imageHash}")}`), 'text/css');
    const unreferenced = await upload(randomBytes(100), 'image/png');
    const neverUploaded = createHash('sha256').update('absent').digest('hex');
    const assets = (map: Record<string, string>, t: number) => ({ type: 5, timestamp: t, data: { tag: CUSTOM_EVENT.assets, payload: { assets: map } } });
    const first = makeBatch();
    // The image is named under two URLs and again in a later batch.
    const maps: Record<string, string>[] = [
      { 'https://shop.test/site.css': styleHash, 'https://shop.test/hero.png': imageHash, 'https://shop.test/hero.png?v=2': imageHash },
      { 'https://shop.test/hero.png': imageHash, 'https://shop.test/gone.png': neverUploaded },
    ];
    for (const [seq, map] of maps.entries()) {
      const events = seq === 0 ? [metaEvent(T0), assets(map, T0 + 1)] : [assets(map, T0 + 1_000)];
      expect((await postIngest(server.url, { ...first, seq, events })).status).toBe(200);
    }

    const res = await server.api(`/api/sessions/${first.sessionId}/export.html`);
    const html = await res.text();
    const blocks = [...html.matchAll(/<script type="application\/x-replay-asset" data-hash="([0-9a-f]{64})" data-type="([^"]+)">([^<]*)<\/script>/g)];
    expect(blocks.map((m) => m[1]).sort()).toEqual([imageHash, styleHash].sort());
    const image64 = blocks.find((m) => m[1] === imageHash)!;
    expect(image64[2]).toBe('image/png');
    expect(Buffer.from(image64[3], 'base64').equals(image)).toBe(true);
    expect(blocks.find((m) => m[1] === styleHash)![2]).toBe('text/css');
    expect(html).not.toContain(unreferenced);
    // After the events, before the player.
    const asset = '<script type="application/x-replay-asset"';
    expect(html.indexOf(asset)).toBeGreaterThan(html.lastIndexOf('<script type="application/x-replay-chunk"'));
    expect(html.lastIndexOf(asset)).toBeLessThan(html.indexOf('<script>'));
    // The embedded assets load as blob: URLs, and only they.
    expect(res.headers.get('content-security-policy')).toMatch(/style-src 'unsafe-inline' blob:; img-src data: blob:; font-src data: blob:;/);
  });

  it('answers 400 for a bad id or query, 404 for an unknown session, 401 without the token', async () => {
    for (const id of ['x', "1'--", '..%2F..%2Fdata']) {
      expect((await server.api(`/api/sessions/${id}/export.html`)).status, id).toBe(400);
    }
    expect((await server.api(`/api/sessions/${sessionId}/export.html?inline=1`)).status).toBe(400);
    expect((await server.api('/api/sessions/00000000-0000-4000-8000-000000000000/export.html')).status).toBe(404);
    expect((await fetch(`${server.url}/api/sessions/${sessionId}/export.html`)).status).toBe(401);
  });
});
