/**
 * Replays that last: a page whose look depends on a stylesheet with a web font and a background
 * image, an <img>, a same-origin iframe, a canvas chart, a stylesheet on a CORS-enabled CDN and
 * one on a third party without CORS, all on origins other than the server's. Recorded, then
 * redeployed (every asset changed at its URL) and taken down: the replay must look the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT } from '../../shared/constants';
import { startAssetOrigin, stripedPng, type AssetOrigin, type ServedFile } from '../helpers/assetOrigins';
import { launchBrowser } from '../helpers/browser';
import { pixelDifference } from '../helpers/pixels';
import { openPlayer } from '../helpers/player';
import { exportToDisk } from '../helpers/exportToDisk';
import { keepPageFetches, pageFetches } from '../helpers/pageFetches';
import { eventsOf, waitForRecorder } from '../helpers/recordedSession';
import { snippetTag } from '../helpers/sitePage';
import { startServer, type TestServer } from '../helpers/server';

/** An icon font (codicons): its glyphs sit in the private use area, so without it the title draws nothing like them. */
const FONT = fs.readFileSync(
  path.join('node_modules/playwright-core/lib/vite/recorder/assets', fs.readdirSync('node_modules/playwright-core/lib/vite/recorder/assets').find((f) => f.endsWith('.ttf'))!),
);
const RED: [number, number, number] = [220, 40, 40];
const BLUE: [number, number, number] = [40, 80, 220];
const GREEN: [number, number, number] = [40, 170, 80];
const YELLOW: [number, number, number] = [230, 200, 40];
const BLACK: [number, number, number] = [0, 0, 0];

const css = (body: string): ServedFile => ({ type: 'text/css', body });
const png = (colors: Array<[number, number, number]>): ServedFile => ({ type: 'image/png', body: stripedPng(64, 64, colors) });

/** The site's files in version 1 (what is recorded) or 2 (the redeploy). */
function siteFiles(version: 1 | 2, cdn: string, third: string, server: string): Record<string, ServedFile> {
  const [a, b] = version === 1 ? [RED, BLUE] : [GREEN, YELLOW];
  const chart = version === 1 ? ['#d22', '#22d', '#2a2'] : ['#000', '#000', '#000'];
  return {
    '/page.html': {
      type: 'text/html',
      body: `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/site.css">
<link rel="stylesheet" href="${cdn}/cdn.css">
<link rel="stylesheet" href="${third}/third.css">
${snippetTag(server, [['capture-assets', 'all'], ['record-canvas', 'true'], ['canvas-fps', '4'], ['block-selector', '.private']])}
</head><body>
<h1 class="title">&#xEA60;&#xEA61;&#xEA62;&#xEA63;&#xEA64;&#xEA65;</h1>
<div class="hero"></div>
<img id="photo" src="/photo.png" width="128" height="64">
<div class="cdn-box"></div><div class="third-box"></div>
<div class="private"><img src="/secret.png" width="8" height="8"><style>.x { background: url(/secret-bg.png) }</style></div>
<iframe id="frame" src="/frame.html" width="200" height="90"></iframe>
<iframe id="widget" src="${cdn}/widget.html" width="60" height="40"></iframe>
<canvas id="chart" width="180" height="90"></canvas>
<script>
  const c = document.getElementById('chart').getContext('2d');
  ${JSON.stringify(chart)}.forEach((color, i) => { c.fillStyle = color; c.fillRect(10 + i * 60, 80 - 25 * (i + 1), 40, 25 * (i + 1)); });
  // After load, as a single-page app adds a view: a stylesheet and an image of their own.
  addEventListener('load', () => setTimeout(() => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/late.css' });
    document.head.append(link);
    document.body.append(Object.assign(document.createElement('div'), { className: 'late-box' }), Object.assign(new Image(), { src: '/late-photo.png' }));
  }, 300));
</script>
</body></html>`,
    },
    // A session ends after 2 s without activity here: the next one gets its own map.
    '/short.html': {
      type: 'text/html',
      body: `<!doctype html><link rel="stylesheet" href="/site.css">${snippetTag(server, [['session-timeout-ms', '2000']])}<div class="hero"></div>`,
    },
    '/site.css': css(`@font-face { font-family: TestIcons; src: url(fonts/icons.ttf) format("truetype"); }
body { margin: 8px; font: 16px sans-serif; }
.title { font: 40px TestIcons; color: rgb(${a}); margin: 0 0 8px; }
.hero { width: 256px; height: 64px; background: url("img/hero.png") repeat-x; }
div { display: inline-block; margin: 4px; }`),
    '/fonts/icons.ttf': version === 1 ? { type: 'font/ttf', body: FONT } : { type: 'text/plain', body: 'gone' },
    '/img/hero.png': png([a, b]),
    '/photo.png': png([b, BLACK]),
    '/secret.png': png([BLACK]),
    // Also names an image an earlier look captured already.
    '/late.css': css(`.late-box { width: 96px; height: 48px; background: url(img/late.png); border-image: url(img/hero.png) 8 round; border: 8px solid; }`),
    '/img/late.png': png([b, a]),
    '/late-photo.png': png([a, BLACK]),
    '/secret-bg.png': png([BLACK, RED]),
    '/frame.html': { type: 'text/html', body: '<!doctype html><link rel="stylesheet" href="/frame.css"><body><p>Inside the frame</p></body>' },
    '/frame.css': css(`body { margin: 0; background: url(img/frame-bg.png); } p { color: rgb(${b}); font: bold 20px sans-serif; }`),
    '/img/frame-bg.png': png([a, [255, 255, 255]]),
  };
}

function cdnFiles(version: 1 | 2): Record<string, ServedFile> {
  const [a, b] = version === 1 ? [BLUE, YELLOW] : [RED, GREEN];
  return {
    '/cdn.css': css(`.cdn-box { width: 96px; height: 64px; background: url(stripes.png); border: 6px solid rgb(${a}); }`),
    '/stripes.png': png([a, b]),
    '/widget.html': { type: 'text/html', body: `<body style="background: rgb(${a})">widget</body>` },
  };
}

function thirdPartyFiles(version: 1 | 2): Record<string, ServedFile> {
  const [a, b] = version === 1 ? [GREEN, RED] : [BLUE, BLUE];
  return {
    '/third.css': css(`.third-box { width: 96px; height: 64px; background: url(/dots.png); outline: 6px solid rgb(${a}); }`),
    '/dots.png': png([a, b]),
  };
}

let server: TestServer;
let browser: Browser;
let site: AssetOrigin;
let cdn: AssetOrigin;
let third: AssetOrigin;

beforeAll(async () => {
  server = await startServer({ allowPrivateAssetFetch: true });
  browser = await launchBrowser();
  // localhost, 127.0.0.2 and 127.0.0.3: three origins, none of them the server's 127.0.0.1.
  cdn = await startAssetOrigin('127.0.0.2', true);
  third = await startAssetOrigin('127.0.0.3', false);
  site = await startAssetOrigin('localhost', false);
  deploy(1);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([site, cdn, third].map((origin) => origin?.close().catch(() => undefined)));
  await server?.stop();
});

function deploy(version: 1 | 2): void {
  const replace = (origin: AssetOrigin, files: Record<string, ServedFile>) => {
    origin.files.clear();
    for (const [name, file] of Object.entries(files)) origin.files.set(name, file);
  };
  replace(site, siteFiles(version, cdn.url, third.url, server.url));
  replace(cdn, cdnFiles(version));
  replace(third, thirdPartyFiles(version));
}

/** Bytes of asset uploads a page sends. */
function countUploads(page: Page): { bytes: number; count: number } {
  const uploads = { bytes: 0, count: 0 };
  page.on('request', (request) => {
    if (request.method() !== 'PUT' || !request.url().includes('/api/assets/')) return;
    uploads.count++;
    uploads.bytes += request.postDataBuffer()?.length ?? 0;
  });
  return uploads;
}

/** The url → hash maps the session recorded. */
async function assetMap(sessionId: string): Promise<Record<string, string>> {
  const map: Record<string, string> = {};
  for (const event of await eventsOf(server, sessionId)) {
    const data = event.data as { tag?: string; payload?: { assets: Record<string, string> } };
    if (event.type === 5 && data.tag === CUSTOM_EVENT.assets) Object.assign(map, data.payload?.assets);
  }
  return map;
}

/**
 * Records one visit of the page until its assets and a few canvas frames are stored; the session
 * id, the uploads, and the URLs the page's own fetch was called with meanwhile.
 */
async function recordVisit(): Promise<{ sessionId: string; uploads: { bytes: number; count: number }; pageFetches: string[] }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 500 } });
  await context.addInitScript(keepPageFetches);
  const page = await context.newPage();
  const uploads = countUploads(page);
  await page.goto(`${site.url}/page.html`);
  const sessionId = await waitForRecorder(page);
  await expect
    .poll(
      async () => {
        await page.evaluate(() => window.SessionReplay.flush());
        return Object.keys(await assetMap(sessionId)).length;
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThanOrEqual(13);
  await page.evaluate(() => window.SessionReplay.flush());
  const fetched = await pageFetches(page);
  await context.close();
  return { sessionId, uploads, pageFetches: fetched };
}

/** The rrweb replay frame of the player, once everything in it has loaded. */
async function replayFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#player iframe');
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('.title');
  await frame.waitForFunction(
    () => {
      // Polled, not awaited: a font that never settles fails the wait instead of hanging it.
      if (document.fonts.status !== 'loaded') return false;
      const images = [...document.images].every((img) => img.complete);
      const inner = (document.querySelector('#frame') as HTMLIFrameElement | null)?.contentDocument;
      return images && !!inner?.querySelector('p');
    },
    undefined,
    { timeout: 15_000 },
  );
  // Two frames: what loaded last is painted. Counted in the page, which paints its frame with it:
  // the replay frame runs no callbacks when its sandbox disallows scripts (a replay without canvas).
  // Bounded: a page Chromium is not rendering at that moment (a loaded machine, a page in the
  // background) never runs its animation callbacks.
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        requestAnimationFrame(() => requestAnimationFrame(resolve));
        setTimeout(resolve, 1_000);
      }),
  );
  return frame;
}

/** A screenshot of the replay frame at the end of the recording. */
async function replayShot(sessionId: string): Promise<{ png: Buffer; page: Page; frame: Frame }> {
  const page = await openPlayer(browser, server, `/sessions/${sessionId}?t=600`);
  const frame = await replayFrame(page);
  // Canvas frames arrive as the replay reaches them: the chart's bars must be drawn.
  await frame.waitForFunction(() => {
    const canvas = document.querySelector('canvas') as HTMLCanvasElement;
    const pixel = canvas.getContext('2d')!.getImageData(25, 70, 1, 1).data;
    return pixel[0] > 150 && pixel[1] < 80;
  }, undefined, { timeout: 15_000 });
  // The replayed mouse pointer is drawn over the frame and may still be easing into place.
  await page.addStyleTag({ content: '.replayer-mouse, .replayer-mouse-tail { visibility: hidden !important; }' });
  return { png: await (await page.$('#player iframe'))!.screenshot({ animations: 'disabled' }), page, frame };
}

describe('captured assets (real Chromium, four origins)', () => {
  let first: Awaited<ReturnType<typeof recordVisit>>;

  it('records the url → hash map of every stylesheet, font and image, and uploads each once, all from the recorder’s worker', async () => {
    first = await recordVisit();
    // Reads, questions to the server and uploads alike: none started on the page's thread (1–2 ms each there).
    expect(first.pageFetches).toEqual([]);
    const map = await assetMap(first.sessionId);
    const captured = Object.keys(map).map((url) => url.replace(/^http:\/\/[^/]+/, ''));
    const names = ['/site.css', '/fonts/icons.ttf', '/img/hero.png', '/photo.png', '/frame.css', '/img/frame-bg.png', '/cdn.css', '/stripes.png', '/third.css', '/dots.png'];
    // Inserted after load: looked at once the insertion settled.
    names.push('/late.css', '/img/late.png', '/late-photo.png');
    for (const name of names) {
      expect(captured).toContain(name);
    }
    // Blocked elements are never looked into: neither their images nor their stylesheets.
    expect(captured.filter((name) => name.startsWith('/secret'))).toEqual([]);
    // The third party's two were fetched by the server, not uploaded.
    expect(first.uploads.count).toBe(11);
    for (const hash of Object.values(map)) expect((await server.api(`/api/assets/${hash}`)).status).toBe(200);

    const second = await recordVisit();
    expect(await assetMap(second.sessionId)).toEqual(map);
    expect(second.uploads).toEqual({ bytes: 0, count: 0 });
  });

  it('records the map again into a new session of the same page view', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/short.html`);
    const firstSession = await waitForRecorder(page);
    const mapOf = async (sessionId: string) => {
      await page.evaluate(() => window.SessionReplay.flush());
      return Object.keys(await assetMap(sessionId)).map((url) => new URL(url).pathname).sort();
    };
    const expected = ['/fonts/icons.ttf', '/img/hero.png', '/site.css'];
    // Moving keeps the first session live until its map came: the capture loads once the page is
    // idle, which on a loaded machine may take longer than the session's timeout.
    let x = 0;
    const movingMapOf = async (sessionId: string) => {
      await page.mouse.move(5 + (x++ % 2) * 10, 5);
      return mapOf(sessionId);
    };
    await expect.poll(() => movingMapOf(firstSession), { timeout: 15_000 }).toEqual(expected);
    // rrweb reports moves a little after they happened: waited until the session has expired.
    await expect.poll(() => page.evaluate(() => window.SessionReplay.getSessionId()), { timeout: 10_000 }).toBeNull();
    await page.mouse.click(5, 5);
    const next = await page.evaluate(() => window.SessionReplay.getSessionId());
    expect(next).not.toBe(firstSession);
    await expect.poll(() => mapOf(next!), { timeout: 10_000 }).toEqual(expected);
    await page.close();
  });

  it('takes a stylesheet still loading at its first look, whose insertion came before the capture loaded', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    site.files.set('/held.html', {
      type: 'text/html',
      body: `<!doctype html>${snippetTag(server.url, [['capture-assets', 'all']])}<img src="/img/witness.png"><div class="held-box"></div>
<script>addEventListener('load', () => document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/held.css' })));</script>`,
    });
    site.files.set('/img/witness.png', png([BLUE]));
    site.files.set('/held.css', { ...css('.held-box { width: 16px; height: 16px; background: url(img/held.png); }'), held });
    site.files.set('/img/held.png', png([GREEN]));
    const page = await browser.newPage();
    await page.goto(`${site.url}/held.html`);
    const sessionId = await waitForRecorder(page);
    // The page fetched the witness image once, the capture's first look again (no-store): that
    // look ran while /held.css was held.
    await expect.poll(() => site.requests.filter((r) => r.path === '/img/witness.png').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    release();
    const paths = async () => {
      await page.evaluate(() => window.SessionReplay.flush());
      return Object.keys(await assetMap(sessionId)).map((url) => new URL(url).pathname);
    };
    await expect.poll(paths, { timeout: 20_000 }).toEqual(expect.arrayContaining(['/held.css', '/img/held.png', '/img/witness.png']));
    await page.close();
  });

  it('sends a snapshot’s stylesheet as its address when the batch maps it to the stored copy, and replays it from that copy', async () => {
    site.files.set('/lean.html', {
      type: 'text/html',
      body: `<!doctype html><link rel="stylesheet" href="/lean.css">${snippetTag(server.url, [])}<div class="lean-box">lean</div>`,
    });
    site.files.set('/lean.css', css(`.lean-box { width: 60px; color: rgb(${RED.join(', ')}); }`));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/lean.html`);
    const sessionId = await waitForRecorder(page);
    // The capture remembers what it stored, then records the map in the same task: once that is
    // remembered, the first batch (not due before 5 s) holds the map.
    await page.waitForFunction(
      () => Object.keys(localStorage).some((key) => key.startsWith('sr_assets:')),
      undefined,
      { timeout: 20_000 },
    );
    await page.evaluate(() => window.SessionReplay.flush());
    await context.close();
    const links: Record<string, unknown>[] = [];
    const walk = (node: { tagName?: string; attributes?: Record<string, unknown>; childNodes?: unknown[] }) => {
      if (node.tagName === 'link') links.push(node.attributes!);
      node.childNodes?.forEach((child) => walk(child as typeof node));
    };
    for (const event of await eventsOf(server, sessionId)) if (event.type === 2) walk((event.data as { node: typeof links[number] }).node);
    expect(links).toEqual([{ rel: 'stylesheet', href: `${site.url}/lean.css` }]);
    expect(Object.keys(await assetMap(sessionId))).toContain(`${site.url}/lean.css`);

    // Redeployed: the replay shows the stylesheet as recorded, from the server's copy.
    site.files.set('/lean.css', css(`.lean-box { width: 60px; color: rgb(${GREEN.join(', ')}); }`));
    const player = await openPlayer(browser, server, `/sessions/${sessionId}`);
    const frame = (await (await player.waitForSelector('#player iframe')).contentFrame())!;
    await frame.waitForSelector('.lean-box');
    await expect.poll(() => frame.evaluate(() => getComputedStyle(document.querySelector('.lean-box')!).color), { timeout: 15_000 }).toBe(`rgb(${RED.join(', ')})`);
    expect(await frame.evaluate(() => (document.querySelector('link') as HTMLLinkElement).href)).toMatch(new RegExp(`^${server.url}/api/assets/[0-9a-f]{64}$`));
    await player.close();
  });

  it('replays the recorded look after the site redeployed and went offline', async () => {
    const before = await replayShot(first.sessionId);
    // The replay's web font, images, stylesheets and nested frame all come from this server; the
    // cross-origin frame, which the page could not read, stays empty rather than loading its origin.
    expect(await before.frame.evaluate(() => [...document.fonts].some((font) => font.family.includes('TestIcons') && font.status === 'loaded'))).toBe(true);
    const urls = await before.frame.evaluate(() => [
      ...[...document.querySelectorAll('link[href]')].map((link) => (link as HTMLLinkElement).href),
      ...[...document.images].map((img) => img.currentSrc),
      ...performance.getEntriesByType('resource').map((entry) => entry.name),
      ...((document.querySelector('#frame') as HTMLIFrameElement).contentWindow?.performance.getEntriesByType('resource').map((entry) => entry.name) ?? []),
    ]);
    expect(await before.frame.evaluate(() => (document.querySelector('#widget') as HTMLIFrameElement).contentDocument?.body?.textContent ?? '')).toBe('');
    expect(urls.filter((url) => !url.startsWith(server.url))).toEqual([]);
    await before.page.close();

    deploy(2);
    const redeployed = await replayShot(first.sessionId);
    await redeployed.page.close();
    await Promise.all([site.close(), cdn.close(), third.close()]);
    const offline = await replayShot(first.sessionId);
    await offline.page.close();

    expect(await pixelDifference(browser, before.png, redeployed.png)).toBe(0);
    expect(await pixelDifference(browser, before.png, offline.png)).toBe(0);
    // Three replays, each waiting for its fonts, images and canvas frames: slower on a loaded machine.
  }, 150_000);

  it('replays the recorded look from an exported file opened from disk, with every network request refused', async () => {
    const fileUrl = await exportToDisk(server, first.sessionId);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const requests: string[] = [];
    await context.route('**', async (route) => {
      if (route.request().url() === fileUrl) return route.continue();
      requests.push(route.request().url());
      await route.abort();
    });
    try {
      const page = await context.newPage();
      await page.goto(fileUrl, { waitUntil: 'domcontentloaded' });
      const frame = await replayFrame(page);
      // The look is read with callbacks in the frame, which run only where its sandbox allows
      // scripts: as for a recording with canvas, whichever chunk its first canvas frame came in.
      expect(await page.locator('#player iframe').getAttribute('sandbox')).toContain('allow-scripts');
      const look = await frame.evaluate(async () => {
        const loads = (src: string) =>
          new Promise<boolean>((resolve) => Object.assign(new Image(), { onload: () => resolve(true), onerror: () => resolve(false), src }));
        const background = (selector: string) => /url\("?([^")]+)"?\)/.exec(getComputedStyle(document.querySelector(selector)!).backgroundImage)?.[1] ?? '';
        const heroUrl = background('.hero');
        // third.css, unreadable to the page, stays a <link>: its blob: copy names dots.png by the sibling's blob: URL.
        const third = getComputedStyle(document.querySelector('.third-box')!);
        const dotsUrl = background('.third-box');
        const photo = document.querySelector('#photo') as HTMLImageElement;
        return {
          titleColor: getComputedStyle(document.querySelector('.title')!).color,
          font: [...document.fonts].some((font) => font.family.includes('TestIcons') && font.status === 'loaded'),
          heroUrl: heroUrl.slice(0, 5),
          heroLoads: await loads(heroUrl),
          photo: [photo.currentSrc.slice(0, 5), photo.naturalWidth],
          third: [third.outlineColor, dotsUrl.slice(0, 5), await loads(dotsUrl)],
        };
      });
      expect(look).toEqual({ titleColor: `rgb(${RED.join(', ')})`, font: true, heroUrl: 'blob:', heroLoads: true, photo: ['blob:', 64], third: [`rgb(${GREEN.join(', ')})`, 'blob:', true] });
      expect(requests).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
