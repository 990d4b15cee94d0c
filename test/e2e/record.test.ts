import { EventType, IncrementalSource } from '@rrweb/types';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_PLUGIN, CUSTOM_EVENT, NETWORK_PLUGIN } from '../../shared/constants';
import { chunksOf, clickIntoNewSession, deviceIdOf, eventsOf, flushUntilStored, sessionsOf, waitForRecorder } from '../helpers/recordedSession';
import { startServer, type TestServer } from '../helpers/server';
import type { Site } from '../helpers/sitePage';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let server: TestServer;
let site: Site;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  ({ server, site } = stack);
});
afterAll(() => stack?.stop());
beforeEach(async () => {
  context = await stack.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});
afterEach(() => context.close());

/** Marks when the snippet starts (it assigns window.SessionReplay right before recording). */
async function markPageView(): Promise<void> {
  await page.addInitScript(() => {
    let api: unknown;
    Object.defineProperty(window, 'SessionReplay', {
      configurable: true,
      get: () => api,
      set: (value) => {
        api = value;
        window.pageViewAt = Date.now();
      },
    });
  });
}

/** Marks the time of the last user interaction, in the page's clock. */
async function trackLastInteraction(): Promise<void> {
  await page.evaluate(() => {
    const mark = () => ((window as unknown as { lastInteractionAt: number }).lastInteractionAt = Date.now());
    for (const type of ['click', 'keydown', 'scroll']) addEventListener(type, mark, { capture: true });
  });
}

/** A node of rrweb's serialized DOM, as far as these tests read it. */
interface SnapshotNode {
  tagName?: string;
  attributes?: Record<string, unknown>;
  textContent?: string;
  childNodes?: SnapshotNode[];
}

/** The first node of a serialized tree that `match` accepts, depth first. */
function findNode(node: SnapshotNode, match: (n: SnapshotNode) => boolean): SnapshotNode | undefined {
  if (match(node)) return node;
  for (const child of node.childNodes ?? []) {
    const found = findNode(child, match);
    if (found) return found;
  }
  return undefined;
}

describe('the snippet on a customer page', () => {
  it('records clicks, typing and scrolling into one session whose length spans them', async () => {
    await markPageView();
    await page.goto(`${site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await trackLastInteraction();
    await page.waitForTimeout(400);
    await page.click('#add');
    await page.locator('#name').pressSequentially('Jane Doe', { delay: 20 });
    await page.locator('#secret').pressSequentially('hunter2', { delay: 20 });
    await page.mouse.wheel(0, 900);
    await page.waitForTimeout(600);
    await page.click('#add');
    await page.waitForTimeout(700);
    await page.evaluate(() => window.SessionReplay.flush());

    const expectedLength = await page.evaluate(
      () => (window as unknown as { lastInteractionAt: number }).lastInteractionAt - window.pageViewAt,
    );
    const sessions = await sessionsOf(server, await deviceIdOf(page));
    expect(sessions).toHaveLength(1);
    expect(sessions[0].id).toBe(sessionId);
    expect(Math.abs(sessions[0].lengthMs - expectedLength)).toBeLessThanOrEqual(100);
    expect(sessions[0]).toMatchObject({ windows: 1, pages: 1, errorCount: 0, status: 'live' });
    expect(sessions[0].entryUrl).toBe(`${site.url}/page.html`);

    const events = await eventsOf(server, sessionId);
    expect(events.map((e) => e.type).slice(0, 2)).toEqual([EventType.Meta, EventType.FullSnapshot]);
    expect(sessions[0].eventCount).toBe(events.length);
    const text = JSON.stringify(events);
    expect(text).toContain('Checkout of the customer site');
    expect(text).toContain('Row added at click 2');
    expect(text).not.toContain('Jane');
    expect(text).not.toContain('hunter2');
    const inputs = events.filter(
      (e) => e.type === EventType.IncrementalSnapshot && (e.data as { source: number }).source === IncrementalSource.Input,
    );
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.every((e) => /^\*+$/.test((e.data as { text: string }).text))).toBe(true);
    expect(events.some((e) => (e.data as { source?: number }).source === IncrementalSource.Scroll)).toBe(true);
  });

  it('records a page of over 2 000 elements, its full snapshot written in slices, with text beyond Latin-1 intact', async () => {
    await page.goto(`${site.url}/large.html`);
    const sessionId = await waitForRecorder(page);
    await flushUntilStored(page, server, sessionId, 'Product 2999');
    const snapshot = (await eventsOf(server, sessionId)).find((e) => e.type === EventType.FullSnapshot)!;
    const rows = findNode((snapshot.data as { node: SnapshotNode }).node, (n) => n.attributes?.id === 'rows')!;
    expect(rows.childNodes).toHaveLength(3000);
    expect(rows.childNodes!.map((row) => row.childNodes?.[0]?.textContent)).toEqual(Array.from({ length: 3000 }, (_, i) => `Product ${i} — 12,50 €`));
  });

  it('records typed text when masking is off, but never passwords', async () => {
    await page.goto(`${site.url}/page.html?mask-inputs=false`);
    const sessionId = await waitForRecorder(page);
    await page.locator('#name').pressSequentially('Jane Doe');
    await page.locator('#secret').pressSequentially('hunter2');
    await page.evaluate(() => window.SessionReplay.flush());
    const text = JSON.stringify(await eventsOf(server, sessionId));
    expect(text).toContain('Jane Doe');
    expect(text).not.toContain('hunter2');
  });

  it('stores console errors, uncaught errors and fetches when console and network capture are on', async () => {
    await page.goto(`${site.url}/page.html?console=true&network=true`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(async () => {
      console.error('payment failed 42');
      setTimeout(() => {
        throw new Error('uncaught 7');
      });
      void Promise.reject(new Error('rejected 9'));
      await fetch('/page.html?from=test', { headers: { Authorization: 'Bearer s3cret-token' } });
    });
    await flushUntilStored(page, server, sessionId, 'from=test');

    const events = await eventsOf(server, sessionId);
    const plugin = (name: string) =>
      events.filter((e) => e.type === EventType.Plugin).map((e) => e.data as { plugin: string; payload: any }).filter((d) => d.plugin === name);
    const errors = plugin(CONSOLE_PLUGIN).filter((d) => d.payload.level === 'error');
    const messages = errors.map((d) => (d.payload.payload as string[]).join(' '));
    expect(messages).toHaveLength(3);
    for (const text of ['payment failed 42', 'uncaught 7', 'rejected 9']) {
      expect(messages.some((m) => m.includes(text))).toBe(true);
    }
    const requests = plugin(NETWORK_PLUGIN).flatMap((d) => d.payload.requests as { name: string; method?: string; status?: number }[]);
    const request = requests.find((r) => r.name.includes('from=test'));
    expect(request).toMatchObject({ method: 'GET', status: 200 });
    expect(JSON.stringify(events)).not.toContain('s3cret-token');
    expect(requests.some((r) => r.name.includes('/api/ingest'))).toBe(false);

    const [session] = await sessionsOf(server, await deviceIdOf(page));
    expect(session.errorCount).toBe(3);
  });

  it('masks text under data-mask-text-selector and records bodies only when asked, redacted and capped', async () => {
    await page.goto(`${site.url}/page.html?mask-text-selector=%23title&network=true&network-bodies=true&network-body-max-chars=80`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(async () => {
      const body = JSON.stringify({ note: 'visible-note', password: 'hunter2', filler: 'f'.repeat(300) });
      await fetch('/page.html?from=bodies', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    });
    await flushUntilStored(page, server, sessionId, 'from=bodies');
    const events = await eventsOf(server, sessionId);
    const text = JSON.stringify(events);
    expect(text).not.toContain('Checkout of the customer site');
    expect(text).toContain('Tall content');
    // The heading is still there, its text replaced character for character (spaces kept).
    const snapshot = events.find((e) => e.type === EventType.FullSnapshot)?.data as { node: SnapshotNode };
    const title = findNode(snapshot.node, (n) => n.attributes?.id === 'title');
    expect(title?.tagName).toBe('h1');
    expect(title?.childNodes?.map((n) => n.textContent)).toEqual(['Checkout of the customer site'.replace(/\S/g, '*')]);
    const request = events
      .filter((e) => e.type === EventType.Plugin && (e.data as { plugin: string }).plugin === NETWORK_PLUGIN)
      .flatMap((e) => (e.data as { payload: { requests: { name: string; requestBody?: string; responseBody?: string }[] } }).payload.requests)
      .find((r) => r.name.includes('from=bodies'));
    expect(request?.requestBody).toContain('visible-note');
    expect(request?.requestBody).toContain('[redacted]');
    expect(request?.requestBody).not.toContain('hunter2');
    expect(request?.requestBody).toMatch(/more characters\]$/);
    expect(request?.responseBody?.length).toBeLessThan(120);
    expect(text).not.toContain('hunter2');
  });

  it('starts a new, separately replayable session after the inactivity timeout', async () => {
    await page.goto(`${site.url}/page.html?session-timeout-ms=1000`);
    const first = await waitForRecorder(page);
    await page.click('#add');
    await page.waitForTimeout(1_500);
    expect(await page.evaluate(() => window.SessionReplay.getSessionId())).toBeNull();
    const second = await clickIntoNewSession(page, first);

    const sessions = await sessionsOf(server, await deviceIdOf(page));
    expect(sessions.map((s) => s.id)).toEqual([first, second]);
    for (const session of sessions) {
      const events = await eventsOf(server, session.id);
      expect(events.map((e) => e.type).slice(0, 2)).toEqual([EventType.Meta, EventType.FullSnapshot]);
      expect(session.lengthMs).toBeLessThan(1_000);
    }
    // The second session's own snapshot holds the row the first session added.
    expect(JSON.stringify(await eventsOf(server, second))).toContain('Row added at click 1');
  });

  it('keeps a session alive on key presses alone, reporting one activity a second at most', async () => {
    await page.goto(`${site.url}/page.html?session-timeout-ms=2500`);
    const sessionId = await waitForRecorder(page);
    // 4 s of key presses on the page itself (nothing scrolls, no input changes): longer than the timeout.
    for (let press = 0; press < 16; press++) {
      await page.keyboard.press('x');
      await page.waitForTimeout(250);
    }
    expect(await page.evaluate(() => window.SessionReplay.getSessionId())).toBe(sessionId);
    await page.evaluate(() => window.SessionReplay.flush());

    const activity = (await eventsOf(server, sessionId)).filter(
      (e) => e.type === EventType.Custom && (e.data as { tag?: string }).tag === CUSTOM_EVENT.activity,
    );
    expect(activity.length).toBeGreaterThanOrEqual(3);
    expect(activity.length).toBeLessThanOrEqual(5);
    expect(activity.every((e) => (e.data as { payload?: { kind?: string } }).payload?.kind === 'key')).toBe(true);
  });

  it('keeps recording while the server is down and delivers everything once it is back', async () => {
    await page.goto(`${site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => window.SessionReplay.flush());
    const port = Number(new URL(server.url).port);
    await server.stop();

    await page.click('#add');
    await page.click('#add');
    const flushed = page.evaluate(() => window.SessionReplay.flush());
    await page.waitForTimeout(1_500);
    server = stack.server = await startServer({ dataDir: server.dataDir }, port);
    await flushed;

    const events = await eventsOf(server, sessionId);
    const text = JSON.stringify(events);
    expect(text).toContain('Row added at click 2');
    const [session] = await sessionsOf(server, await deviceIdOf(page));
    expect(session.eventCount).toBe(events.length);
    expect(new Set(events.map((e) => JSON.stringify(e))).size).toBe(events.length);
  });

  it('shares one session between tabs, each tab its own window', async () => {
    await page.goto(`${site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.click('#add');
    const secondTab = await context.newPage();
    await secondTab.goto(`${site.url}/page.html`);
    expect(await waitForRecorder(secondTab)).toBe(sessionId);
    await secondTab.click('#add');
    await page.evaluate(() => window.SessionReplay.flush());
    await secondTab.evaluate(() => window.SessionReplay.flush());

    const sessions = await sessionsOf(server, await deviceIdOf(page));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ id: sessionId, windows: 2, pages: 2 });
    const windows = new Set((await chunksOf(server, sessionId)).map((c) => c.windowId));
    expect(windows.size).toBe(2);
  });

  it('counts an SPA navigation as a page view and ends on the last page', async () => {
    await page.goto(`${site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => history.pushState({}, '', '/page.html?step=payment'));
    await page.evaluate(() => window.SessionReplay.flush());
    const [session] = await sessionsOf(server, await deviceIdOf(page));
    expect(session).toMatchObject({
      id: sessionId,
      pages: 2,
      entryUrl: `${site.url}/page.html`,
      exitUrl: `${site.url}/page.html?step=payment`,
    });
  });

  it('sends what is waiting when the tab is closed, without a flush()', async () => {
    await page.goto(`${site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => window.SessionReplay.flush());
    await page.click('#add');
    await page.close({ runBeforeUnload: true });
    await expect
      .poll(async () => JSON.stringify(await eventsOf(server, sessionId)), { timeout: 5_000 })
      .toContain('Row added at click 1');
  });
});
