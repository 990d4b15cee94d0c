import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedShare } from '../../shared/api';
import { exportToDisk } from '../helpers/exportToDisk';
import { openPlayer, screenshot, SCREEN } from '../helpers/player';
import { waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

const HOUR_MS = 3_600_000;

let stack: Stack;
/** Added to the real time: the app's clock, moved forward to expire a link without waiting. */
let clockOffsetMs = 0;
let sessionId: string;
let otherId: string;

/** A session of the customer page with `clicks` rows added, stored. */
async function record(clicks: number): Promise<string> {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${stack.site.url}/page.html?console=true`);
  const id = await waitForRecorder(page);
  for (let i = 0; i < clicks; i++) await page.click('#add');
  await page.evaluate(() => console.log('checkout ready'));
  await page.evaluate(() => window.SessionReplay.flush());
  await context.close();
  return id;
}

beforeAll(async () => {
  stack = await startStack({ server: { now: () => Date.now() + clockOffsetMs } });
  sessionId = await record(2);
  otherId = await record(1);
});
afterAll(() => stack?.stop());

async function share(expiresInHours = 168): Promise<CreatedShare> {
  const res = await stack.server.api(`/api/sessions/${sessionId}/shares`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ expiresInHours }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedShare;
}

/** A fresh browser context, no cookie, opening `url`. */
async function openFresh(url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stack.browser.newContext({ viewport: SCREEN });
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}

const replayRows = (page: Page) => page.frameLocator('#player iframe').locator('#rows li');

/** Status of a same-origin fetch made by the page, with the cookies it holds. */
const statusOf = (page: Page, url: string, method = 'GET') =>
  page.evaluate(async ([u, m]) => (await fetch(u, { method: m })).status, [url, method] as const);

describe('a share link in a browser', () => {
  it('replays the session in a fresh context without logging in, and nothing else', async () => {
    const { context, page } = await openFresh((await share()).url);
    try {
      expect(new URL(page.url()).pathname).toBe(`/sessions/${sessionId}`);
      await expect.poll(() => replayRows(page).count(), { timeout: 15_000 }).toBe(2);
      await expect.poll(() => page.locator('[data-testid=details]').textContent()).toContain('Pages');
      await page.locator('.tabs [data-tab=console]').click();
      await expect.poll(() => page.locator('[data-testid=console-entries]').textContent()).toContain('checkout ready');
      await expect.poll(() => page.locator('[data-testid=download]').count()).toBe(1);
      // The listing of links is refused to a viewer, so the Share button goes away.
      await expect.poll(() => page.locator('[data-testid=share]').count()).toBe(0);
      // Nor is there a sessions list to go back to.
      await expect.poll(() => page.locator('[data-testid=back]').count()).toBe(0);
      await screenshot(page, 'shared-replay.png');

      expect(await statusOf(page, `/api/sessions/${sessionId}/events`)).toBe(200);
      expect(await statusOf(page, '/api/sessions')).toBe(401);
      expect(await statusOf(page, '/api/stats')).toBe(401);
      expect(await statusOf(page, `/api/sessions/${otherId}`)).toBe(403);
      expect(await statusOf(page, `/api/sessions/${otherId}/events`)).toBe(403);
      expect(await statusOf(page, `/api/sessions/${sessionId}/shares`, 'POST')).toBe(401);
      expect(await statusOf(page, `/api/sessions/${sessionId}`, 'DELETE')).toBe(401);
      await page.goto(`${stack.server.url}/sessions/${otherId}`);
      expect(new URL(page.url()).pathname).toBe('/login');
      await page.goto(`${stack.server.url}/`);
      expect(new URL(page.url()).pathname).toBe('/login');
    } finally {
      await context.close();
    }
  });

  it('stops working at once when revoked', async () => {
    const created = await share();
    const { context, page } = await openFresh(created.url);
    try {
      await expect.poll(() => replayRows(page).count(), { timeout: 15_000 }).toBe(2);
      expect((await stack.server.api(`/api/shares/${created.id}`, { method: 'DELETE' })).status).toBe(204);
      expect(await statusOf(page, `/api/sessions/${sessionId}/events`)).toBe(401);
      await page.reload();
      expect(await page.locator('[data-testid=dead-share]').count()).toBe(1);
      await page.goto(created.url);
      expect(await page.locator('[data-testid=dead-share]').count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('stops working once expired, by the server’s clock', async () => {
    const created = await share(1);
    const { context, page } = await openFresh(created.url);
    try {
      await expect.poll(() => replayRows(page).count(), { timeout: 15_000 }).toBe(2);
      clockOffsetMs += HOUR_MS;
      expect(await statusOf(page, `/api/sessions/${sessionId}`)).toBe(401);
      await page.reload();
      expect(await page.locator('[data-testid=dead-share]').count()).toBe(1);
    } finally {
      clockOffsetMs = 0;
      await context.close();
    }
  });
});

describe('the Share and Download buttons', () => {
  it('create a link, copy it, list it and revoke it', async () => {
    const page = await openPlayer(stack.browser, stack.server, `/sessions/${sessionId}`, {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    try {
      await page.locator('[data-testid=share]').click();
      // The admin keeps the way back to the sessions list (a viewer has none, above).
      expect(await page.locator('[data-testid=back]').count()).toBe(1);
      // The panel lists what the API does, once its request is answered: counted from the API, not the panel still loading.
      const before = ((await (await stack.server.api(`/api/sessions/${sessionId}/shares`)).json()) as { shares: unknown[] }).shares.length;
      await page.locator('[data-testid=share-lifetime]').selectOption('24');
      await page.locator('[data-testid=create-share]').click();
      await expect.poll(() => page.locator('[data-testid=share-url]').inputValue()).toMatch(/\/s\/[0-9a-f-]{36}\.[\w-]{43}$/);
      const url = await page.locator('[data-testid=share-url]').inputValue();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
      await expect.poll(() => page.locator('[data-share-id]').count()).toBe(before + 1);
      await screenshot(page, 'share-panel.png');
      const id = /\/s\/([^.]+)\./.exec(url)?.[1] ?? '';
      const listed = (await (await stack.server.api(`/api/sessions/${sessionId}/shares`)).json()) as { shares: { id: string; expiresAt: string }[] };
      const expiresAt = Date.parse(listed.shares.find((s) => s.id === id)?.expiresAt ?? '');
      expect(Math.abs(expiresAt - Date.now() - 24 * HOUR_MS)).toBeLessThan(60_000);
      await page.locator(`[data-share-id="${id}"] [data-testid=revoke-share]`).click();
      await expect.poll(() => page.locator(`[data-share-id="${id}"]`).count()).toBe(0);
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(404);

      const download = page.waitForEvent('download');
      await page.locator('[data-testid=download]').click();
      expect((await download).suggestedFilename()).toBe(`session-${sessionId}.html`);
    } finally {
      await page.close();
    }
  });
});

describe('an exported file', () => {
  it('replays from disk with every network request blocked, and shows the recorded text', async () => {
    const fileUrl = await exportToDisk(stack.server, sessionId);

    const context = await stack.browser.newContext({ viewport: SCREEN });
    const requests: string[] = [];
    const refused: string[] = [];
    await context.route('**', async (route) => {
      const url = route.request().url();
      if (url === fileUrl) return route.continue();
      requests.push(url);
      await route.abort();
    });
    try {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') refused.push(message.text());
      });
      // Not 'load': the replay's frame, rebuilt by rrweb, may keep it from firing.
      await page.goto(fileUrl, { waitUntil: 'domcontentloaded' });
      await expect.poll(() => replayRows(page).count(), { timeout: 15_000 }).toBe(2);
      await expect.poll(() => replayRows(page).first().textContent()).toBe('Row added at click 1');
      expect(await page.frameLocator('#player iframe').locator('#title').textContent()).toBe('Checkout of the customer site');
      await page.locator('.tabs [data-tab=console]').click();
      await expect.poll(() => page.locator('[data-testid=console-entries]').textContent()).toContain('checkout ready');
      expect(await page.locator('[data-testid=copy-link]').isVisible()).toBe(false);
      await screenshot(page, 'exported-replay.png');
      expect(requests).toEqual([]);
      // The player itself ran: it is the one script the file's CSP lets through.
      expect(refused.filter((text) => /Content Security Policy.*script/i.test(text))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('keeps the recorded page from calling home: its CSP lets nothing load from the network', async () => {
    const context = await stack.browser.newContext();
    const recorded = await context.newPage();
    await recorded.goto(`${stack.site.url}/hostile.html`);
    const hostileId = await waitForRecorder(recorded);
    await recorded.evaluate(() => window.SessionReplay.flush());
    await context.close();
    const fileUrl = await exportToDisk(stack.server, hostileId);
    const before = stack.site.requests.length;

    const viewer = await stack.browser.newContext();
    try {
      const page = await viewer.newPage();
      const loaded: string[] = [];
      const refused: string[] = [];
      page.on('requestfinished', (request) => loaded.push(request.url()));
      page.on('requestfailed', (request) => refused.push(`${request.failure()?.errorText} ${request.url()}`));
      await page.goto(fileUrl, { waitUntil: 'domcontentloaded' });
      await expect.poll(() => page.frameLocator('#player iframe').locator('#title').count(), { timeout: 15_000 }).toBe(1);
      // The recorded <img> points at the site; rebuilt in the replay, only the CSP keeps it from loading.
      expect(await page.frameLocator('#player iframe').locator('#broken').getAttribute('src')).toBe(`${stack.site.url}/missing.png`);
      await expect.poll(() => refused).toContain(`csp ${stack.site.url}/missing.png`);
      expect(refused.every((line) => line.startsWith('csp '))).toBe(true);
      expect(loaded).toEqual([fileUrl]);
      expect(stack.site.requests.slice(before)).toEqual([]);
    } finally {
      await viewer.close();
    }
  });
});
