import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_TIMEOUT_MS } from '../../shared/constants';
import { clickIntoNewSession, deviceIdOf, eventsOf, sessionsOf, waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('session rules in a real browser', () => {
  it('splits after 30 minutes without activity, with the default timeout and a controlled clock', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const start = Date.parse('2026-11-23T10:00:00Z');
    await page.clock.install({ time: start });
    await page.goto(`${stack.site.url}/page.html`);
    const first = await waitForRecorder(page);
    await page.click('#add');
    await page.clock.runFor(10_000);
    await page.click('#add');
    const firstLastActivity = await page.evaluate(() => Date.now());

    // A ticking page during the idle half hour: DOM mutations, which must not extend the session.
    await page.evaluate(() => setInterval(() => (document.title = `Tick ${Date.now()}`), 60_000));
    await page.clock.runFor(SESSION_TIMEOUT_MS - 20_000);
    expect(await page.evaluate(() => window.SessionReplay.getSessionId())).toBe(first);
    await page.clock.runFor(40_000);
    expect(await page.evaluate(() => window.SessionReplay.getSessionId())).toBeNull();

    const second = await clickIntoNewSession(page, first);

    const sessions = await sessionsOf(stack.server, await deviceIdOf(page));
    expect(sessions.map((s) => s.id)).toEqual([first, second]);
    const [one, two] = sessions;
    // The first session ends at its last click, not at the last tick of the idle page.
    expect(one.lengthMs).toBeGreaterThanOrEqual(10_000);
    expect(one.lengthMs).toBeLessThanOrEqual(firstLastActivity - start);
    expect(two.lengthMs).toBeLessThan(1_000);
    // The second session replays on its own: it opens with its own full snapshot.
    const events = await eventsOf(stack.server, second);
    expect(events.slice(0, 2).map((e) => e.type)).toEqual([4, 2]);
    await context.close();
  });

  it('counts every SPA navigation as a page: pushState, replaceState, hash changes and back', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await page.evaluate(() => history.pushState({}, '', '/page.html?step=cart'));
    await page.evaluate(() => history.replaceState({}, '', '/page.html?step=cart&coupon=1'));
    await page.evaluate(() => history.replaceState({ scroll: 1 }, '', location.href)); // same URL: not a page
    await page.evaluate(() => (location.hash = '#payment'));
    await page.waitForFunction(() => location.hash === '#payment');
    await page.goBack();
    await page.waitForFunction(() => location.hash === '');
    await page.evaluate(() => window.SessionReplay.flush());

    const [session] = await sessionsOf(stack.server, await deviceIdOf(page));
    expect(session.id).toBe(sessionId);
    expect(session.pages).toBe(5);
    expect(session.entryUrl).toBe(`${stack.site.url}/page.html`);
    expect(session.exitUrl).toBe(`${stack.site.url}/page.html?step=cart&coupon=1`);
    const visited = await (await stack.server.api(`/api/sessions?url=${encodeURIComponent('coupon=1')}`)).json();
    expect(visited.sessions.map((s: { id: string }) => s.id)).toEqual([sessionId]);
    await context.close();
  });

  it('shares activity with the other tabs at most every 5 seconds under the default timeout, not once per event (localStorage is synchronous)', async () => {
    const context = await stack.browser.newContext();
    await context.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      (window as unknown as { sessionWrites: number }).sessionWrites = 0;
      Storage.prototype.setItem = function (key: string, value: string) {
        if (this === window.localStorage && key.endsWith(':session')) (window as unknown as { sessionWrites: number }).sessionWrites++;
        setItem.call(this, key, value);
      };
    });
    const page = await context.newPage();
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    const writes = () => page.evaluate(() => (window as unknown as { sessionWrites: number }).sessionWrites);
    const before = await writes();
    const started = Date.now();
    // 60 clicks over six seconds or more are 180 activity events (mousedown, mouseup, click).
    for (let i = 0; i < 60; i++) {
      await page.mouse.click(300, 400);
      await page.waitForTimeout(100);
    }
    const clickedMs = Date.now() - started;
    const during = (await writes()) - before;
    expect(during).toBeLessThanOrEqual(Math.ceil(clickedMs / 5_000) + 1);
    expect(during).toBeGreaterThan(0);
    await page.evaluate(() => window.SessionReplay.flush());
    const [session] = await sessionsOf(stack.server, await deviceIdOf(page));
    expect(session.id).toBe(sessionId);
    await context.close();
  });

  it('shares the activity the throttle held back when the tab closes, so other tabs see its last click', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const start = Date.parse('2026-11-30T10:00:00Z');
    await page.clock.install({ time: start });
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    // Past the 5 s between writes since the page view's.
    await page.clock.pauseAt(start + 10_000);
    const sharedActivity = async () => {
      const tab = await context.newPage();
      // A page of the site without the snippet (its 404), which would itself be activity.
      await tab.goto(`${stack.site.url}/not-recorded.html`);
      const stored = await tab.evaluate(() => JSON.parse(localStorage.getItem('sr:demo:session') ?? 'null') as { id: string; lastActivityAt: number } | null);
      await tab.close();
      return stored;
    };
    await page.click('#add');
    const shared = await page.evaluate(() => Date.now());
    await page.clock.runFor(40);
    await page.click('#add');
    const last = await page.evaluate(() => Date.now());
    expect(last - shared).toBeGreaterThanOrEqual(40);
    // 40 ms after the last write: the second click is held back.
    expect(await sharedActivity()).toEqual(expect.objectContaining({ id: sessionId, lastActivityAt: shared }));
    await page.close({ runBeforeUnload: true });
    expect(await sharedActivity()).toEqual(expect.objectContaining({ id: sessionId, lastActivityAt: last }));
    await context.close();
  });
});
