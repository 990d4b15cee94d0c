/**
 * The recorder's transport against real failures, in real Chromium with the real snippet: a
 * tab closed in the middle of a batch, the server down across a reload, a 429 with
 * Retry-After, and the recorder's own errors kept out of the host page.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT } from '../../shared/constants';
import { batchOfBody, gzipOfBody } from '../helpers/batches';
import { keepPageFetches, pageFetches } from '../helpers/pageFetches';
import { chunksOf, eventsOf, waitForRecorder } from '../helpers/recordedSession';
import { startServer, type TestServer } from '../helpers/server';
import { startSite, type Site } from '../helpers/sitePage';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  // The site serves the snippet itself, so a reload keeps its recorder while the server is down.
  stack = await startStack({ site: { hostSnippet: true } });
});
afterAll(() => stack?.stop());
beforeEach(async () => {
  context = await stack.browser.newContext();
  page = await context.newPage();
});
afterEach(() => context.close());

/** Names passed to track(), in stored order. */
function trackedNames(events: { type: number; data?: unknown }[]): string[] {
  return events
    .map((e) => e.data as { tag?: string; payload?: { name?: string } } | undefined)
    .filter((d) => d?.tag === CUSTOM_EVENT.track)
    .map((d) => d?.payload?.name ?? '');
}

const track = (p: Page, name: string) => p.evaluate((n) => window.SessionReplay.track(n), name);

/** Stops the replay server; the function returned starts it again on the same port and data. */
async function stopServer(): Promise<() => Promise<void>> {
  const { dataDir } = stack.server;
  const port = Number(new URL(stack.server.url).port);
  await stack.server.stop();
  return async () => {
    stack.server = await startServer({ dataDir }, port);
  };
}

describe('a tab closed in the middle of a batch', () => {
  it('delivers every event up to the close, once, even with a batch request cut by the close', async () => {
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => window.SessionReplay.flush());
    await page.click('#add');
    // A regular request is under way when the tab goes: the page's close cancels it.
    await page.evaluate(() => void window.SessionReplay.flush());
    await page.click('#add');
    await track(page, 'last-before-close');
    await page.close({ runBeforeUnload: true });

    await expect.poll(async () => trackedNames(await eventsOf(stack.server, sessionId)), { timeout: 5_000 }).toContain('last-before-close');
    const events = await eventsOf(stack.server, sessionId);
    expect(JSON.stringify(events)).toContain('Row added at click 2');
    expect(new Set(events.map((e) => JSON.stringify(e))).size).toBe(events.length);
  });

  it('keeps what does not fit in the 64 KB keepalive budget and sends it from the next page', async () => {
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => window.SessionReplay.flush());
    // 200 KB that does not compress: this batch cannot leave with keepalive.
    const noise = randomBytes(150_000).toString('base64');
    await page.evaluate((text) => {
      const p = document.createElement('p');
      p.textContent = text;
      document.body.append(p);
    }, noise);
    await track(page, 'heavy-batch-marker');
    await page.close({ runBeforeUnload: true });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(trackedNames(await eventsOf(stack.server, sessionId))).not.toContain('heavy-batch-marker');

    // The closed tab's window lock may outlive it for a moment on a loaded machine, and a page
    // adopts orphans when it starts: each later page of the site is one more chance.
    await expect
      .poll(
        async () => {
          const next = await context.newPage();
          await next.goto(`${stack.site.url}/page.html`);
          await waitForRecorder(next);
          await next.evaluate(() => window.SessionReplay.flush());
          await next.close();
          return trackedNames(await eventsOf(stack.server, sessionId));
        },
        { timeout: 30_000 },
      )
      .toEqual(['heavy-batch-marker']);
    const events = await eventsOf(stack.server, sessionId);
    expect(JSON.stringify(events)).toContain(noise.slice(0, 1_000));
  });
});

describe('the server down while the page is used and reloaded', () => {
  it('delivers every event once and in order when the server is back', async () => {
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => window.SessionReplay.flush());
    const restart = await stopServer();

    await track(page, 'before-reload-1');
    await page.click('#add');
    await track(page, 'before-reload-2');
    await page.reload();
    expect(await waitForRecorder(page)).toBe(sessionId);
    await track(page, 'after-reload-1');
    await page.click('#add');
    await track(page, 'after-reload-2');
    await page.waitForTimeout(1_000);

    await restart();
    await page.evaluate(() => window.SessionReplay.flush());
    const chunks = await chunksOf(stack.server, sessionId);
    const events = chunks.flatMap((c) => c.events);
    expect(trackedNames(events)).toEqual(['before-reload-1', 'before-reload-2', 'after-reload-1', 'after-reload-2']);
    expect(new Set(chunks.map((c) => c.windowId)).size).toBe(1);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(new Set(events.map((e) => JSON.stringify(e))).size).toBe(events.length);
    const times = events.map((e) => e.timestamp);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('429 with Retry-After: 2', () => {
  let limited: TestServer;
  let site: Site;
  beforeAll(async () => {
    limited = await startServer({ rateLimit: { perSecond: 0.5, burst: 1 } });
    site = await startSite(limited.url);
  });
  afterAll(async () => {
    await site.close();
    await limited.stop();
  });

  it('waits as told, then succeeds', async () => {
    const ingest: { at: number; kind: 'request' | 'response'; status?: number; retryAfter?: string }[] = [];
    page.on('request', (r) => r.url().includes('/api/ingest') && r.method() === 'POST' && ingest.push({ at: Date.now(), kind: 'request' }));
    page.on('response', (r) => {
      if (r.url().includes('/api/ingest') && r.request().method() === 'POST') {
        ingest.push({ at: Date.now(), kind: 'response', status: r.status(), retryAfter: r.headers()['retry-after'] });
      }
    });
    await page.goto(`${site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => window.SessionReplay.flush());
    await page.click('#add');
    await page.evaluate(() => window.SessionReplay.flush());

    // The worker's requests reach Playwright from the worker's own target, in no order with the page's evaluate.
    await expect.poll(() => ingest.filter((e) => e.kind === 'response').length).toBeGreaterThanOrEqual(3);
    const responses = ingest.filter((e) => e.kind === 'response');
    expect(responses.map((r) => r.status)).toEqual([200, 429, 200]);
    expect(responses[1].retryAfter).toBe('2');
    const refusedAt = responses[1].at;
    const retry = ingest.find((e) => e.kind === 'request' && e.at > refusedAt);
    expect(retry!.at - refusedAt).toBeGreaterThanOrEqual(1_900);
    expect(retry!.at - refusedAt).toBeLessThan(3_500);
    expect(JSON.stringify(await eventsOf(limited, sessionId))).toContain('Row added at click 1');
  });
});

describe('answers a retry cannot change', () => {
  it('drops the batch without retrying, says so once in the console, and reports the drop count later', async () => {
    const warnings: string[] = [];
    page.on('console', (message) => message.text().includes('refused') && warnings.push(message.text()));
    const sent: { status: number; droppedBatches?: number; seq: number; tracked: string[] }[] = [];
    page.on('response', (r) => {
      if (!r.url().includes('/api/ingest') || r.request().method() !== 'POST') return;
      const batch = batchOfBody(r.request().postDataBuffer() as Buffer);
      sent.push({ status: r.status(), droppedBatches: batch.droppedBatches, seq: batch.seq, tracked: trackedNames(batch.events) });
    });
    await page.goto(`${stack.site.url}/page.html`);
    await waitForRecorder(page);
    await page.evaluate(async (endpoint) => {
      window.SessionReplay.stop();
      window.SessionReplay.init({ project: 'not-configured', endpoint });
      for (let i = 0; i < 3; i++) {
        document.getElementById('add')?.click();
        await window.SessionReplay.flush();
      }
    }, stack.server.url);
    // stop() sends what was left, this event included: its refusal must land before the next recorder reports.
    await page.evaluate(() => {
      window.SessionReplay.track('left-for-stop');
      window.SessionReplay.stop();
    });
    await expect.poll(() => sent.some((r) => r.status === 403 && r.tracked.includes('left-for-stop'))).toBe(true);
    await page.evaluate(async (endpoint) => {
      window.SessionReplay.init({ project: 'demo', endpoint });
      await window.SessionReplay.flush();
    }, stack.server.url);
    const refused = sent.filter((r) => r.status === 403);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    // Each refused batch was sent once: no retry of an answer that will not change.
    expect(new Set(refused.map((r) => r.seq)).size).toBe(refused.length);
    expect(warnings).toHaveLength(1);
    // Accepted batches carry the count, each drop once. It may come in two parts: the stopped
    // recorder's last batch can still be on its way (its worker's request) when the first drop
    // is counted, and takes that one along; and a refusal Playwright already reported may not
    // be counted yet by the page when the next recorder sends its first batch.
    const reportedDrops = () => sent.reduce((sum, r) => sum + (r.status === 200 ? (r.droppedBatches ?? 0) : 0), 0);
    await expect.poll(reportedDrops).toBe(refused.length);
    await page.evaluate(() => window.SessionReplay.flush());
    expect(reportedDrops()).toBe(refused.length);
  });
});

/** How many times the page's own fetch was called for the ingest route (keepPageFetches). */
const pageIngestFetches = async (tab: Page) => (await pageFetches(tab)).filter((url) => url.includes('/api/ingest')).length;

describe('compression', () => {
  it('runs in a Web Worker started with the first batch, which sends the batches too, and on the main thread when the page forbids workers', async () => {
    await page.addInitScript(keepPageFetches);
    await page.addInitScript(() => {
      const NativeWorker = window.Worker;
      const counts = window as unknown as { workersStarted: number; workersAtReady: number };
      counts.workersStarted = 0;
      window.Worker = class extends NativeWorker {
        constructor(...args: ConstructorParameters<typeof Worker>) {
          super(...args);
          counts.workersStarted++;
        }
      };
      // Deferred scripts, recorder.js among them, have run by then.
      document.addEventListener('DOMContentLoaded', () => (counts.workersAtReady = counts.workersStarted));
    });
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    // Not in the task that started the recorder and rrweb's first snapshot.
    expect(await page.evaluate(() => (window as unknown as { workersAtReady: number }).workersAtReady)).toBe(0);
    await track(page, 'compressed-in-a-worker');
    await page.evaluate(() => window.SessionReplay.flush());
    // One long-lived worker, which answered first that workers may run at all, compresses every batch.
    expect(await page.evaluate(() => (window as unknown as { workersStarted: number }).workersStarted)).toBe(1);
    expect(trackedNames(await eventsOf(stack.server, sessionId))).toContain('compressed-in-a-worker');
    // Stored, yet never through the page's fetch: the worker sent it (starting a request costs the page's thread 1–2 ms).
    expect(await pageIngestFetches(page)).toBe(0);

    const strict = await context.newPage();
    await strict.addInitScript(keepPageFetches);
    // Chromium reports each worker that starts (the browser's own view, not the page's Worker calls).
    const strictWorkers: string[] = [];
    strict.on('worker', (worker) => strictWorkers.push(worker.url()));
    const bodies: Buffer[] = [];
    strict.on('request', (r) => r.url().includes('/api/ingest') && r.method() === 'POST' && bodies.push(r.postDataBuffer() as Buffer));
    await strict.goto(`${stack.site.url}/no-workers.html`);
    const strictSession = await waitForRecorder(strict);
    await track(strict, 'compressed-on-the-main-thread');
    await strict.evaluate(() => window.SessionReplay.flush());
    expect(trackedNames(await eventsOf(stack.server, strictSession))).toContain('compressed-on-the-main-thread');
    // Every batch went out gzipped, and no worker ever ran: the page's own thread compressed them.
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.map((b) => gzipOfBody(b).subarray(0, 2).toString('hex'))).toEqual(bodies.map(() => '1f8b'));
    expect(strictWorkers).toEqual([]);
    expect(await pageIngestFetches(strict)).toBe(bodies.length);
  });
});

describe('a browser without CompressionStream', () => {
  it('loads fflate as a chunk of its own and delivers gzip as usual', async () => {
    await page.addInitScript(() => {
      delete (window as { CompressionStream?: unknown }).CompressionStream;
    });
    const chunks: string[] = [];
    page.on('request', (request) => request.url().includes('/chunks/') && chunks.push(new URL(request.url()).pathname));
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await track(page, 'compressed-by-fflate');
    await page.evaluate(() => window.SessionReplay.flush());
    expect(chunks).toEqual([expect.stringMatching(/^\/chunks\/fflate-[\w-]{8}\.js$/)]);
    expect(trackedNames(await eventsOf(stack.server, sessionId))).toContain('compressed-by-fflate');
  });
});

describe('the recorder’s own errors', () => {
  it('never reach the host page: counted, recorded as an event, and recording goes on', async () => {
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    // A BigInt cannot be serialised: the recorder fails on this event, inside the page's call.
    const threw = await page.evaluate(() => {
      try {
        window.SessionReplay.track('unserialisable', { n: BigInt(1) });
        return false;
      } catch {
        return true;
      }
    });
    expect(threw).toBe(false);
    await page.click('#add');
    await page.evaluate(() => window.SessionReplay.flush());

    const events = await eventsOf(stack.server, sessionId);
    const reports = events
      .map((e) => e.data as { tag?: string; payload?: { count: number; message: string } })
      .filter((d) => d?.tag === CUSTOM_EVENT.recorderError);
    expect(reports).toHaveLength(1);
    expect(reports[0].payload).toMatchObject({ count: 1, message: expect.stringContaining('BigInt') });
    expect(JSON.stringify(events)).toContain('Row added at click 1');
    expect(pageErrors).toEqual([]);
  });
});

describe('sendBeacon, in a browser whose fetch has no keepalive', () => {
  it('carries what waits when the tab is closed', async () => {
    await page.addInitScript(() => {
      delete (Request.prototype as { keepalive?: boolean }).keepalive;
      // Counted where the next page of this origin can read it: this one will be gone.
      const sendBeacon = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (url, data) => {
        localStorage.setItem('test:beacons', String(Number(localStorage.getItem('test:beacons')) + 1));
        return sendBeacon(url, data);
      };
    });
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => window.SessionReplay.flush());
    expect(await page.evaluate(() => localStorage.getItem('test:beacons'))).toBeNull();
    await page.click('#add');
    await track(page, 'sent-by-beacon');
    await page.close({ runBeforeUnload: true });
    await expect.poll(async () => trackedNames(await eventsOf(stack.server, sessionId)), { timeout: 5_000 }).toContain('sent-by-beacon');
    const next = await context.newPage();
    await next.goto(`${stack.site.url}/no-such-page.html`);
    expect(Number(await next.evaluate(() => localStorage.getItem('test:beacons')))).toBeGreaterThanOrEqual(1);
  });
});

describe('IndexedDB unavailable', () => {
  it('keeps unsent batches in localStorage: a tab that crashes while the server is down loses nothing sent', async () => {
    await page.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', {
        get() {
          throw new DOMException('IndexedDB is disabled', 'SecurityError');
        },
      });
    });
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => window.SessionReplay.flush());
    const restart = await stopServer();

    await page.click('#add');
    await track(page, 'kept-in-local-storage');
    // The batch is queued (and kept) before its first attempt, which fails: the server is down.
    const failed = page.waitForEvent('requestfailed', (r) => r.url().includes('/api/ingest'));
    await page.evaluate(() => void window.SessionReplay.flush());
    await failed;
    // A renderer crash: no pagehide, nothing more is stored or sent by this tab.
    const cdp = await context.newCDPSession(page);
    const crashed = page.waitForEvent('crash');
    // The crashed renderer never answers the command.
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;

    await restart();
    const next = await context.newPage();
    await next.goto(`${stack.site.url}/page.html`);
    await waitForRecorder(next);
    await next.evaluate(() => window.SessionReplay.flush());
    const events = await eventsOf(stack.server, sessionId);
    expect(trackedNames(events)).toEqual(['kept-in-local-storage']);
    expect(JSON.stringify(events)).toContain('Row added at click 1');
  });
});

describe('the queue bound while the server is down', () => {
  it('keeps the newest 100 batches, drops the oldest and reports how many', async () => {
    const reported: number[] = [];
    // Requests answered only: an attempt made while the server is down carries the count too.
    page.on('requestfinished', (r) => {
      if (!r.url().includes('/api/ingest') || r.method() !== 'POST') return;
      const batch = batchOfBody(r.postDataBuffer() as Buffer);
      if (batch.droppedBatches !== undefined) reported.push(batch.droppedBatches);
    });
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => window.SessionReplay.flush());
    const restart = await stopServer();

    // 105 batches, one per flush, each with one tracked event naming it.
    await page.evaluate(async () => {
      for (let i = 1; i <= 105; i++) {
        window.SessionReplay.track(`batch-${i}`);
        void window.SessionReplay.flush();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    });
    await restart();
    await page.evaluate(() => window.SessionReplay.flush());
    const names = trackedNames(await eventsOf(stack.server, sessionId));
    expect(names).toEqual(Array.from({ length: 100 }, (_, i) => `batch-${i + 6}`));
    await expect.poll(() => reported.length).toBeGreaterThan(0);
    expect(reported).toEqual([5]);
  });
});
