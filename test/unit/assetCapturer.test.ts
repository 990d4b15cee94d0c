import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AssetCapturer, DEFAULT_CAPTURE_LIMITS } from '../../shared/assetCapturer';
import { MAX_ASSET_BYTES } from '../../shared/capturedAssets';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** A site: path → [content type, body]; anything else fails as a page's fetch of a no-CORS URL does. */
function site(files: Record<string, [string, string | Buffer]>): { fetch: typeof fetch; asked: string[] } {
  const asked: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    asked.push(url.pathname);
    const file = files[url.pathname];
    if (url.hostname !== 'site.test') throw new TypeError('Failed to fetch');
    if (!file) return new Response('missing', { status: 404 });
    return new Response(file[1] as BodyInit, { headers: { 'content-type': file[0] } });
  }) as typeof fetch;
  return { fetch: fetchFn, asked };
}

describe('AssetCapturer', () => {
  it('stores a stylesheet pointing at captured copies of what it uses, by hash, and the rest at absolute URLs', async () => {
    const { fetch } = site({
      '/css/a.css': ['text/css', '@import "b.css"; .x { background: url(../img/x.png#frag) } .y { background: url(https://cdn.test/y.png) }'],
      '/css/b.css': ['text/css', '.z { background: url("/img/x.png") }'],
      '/img/x.png': ['image/png', 'PNG'],
    });
    const root = await new AssetCapturer(fetch).capture('https://site.test/css/a.css');
    const b = `.z { background: url("${sha256('PNG')}") }`;
    const a = `@import "${sha256(b)}"; .x { background: url("${sha256('PNG')}#frag") } .y { background: url("https://cdn.test/y.png") }`;
    expect(root?.hash).toBe(sha256(a));
    expect(await root?.body.text()).toBe(a);
    expect(root?.children.map((child) => child.url).sort()).toEqual(['https://site.test/css/b.css', 'https://site.test/img/x.png']);
  });

  it('stops an @import cycle where it closes, fetching each stylesheet once', async () => {
    const { fetch, asked } = site({
      '/a.css': ['text/css', '@import "b.css"; .a {}'],
      '/b.css': ['text/css', '@import "a.css"; .b {}'],
    });
    const root = await new AssetCapturer(fetch).capture('https://site.test/a.css');
    expect(await root?.children[0].body.text()).toBe('@import "https://site.test/a.css"; .b {}');
    expect(asked).toEqual(['/a.css', '/b.css']);
  });

  it('does not wait forever on two stylesheets taken at once that import each other', async () => {
    const { fetch } = site({
      '/a.css': ['text/css', '@import "b.css"; .a {}'],
      '/b.css': ['text/css', '@import "a.css"; .b {}'],
    });
    const capturer = new AssetCapturer(fetch, { ...DEFAULT_CAPTURE_LIMITS, referenceWaitMs: 50 });
    const [a, b] = await Promise.all([capturer.capture('https://site.test/a.css'), capturer.capture('https://site.test/b.css')]);
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
  });

  it('keeps out HTML, scripts, failures and oversized files, and notes what the page could not read', async () => {
    const { fetch } = site({
      '/page.html': ['text/html', '<p>'],
      '/app.js': ['text/javascript', 'alert(1)'],
      '/huge.png': ['image/png', Buffer.alloc(MAX_ASSET_BYTES + 1)],
    });
    const capturer = new AssetCapturer(fetch);
    for (const path of ['/page.html', '/app.js', '/huge.png', '/gone.png']) expect(await capturer.capture(`https://site.test${path}`)).toBeNull();
    expect(await capturer.capture('https://cdn.test/no-cors.css')).toBeNull();
    expect([...capturer.unreadable]).toEqual(['https://cdn.test/no-cors.css']);
  });

  it('stays within the page budget of bytes and assets', async () => {
    const { fetch } = site({ '/1.png': ['image/png', Buffer.alloc(600)], '/2.png': ['image/png', Buffer.alloc(600)], '/3.png': ['image/png', Buffer.alloc(10)] });
    const capturer = new AssetCapturer(fetch, { ...DEFAULT_CAPTURE_LIMITS, pageBytes: 1_000, pageAssets: 2 });
    expect(await capturer.capture('https://site.test/1.png')).not.toBeNull();
    expect(await capturer.capture('https://site.test/2.png')).toBeNull();
    expect(await capturer.capture('https://site.test/3.png')).toBeNull();
  });
});
