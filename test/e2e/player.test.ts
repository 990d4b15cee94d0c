import { EventType, IncrementalSource, MouseInteractions } from '@rrweb/types';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../server/storage/sqlite/sqliteDriver';
import type { SessionPage, SessionStats } from '../../shared/api';
import { ACTIVE_IDLE_MS, CONSOLE_PLUGIN, CUSTOM_EVENT } from '../../shared/constants';
import { uuidv7 } from '../../shared/uuid';
import type { WireEvent } from '../../shared/wire';
import { stripedPng } from '../helpers/assetOrigins';
import { clickEvent, makeBatch, metaEvent, postIngest } from '../helpers/batches';
import { openPlayer, screenshot, startSlowNetwork } from '../helpers/player';
import { chunksOf, deviceIdOf, sessionsOf, waitForRecorder } from '../helpers/recordedSession';
import { startServer, type TestServer } from '../helpers/server';
import type { Site } from '../helpers/sitePage';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let server: TestServer;
let site: Site;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  ({ server, site, browser } = stack);
});
afterAll(() => stack?.stop());

async function json<T>(path: string): Promise<T> {
  const res = await server.api(path);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** The session ids of the table's rows, top to bottom. */
function rowIds(page: Page): Promise<(string | null)[]> {
  return page.locator('tr[data-session-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-session-id')));
}

/** The histogram's bars as [label, count]. */
function bars(page: Page): Promise<[string, number][]> {
  return page
    .locator('[data-testid=bar]')
    .evaluateAll((rects) => rects.map((r): [string, number] => [r.getAttribute('data-label') ?? '', Number(r.getAttribute('data-count'))]));
}

/** Where the playhead is, in ms, as the controls report it. */
async function playheadMs(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid=clock]').getAttribute('data-ms'));
}

const replayRows = (frame: FrameLocator) => frame.locator('#rows li');

declare global {
  interface Window {
    /** Every playhead position the controls showed since watchPlayhead(). */
    playheads: number[];
  }
}

/** Records every position the playhead clock shows from now on, into window.playheads. */
function watchPlayhead(page: Page): Promise<void> {
  return page.evaluate(() => {
    window.playheads = [];
    const clock = document.querySelector('[data-testid=clock]') as HTMLElement;
    new MutationObserver(() => window.playheads.push(Number(clock.dataset.ms))).observe(clock, { attributeFilter: ['data-ms'] });
  });
}

/** Cumulative layout shift since the page loaded (Chromium's layout-shift entries, not caused by input). */
function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
            if (!entry.hadRecentInput) total += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(total), 100);
      }),
  );
}

/** Narrows the window to 1024 px; resolves to the page's width, which should then be 1024 too. */
async function narrowWindowWidth(page: Page): Promise<number> {
  await page.setViewportSize({ width: 1024, height: 768 });
  return page.evaluate(() => document.documentElement.scrollWidth);
}

const RED: [number, number, number] = [220, 40, 40];
const BLUE: [number, number, number] = [40, 80, 220];

/**
 * Posts a session of two chunks: a snapshot of a page with a 60×40 canvas (showing `png` if
 * given, blank otherwise) and a click on it, then a canvas frame filling it with `fill`; its id.
 */
async function postCanvasSession(png: Buffer | null, fill: [number, number, number]): Promise<string> {
  const t = Date.now() - 5_000;
  const canvas = { type: 2, tagName: 'canvas', id: 5, childNodes: [], attributes: { id: 'chart', width: '60', height: '40', ...(png && { rr_dataURL: `data:image/png;base64,${png.toString('base64')}` }) } };
  const snapshot: WireEvent = {
    type: EventType.FullSnapshot,
    timestamp: t + 10,
    data: {
      node: {
        type: 0,
        id: 1,
        childNodes: [
          { type: 2, tagName: 'html', id: 2, attributes: {}, childNodes: [{ type: 2, tagName: 'head', id: 3, attributes: {}, childNodes: [] }, { type: 2, tagName: 'body', id: 4, attributes: {}, childNodes: [canvas] }] },
        ],
      },
      initialOffset: { top: 0, left: 0 },
    },
  };
  const frame: WireEvent = {
    type: EventType.IncrementalSnapshot,
    timestamp: t + 300,
    data: { source: IncrementalSource.CanvasMutation, id: 5, type: 0, commands: [{ property: 'fillStyle', args: [`rgb(${fill.join(', ')})`], setter: true }, { property: 'fillRect', args: [0, 0, 60, 40] }] },
  };
  const first = makeBatch({ events: [metaEvent(t, `${site.url}/canvas.html`), snapshot, clickEvent(t + 100)], sentAt: Date.now() });
  for (const batch of [first, { ...first, seq: 1, events: [frame] }]) expect((await postIngest(server.url, batch)).status).toBe(200);
  return first.sessionId;
}

describe('the player on recorded sessions', () => {
  let shortId: string;
  let longId: string;
  /** Offsets (ms from the first event of the first tab, the replay's clock) of the user's clicks. */
  let clicks: number[];

  /** One quick click: a short session, stored as two chunks (the page, then the click). */
  async function recordShort(): Promise<string> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => window.SessionReplay.flush());
    await page.click('#add');
    await page.evaluate(() => window.SessionReplay.flush());
    await context.close();
    return sessionId;
  }

  /**
   * A checkout with console and network capture: two quick clicks, a log between them, a failed
   * payment (an error, a request, a page change, a tracked event and a third click), six idle
   * seconds, a fourth click, then a second tab with one click.
   */
  async function recordCheckout(): Promise<string> {
    const context = await browser.newContext();
    // The pauses are made by moving the page's clock, not waited out.
    await context.clock.install();
    const page = await context.newPage();
    await page.goto(`${site.url}/page.html?console=true&network=true`);
    const sessionId = await waitForRecorder(page);
    await page.clock.runFor(400);
    await page.click('#add');
    await page.evaluate(() => console.log('ready for checkout'));
    await page.clock.runFor(400);
    await page.click('#add');
    await page.clock.runFor(1_500);
    await page.evaluate(async () => {
      console.error('payment failed');
      await fetch('/page.html?from=player-test');
      history.pushState({}, '', '/page.html?step=payment');
      window.SessionReplay.track('checkout failed', { step: 2 });
    });
    await page.click('#add');
    await page.clock.runFor(6_000);
    await page.click('#add');
    const second = await context.newPage();
    await second.goto(`${site.url}/page.html?tab=2`);
    await waitForRecorder(second);
    await second.click('#add');
    await second.evaluate(() => window.SessionReplay.flush());
    await page.evaluate(() => window.SessionReplay.flush());
    await context.close();
    return sessionId;
  }

  beforeAll(async () => {
    longId = await recordCheckout();
    // The checkout's clock ran ahead of the server's (runFor), so the server's skew correction
    // dates it earlier still: recorded after it, the short session starts later.
    shortId = await recordShort();
    const chunks = await chunksOf(server, longId);
    const firstTab = chunks.filter((c) => c.windowId === chunks[0].windowId).flatMap((c) => c.events);
    const start = Math.min(...firstTab.map((e) => e.timestamp));
    clicks = firstTab
      .filter((e) => {
        const data = e.data as { source?: number; type?: number };
        return e.type === EventType.IncrementalSnapshot && data.source === IncrementalSource.MouseInteraction && data.type === MouseInteractions.Click;
      })
      .map((e) => e.timestamp - start)
      .sort((a, b) => a - b);
    expect(clicks).toHaveLength(4);
  });

  it('lists sessions longest first, matches the stats, sorts by a column and keeps a filter across a reload', async () => {
    const page = await openPlayer(browser, server, '/');
    await expect.poll(() => rowIds(page)).toEqual([longId, shortId]);
    const byLength = await json<SessionPage>('/api/sessions?sort=length&order=desc');
    expect(byLength.sessions.map((s) => s.id)).toEqual([longId, shortId]);
    expect(byLength.sessions[0].lengthMs).toBeGreaterThan(byLength.sessions[1].lengthMs);

    // Every session here is from today, so the page's default range (30 days) holds them all.
    const stats = await json<SessionStats>('/api/stats');
    await expect.poll(() => page.locator('[data-testid=stat-count]').textContent()).toBe(String(stats.count));
    await expect.poll(() => bars(page)).toEqual(stats.distribution.map((b) => [b.label, b.count]));
    expect(stats.distribution.reduce((n, b) => n + b.count, 0)).toBe(2);
    // "Good" by Web Vitals' measure: figures, charts and rows fill space kept for them.
    expect(await layoutShift(page)).toBeLessThan(0.1);
    await screenshot(page, 'sessions.png');

    await page.click('[data-buckets=pow2]');
    const pow2 = await json<SessionStats>('/api/stats?buckets=pow2');
    await expect.poll(() => bars(page)).toEqual(pow2.distribution.map((b) => [b.label, b.count]));
    expect(page.url()).toContain('buckets=pow2');

    await page.click('button[data-sort=startedAt]');
    await expect.poll(() => page.locator('th[data-col=startedAt]').getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => rowIds(page)).toEqual([shortId, longId]);
    await page.click('button[data-sort=startedAt]');
    await expect.poll(() => rowIds(page)).toEqual([longId, shortId]);
    expect((await json<SessionPage>('/api/sessions?sort=startedAt&order=asc')).sessions.map((s) => s.id)).toEqual([longId, shortId]);

    // Between the two lengths: only the checkout is long enough.
    const threshold = String(Math.round((byLength.sessions[0].lengthMs + byLength.sessions[1].lengthMs) / 200) / 10);
    await page.fill('[data-testid=filter-min-length]', threshold);
    await page.press('[data-testid=filter-min-length]', 'Enter');
    await expect.poll(() => rowIds(page)).toEqual([longId]);
    await expect.poll(() => page.locator('[data-testid=stat-count]').textContent()).toBe('1');
    expect(page.url()).toContain(`minLength=${threshold}`);

    await page.reload();
    await expect.poll(() => rowIds(page)).toEqual([longId]);
    expect(await page.locator('[data-testid=filter-min-length]').inputValue()).toBe(threshold);
    await expect.poll(() => page.locator('[data-testid=stat-count]').textContent()).toBe('1');
    expect(await page.locator('th[data-col=startedAt]').getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => narrowWindowWidth(page)).toBe(1024);

    // Signed out while the page is open: the next request is refused and the page says to sign in.
    await page.context().clearCookies();
    await page.click('button[data-sort=length]');
    await expect.poll(() => page.locator('[data-testid=sign-in]').textContent()).toContain('/login?token=');
    await page.close();
  });

  it('replays the recording in a sandboxed frame, with its markers, details and tabs', async () => {
    const page = await openPlayer(browser, server, `/sessions/${longId}`);
    const frame = page.frameLocator('#player iframe');
    await expect.poll(() => frame.locator('#title').textContent(), { timeout: 15_000 }).toBe('Checkout of the customer site');
    await expect.poll(() => replayRows(frame).count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#player iframe').getAttribute('sandbox')).not.toContain('allow-scripts');

    const timeline = page.locator('[data-testid=timeline]');
    await expect.poll(() => timeline.locator('[data-kind=error]').count()).toBe(1);
    await expect.poll(() => timeline.locator('[data-kind=page]').count()).toBe(1);
    await expect.poll(() => timeline.locator('[data-kind=custom]').count()).toBe(1);
    await expect.poll(() => timeline.locator('[data-testid=inactive]').count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid=skip-inactive]').isChecked()).toBe(true);

    const session = (await sessionsOf(server, (await json<{ deviceId: string }>(`/api/sessions/${longId}`)).deviceId))[0];
    const lengthText = await page.locator('[data-testid=length]').textContent();
    expect(lengthText).toMatch(/^\d+(\.\d)? s$/);
    expect(Number(lengthText?.replace(/[^\d.]/g, ''))).toBeCloseTo(Math.floor(session.lengthMs / 100) / 10, 1);
    expect(await page.locator('[data-testid=started-at]').getAttribute('title')).toBe(session.startedAt);
    await expect.poll(() => page.locator('[data-testid=pages] li').count()).toBe(2);
    await expect.poll(() => replayRows(frame).count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(await layoutShift(page)).toBeLessThan(0.1);
    await screenshot(page, 'replay.png');

    const tabs = page.locator('[data-testid=window-tab]');
    await expect.poll(() => tabs.count()).toBe(2);
    expect(await tabs.nth(1).getAttribute('title')).toContain('tab=2');
    await tabs.nth(1).click();
    // The second tab added one row of its own; the first tab's replay had three by now.
    await expect.poll(() => replayRows(frame).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => tabs.nth(1).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => narrowWindowWidth(page)).toBe(1024);
    await page.close();
  });

  it('lands paused on the ?t= moment and shows console and network entries as the playhead passes them', async () => {
    const atMs = clicks[1] + 700;
    const page = await openPlayer(browser, server, `/sessions/${longId}?t=${atMs / 1_000}`, { fakeClock: true });
    const frame = page.frameLocator('#player iframe');
    await expect.poll(() => playheadMs(page), { timeout: 15_000 }).toBe(atMs);
    await expect.poll(() => replayRows(frame).count()).toBe(2);
    expect(await page.locator('[data-testid=play]').getAttribute('data-state')).toBe('paused');

    await page.click('[data-tab=console]');
    const consoleEntries = page.locator('[data-testid=console-entries] li');
    await expect.poll(() => consoleEntries.allTextContents()).toEqual([expect.stringContaining('ready for checkout')]);
    const request = page.locator('[data-testid=network-entries] li', { hasText: 'from=player-test' });
    expect(await request.count()).toBe(0);

    // From here the replay moves only as far as the test moves the page's clock.
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 50));
    await watchPlayhead(page);
    await page.keyboard.press('Space');
    await page.clock.runFor(clicks[2] - atMs + 300);
    await expect.poll(() => replayRows(frame).count()).toBe(3);
    await expect.poll(() => consoleEntries.count()).toBe(2);
    expect(await consoleEntries.last().textContent()).toContain('payment failed');

    // Six idle seconds lie between clicks 3 and 4. Played at 1×, two seconds reach click 4 only if
    // the playhead jumped the stretch: it never shows a moment inside it.
    await page.clock.runFor(2_000);
    await expect.poll(() => replayRows(frame).count()).toBe(4);
    const shown = await page.evaluate(() => window.playheads);
    expect(shown.filter((ms) => ms > clicks[2] + 1_000 && ms < clicks[3] - 1_000)).toEqual([]);
    expect(Math.max(...shown)).toBeGreaterThanOrEqual(clicks[3]);

    // The network plugin looks for the request's timing entry by performance.now(), which the
    // recording's fake clock moved: it found none, and reported the request (without a status)
    // after its retries, inside the idle stretch. It shows once the playhead is past it.
    await page.click('[data-tab=network]');
    await expect.poll(() => request.count()).toBe(1);
    expect(await request.textContent()).toMatch(/GET/);
    await page.close();
  });

  it('plays at the chosen speed', async () => {
    const fromMs = clicks[0];
    const page = await openPlayer(browser, server, `/sessions/${longId}?t=${fromMs / 1_000}`, { fakeClock: true });
    await expect.poll(() => playheadMs(page), { timeout: 15_000 }).toBe(fromMs);
    // Skipping would add jumps of its own to the distance played.
    await page.locator('[data-testid=skip-inactive]').uncheck();
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 50));
    let position = fromMs;
    for (const speed of [4, 1, 2]) {
      await page.click(`[data-speed="${speed}"]`);
      expect(await page.locator(`[data-speed="${speed}"]`).getAttribute('aria-pressed')).toBe('true');
      await page.keyboard.press('Space');
      await page.clock.runFor(1_000);
      await page.keyboard.press('Space');
      await expect.poll(() => page.locator('[data-testid=play]').getAttribute('data-state')).toBe('paused');
      const played = (await playheadMs(page)) - position;
      // One animation frame (16 ms of page time) either side.
      expect(played, `${speed}×`).toBeGreaterThanOrEqual(speed * (1_000 - 17));
      expect(played, `${speed}×`).toBeLessThanOrEqual(speed * (1_000 + 17));
      position += played;
    }
    await page.close();
  });

  it('moves with the keyboard and copies a link that reopens the replay at that moment', async () => {
    const page = await openPlayer(browser, server, `/sessions/${longId}?t=${(clicks[0] + 200) / 1_000}`, {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const frame = page.frameLocator('#player iframe');
    await expect.poll(() => replayRows(frame).count(), { timeout: 15_000 }).toBe(1);

    // Shift+→ jumps to the next burst of activity: the fourth click (or the pointer moving to it).
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => playheadMs(page)).toBeGreaterThan(clicks[2] + ACTIVE_IDLE_MS);
    const jumped = await playheadMs(page);
    expect(jumped).toBeLessThanOrEqual(clicks[3]);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => playheadMs(page)).toBe(jumped - 5_000);
    await expect.poll(() => replayRows(frame).count()).toBe(3);

    await page.click('[data-testid=copy-link]');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    const seconds = Math.floor((jumped - 5_000) / 100) / 10;
    expect(link).toBe(`${server.url}/sessions/${longId}?t=${seconds}`);
    await page.goto(link);
    await expect.poll(() => playheadMs(page), { timeout: 15_000 }).toBe(seconds * 1_000);
    await expect.poll(() => replayRows(frame).count()).toBe(clicks.filter((c) => c <= seconds * 1_000).length);
    await page.close();
  });

  it('starts the replay from the first chunk while the rest of the recording is still on its way', async () => {
    const chunks = await chunksOf(server, shortId);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(chunks[0].events)).not.toContain('Row added');
    const slow = await startSlowNetwork(server);
    try {
      const page = await openPlayer(browser, server, `/sessions/${shortId}`, { origin: slow.url });
      const frame = page.frameLocator('#player iframe');
      await expect.poll(() => frame.locator('#title').textContent(), { timeout: 15_000 }).toBe('Checkout of the customer site');
      // Played to the end of what arrived, the replay waits for the rest, which holds the click.
      await expect.poll(() => page.locator('.control-note').textContent()).toContain('Loading more');
      expect(await replayRows(frame).count()).toBe(0);
      slow.release();
      await expect.poll(() => replayRows(frame).count(), { timeout: 10_000 }).toBe(1);
      await page.close();
    } finally {
      await slow.close();
    }
  });

  it('draws canvas frames that come in a later chunk than the snapshot the replay started from', async () => {
    // A canvas blank in the snapshot, and one the snapshot shows red (recorded with canvas on):
    // each then painted by a canvas frame of the second chunk, which the network holds back.
    const blank = await postCanvasSession(null, BLUE);
    const shown = await postCanvasSession(stripedPng(60, 40, [RED]), BLUE);
    for (const sessionId of [blank, shown]) {
      const slow = await startSlowNetwork(server);
      try {
        const page = await openPlayer(browser, server, `/sessions/${sessionId}`, { origin: slow.url });
        await expect.poll(() => page.locator('.control-note').textContent(), { timeout: 15_000 }).toContain('Loading more');
        const replayFrame = await page.waitForSelector('#player iframe');
        slow.release();
        const pixel = () => page.frameLocator('#player iframe').locator('#chart').evaluate((c: HTMLCanvasElement) => [...c.getContext('2d')!.getImageData(30, 20, 1, 1).data.slice(0, 3)]);
        await expect.poll(pixel, { timeout: 10_000 }).toEqual(BLUE);
        // A snapshot showing canvas content builds the frame for canvas at once: it is not rebuilt.
        if (sessionId === shown) expect(await replayFrame.evaluate((iframe) => iframe.isConnected)).toBe(true);
        await page.close();
      } finally {
        await slow.close();
      }
    }
  });

  it('skips a stored chunk that cannot be read, with a notice, and replays the rest', async () => {
    const sessionId = await recordShort();
    const chunks = await chunksOf(server, sessionId);
    const last = chunks[chunks.length - 1];
    const db = new Database(path.join(server.dataDir, DATABASE_FILE));
    db.prepare('UPDATE chunks SET data = ? WHERE session_id = ? AND window_id = ? AND seq = ?').run(
      Buffer.from('not gzip at all'),
      sessionId,
      last.windowId,
      last.seq,
    );
    db.close();
    const page = await openPlayer(browser, server, `/sessions/${sessionId}`);
    const frame = page.frameLocator('#player iframe');
    await expect.poll(() => frame.locator('#title').textContent(), { timeout: 15_000 }).toBe('Checkout of the customer site');
    await expect.poll(() => page.locator('[data-testid=unreadable-chunks]').textContent()).toContain('1 stored part');
    expect(await page.locator('[role=alert]').count()).toBe(0);
    await page.close();
  });

  it('shows a clear message for an unknown session', async () => {
    const page = await openPlayer(browser, server, '/sessions/0193a4c2-0000-7000-8000-000000000000');
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('no session');
    await page.close();
  });
});

describe('the demo page', () => {
  it('records itself into the server it is served by', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/demo`);
    await waitForRecorder(page);
    await page.locator('#item').pressSequentially('Apples');
    await page.click('#add-item button');
    await page.evaluate(() => window.SessionReplay.flush());
    const sessions = await sessionsOf(server, await deviceIdOf(page));
    expect(sessions).toHaveLength(1);
    expect(sessions[0].entryUrl).toBe(`${server.url}/demo`);
    await context.close();
  });
});

describe('the sessions page over many sessions', () => {
  let many: TestServer;
  const DAY_MS = 86_400_000;
  /** One length per default bucket, so every bar of the histogram has sessions. */
  const LENGTHS_MS = [0, 2_000, 7_000, 20_000, 45_000, 120_000, 300_000, 900_000, 2_400_000, 4_000_000];
  const SESSIONS = 64;

  beforeAll(async () => {
    many = await startServer();
  });
  afterAll(() => many?.stop());

  /** Posts `SESSIONS` sessions over the last two weeks, as the snippet would have sent them. */
  async function ingestSessions(): Promise<void> {
    const now = Date.now();
    for (let i = 0; i < SESSIONS; i++) {
      const length = LENGTHS_MS[(i * 7) % LENGTHS_MS.length];
      const start = now - (i % 14) * DAY_MS - (i % 5) * 3_600_000 - 60_000 - length;
      const events: WireEvent[] = [metaEvent(start, `https://shop.test/${['', 'pricing', 'docs/start', 'cart'][i % 4]}`)];
      if (i % 3 === 0) events.push({ type: EventType.Custom, timestamp: start + 1, data: { tag: CUSTOM_EVENT.identify, payload: { userId: `user-${i}@shop.test` } } });
      if (i % 6 === 0) events.push({ type: EventType.Plugin, timestamp: start + 2, data: { plugin: CONSOLE_PLUGIN, payload: { level: 'error', payload: ['"boom"'], trace: [] } } });
      events.push(clickEvent(start + length));
      // Device ids as the snippet makes them: UUIDv7s, all created within the same minute here.
      const deviceId = uuidv7(now + i, randomBytes(16));
      const res = await postIngest(many.url, makeBatch({ events, deviceId, sentAt: Date.now() }));
      expect(res.status).toBe(200);
    }
  }

  it('shows how to add the snippet while empty, then charts, figures and pages of sessions', async () => {
    const page = await openPlayer(browser, many, '/');
    await expect.poll(() => page.locator('[data-testid=snippet]').textContent()).toBe(
      `<script defer src="${many.url}/recorder.js" data-project="demo"></script>`,
    );
    expect(await page.locator('[data-testid=empty] a[href="/demo"]').count()).toBe(1);
    await screenshot(page, 'sessions-empty.png');

    await ingestSessions();
    await page.reload();
    const rows = page.locator('tr[data-session-id]');
    await expect.poll(() => rows.count()).toBe(50);
    await expect.poll(() => page.locator('[data-testid=stat-count]').textContent()).toBe(String(SESSIONS));
    const devices = await page.locator('td[title^="device "]').allTextContents();
    expect(devices.length).toBeGreaterThan(1);
    expect(new Set(devices).size).toBe(devices.length);
    const tz = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    const stats = (await (await many.api(`/api/stats?from=${Date.now() - 30 * DAY_MS}&tz=${encodeURIComponent(tz)}`)).json()) as SessionStats;
    await expect.poll(() => bars(page)).toEqual(stats.distribution.map((b) => [b.label, b.count]));
    const days = await page
      .locator('[data-testid=day]')
      .evaluateAll((rects) => rects.map((r): [string, number] => [r.getAttribute('data-day') ?? '', Number(r.getAttribute('data-sessions'))]));
    expect(days.slice(-14)).toEqual(stats.perDay.slice(-14).map((d) => [d.day, d.sessions]));
    expect(days.reduce((n, [, count]) => n + count, 0)).toBe(SESSIONS);
    await screenshot(page, 'sessions-many.png');

    const firstPage = await rowIds(page);
    await page.click('[data-testid=next-page]');
    await expect.poll(() => rows.count()).toBe(SESSIONS - 50);
    expect(await page.locator('[data-testid=page-range]').textContent()).toBe(`51–${SESSIONS} of ${SESSIONS}`);
    const secondPage = await rowIds(page);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    await page.click('[data-testid=previous-page]');
    await expect.poll(() => rowIds(page)).toEqual(firstPage);
    await page.close();
  });
});
