import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceIdOf, sessionsOf, waitForRecorder } from '../helpers/recordedSession';
import type { TestServer } from '../helpers/server';
import type { Site } from '../helpers/sitePage';
import { startStack, type Stack } from '../helpers/stack';

const ARTIFACTS = new URL('../artifacts/', import.meta.url);

let stack: Stack;
let server: TestServer;
let site: Site;
let browser: Browser;

/** Records one session on the customer page: `clicks` rows added `gapMs` apart. */
async function recordSession(clicks: number, gapMs: number): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}/page.html`);
  const sessionId = await waitForRecorder(page);
  for (let i = 0; i < clicks; i++) {
    await page.waitForTimeout(gapMs);
    await page.click('#add');
  }
  await page.evaluate(() => window.SessionReplay.flush());
  await context.close();
  return sessionId;
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL(name, ARTIFACTS).pathname });
}

beforeAll(async () => {
  stack = await startStack();
  ({ server, site, browser } = stack);
});
afterAll(() => stack?.stop());

describe('the player', () => {
  let shortId: string;
  let longId: string;

  beforeAll(async () => {
    shortId = await recordSession(1, 100);
    longId = await recordSession(3, 700);
  });

  it('lists recorded sessions longest first', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/`);
    const rows = page.locator('tr[data-session-id]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-session-id')))).toEqual([longId, shortId]);
    const apiLengths = (await (await fetch(`${server.url}/api/sessions`)).json()).sessions.map((s: { lengthMs: number }) => s.lengthMs);
    expect(apiLengths[0]).toBeGreaterThan(apiLengths[1]);
    await expect.poll(() => page.locator('[data-testid=total]').textContent()).toContain('2');
    await screenshot(page, 'sessions.png');
    await page.close();
  });

  it('replays a session: the recorded DOM appears inside the sandboxed player iframe', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/sessions/${longId}`);
    const frame = page.frameLocator('#player iframe');
    await expect.poll(() => frame.locator('#title').textContent(), { timeout: 15_000 }).toBe('Checkout of the customer site');
    // Playing on: the rows the user added show up as the replay passes their clicks.
    await expect.poll(() => frame.locator('#rows li').count(), { timeout: 15_000 }).toBe(3);
    expect(await frame.locator('#rows li').last().textContent()).toBe('Row added at click 3');
    const sandbox = await page.locator('#player iframe').getAttribute('sandbox');
    expect(sandbox).not.toContain('allow-scripts');

    const [session] = (await sessionsOf(server.url, (await (await fetch(`${server.url}/api/sessions/${longId}`)).json()).deviceId));
    const lengthText = await page.locator('[data-testid=length]').textContent();
    expect(lengthText).toMatch(/\d+(\.\d)? s/);
    expect(Number(lengthText?.replace(/[^\d.]/g, ''))).toBeCloseTo(Math.floor(session.lengthMs / 100) / 10, 1);
    expect(await page.locator('[data-testid=started-at]').getAttribute('title')).toBe(session.startedAt);
    await screenshot(page, 'replay.png');
    await page.close();
  });

  it('shows a clear message for an unknown session', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/sessions/0193a4c2-0000-7000-8000-000000000000`);
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
    const sessions = await sessionsOf(server.url, await deviceIdOf(page));
    expect(sessions).toHaveLength(1);
    expect(sessions[0].entryUrl).toBe(`${server.url}/demo`);
    await context.close();
  });
});
