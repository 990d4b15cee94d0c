/**
 * The snippet's data-* options and privacy promises, as a site owner sets them on the tag, in
 * real Chromium against the real server: what each one lets reach the server, and what not.
 */
import { EventType } from '@rrweb/types';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NETWORK_PLUGIN } from '../../shared/constants';
import { deviceIdOf, eventsOf, flushUntilStored, sessionsOf, waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let context: BrowserContext;
/** Every POST to /api/ingest any page of the context made. */
let ingests: Request[];

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());
beforeEach(async () => {
  context = await stack.browser.newContext();
  ingests = [];
  context.on('request', (r) => r.url().includes('/api/ingest') && r.method() === 'POST' && ingests.push(r));
});
afterEach(() => context.close());

async function open(query: string, page?: Page): Promise<{ page: Page; sessionId: string }> {
  const tab = page ?? (await context.newPage());
  await tab.goto(`${stack.site.url}/page.html${query}`);
  return { page: tab, sessionId: await waitForRecorder(tab) };
}

describe('data-sample-rate', () => {
  it('0 records nothing: no request leaves the page and the server has no session', async () => {
    const { page } = await open('?sample-rate=0');
    await page.click('#add');
    await page.evaluate(() => window.SessionReplay.flush());
    expect(ingests).toEqual([]);
    expect(await sessionsOf(stack.server, await deviceIdOf(page))).toEqual([]);
  });

  it('is decided once per session: a second tab follows the session, whatever its own tag says', async () => {
    // Not sampled in the first tab: the second tab's rate 1 does not start recording the session.
    const skipped = await open('?sample-rate=0');
    const follower = await open('?sample-rate=1');
    expect(follower.sessionId).toBe(skipped.sessionId);
    await follower.page.click('#add');
    await follower.page.evaluate(() => window.SessionReplay.flush());
    expect(ingests).toEqual([]);

    // Sampled in the first tab: a second tab at rate 0 records into the same session.
    await context.close();
    context = await stack.browser.newContext();
    context.on('request', (r) => r.url().includes('/api/ingest') && r.method() === 'POST' && ingests.push(r));
    const sampled = await open('?sample-rate=1');
    const second = await open('?sample-rate=0');
    expect(second.sessionId).toBe(sampled.sessionId);
    await second.page.click('#add');
    for (const tab of [sampled.page, second.page]) await tab.evaluate(() => window.SessionReplay.flush());
    const [session] = await sessionsOf(stack.server, await deviceIdOf(sampled.page));
    expect(session).toMatchObject({ id: sampled.sessionId, windows: 2 });
  });
});

describe('data-block-selector', () => {
  it('keeps the element and everything later added inside it from ever reaching the server', async () => {
    const { page, sessionId } = await open('?block-selector=%23rows');
    await page.click('#add');
    await page.click('#add');
    await page.evaluate(() => window.SessionReplay.flush());
    const events = await eventsOf(stack.server, sessionId);
    const text = JSON.stringify(events);
    expect(text).toContain('Checkout of the customer site');
    expect(text).not.toContain('Row added');
    // In its place rrweb records an empty placeholder of the element's size, without its attributes.
    const snapshot = JSON.stringify(events.find((e) => e.type === EventType.FullSnapshot));
    expect(snapshot).toMatch(/"tagName":"ul","attributes":\{"rr_width":"\d+px","rr_height":"\d+px"\},"childNodes":\[\]/);
  });
});

describe('data-record-canvas', () => {
  /** The serialised canvas #drawn (a 40×20 canvas, red where the page drew) in the session's stored events. */
  async function drawnCanvas(query: string): Promise<{ attributes: Record<string, unknown> } | undefined> {
    const tab = await context.newPage();
    await tab.addInitScript(() =>
      addEventListener('DOMContentLoaded', () => {
        const canvas = Object.assign(document.createElement('canvas'), { id: 'drawn', width: 40, height: 20 });
        document.body.append(canvas);
        const pen = canvas.getContext('2d')!;
        pen.fillStyle = '#c00';
        pen.fillRect(0, 0, 30, 15);
      }),
    );
    const { sessionId } = await open(query, tab);
    await flushUntilStored(tab, stack.server, sessionId, '"drawn"');
    let found: { tagName?: string; attributes?: Record<string, unknown> } | undefined;
    JSON.stringify(await eventsOf(stack.server, sessionId), (_key, value: { tagName?: string; attributes?: { id?: string } }) => {
      if (value?.tagName === 'canvas' && value.attributes?.id === 'drawn') found = value;
      return value;
    });
    return found as { attributes: Record<string, unknown> } | undefined;
  }

  it('records what a canvas shows when the page is recorded (as a WebP image), and nothing of it otherwise', async () => {
    expect((await drawnCanvas('?record-canvas=true'))?.attributes.rr_dataURL).toMatch(/^data:image\/webp;base64,/);
    const unrecorded = await drawnCanvas('');
    expect(unrecorded?.attributes).toBeDefined();
    expect(unrecorded?.attributes).not.toHaveProperty('rr_dataURL');
  });
});

describe('data-max-session-ms', () => {
  it('splits a session that is still active at its maximum length', async () => {
    const page = await context.newPage();
    await page.clock.install({ time: Date.parse('2026-11-23T10:00:00Z') });
    const { sessionId: first } = await open('?max-session-ms=60000', page);
    // A click every 20 s: never idle, so only the maximum length can end the session.
    for (let i = 0; i < 4; i++) {
      await page.clock.runFor(20_000);
      await page.click('#add');
    }
    const second = await page.evaluate(() => window.SessionReplay.getSessionId());
    expect(second).not.toBe(first);
    await page.evaluate(() => window.SessionReplay.flush());
    const sessions = await sessionsOf(stack.server, await deviceIdOf(page));
    // By id, not by start: on a page clock racing ahead, each batch's skew correction differs,
    // so the two sessions' server-clock starts may come out in either order.
    expect(sessions.map((s) => s.id).sort()).toEqual([first, second].sort());
    const firstLength = sessions.find((s) => s.id === first)?.lengthMs;
    expect(firstLength).toBeLessThan(60_000);
    expect(firstLength).toBeGreaterThanOrEqual(40_000);
    // The new session replays on its own: its own full snapshot, with the rows added so far.
    const events = await eventsOf(stack.server, second as string);
    expect(events.slice(0, 2).map((e) => e.type)).toEqual([EventType.Meta, EventType.FullSnapshot]);
  });
});

describe('network capture', () => {
  it('redacts Authorization, Proxy-Authorization and Cookie request headers and keeps the others', async () => {
    const { page, sessionId } = await open('?network=true');
    // XHR: the page's own setRequestHeader calls are what the plugin sees, forbidden names included.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.open('GET', '/page.html?from=headers');
          xhr.setRequestHeader('Authorization', 'Bearer auth-s3cret');
          xhr.setRequestHeader('Proxy-Authorization', 'Basic proxy-s3cret');
          xhr.setRequestHeader('Cookie', 'sid=cookie-s3cret');
          xhr.setRequestHeader('X-Trace', 'visible-trace');
          xhr.onloadend = () => resolve();
          xhr.send();
        }),
    );
    await flushUntilStored(page, stack.server, sessionId, 'from=headers');
    const events = await eventsOf(stack.server, sessionId);
    const request = events
      .filter((e) => e.type === EventType.Plugin && (e.data as { plugin: string }).plugin === NETWORK_PLUGIN)
      .flatMap((e) => (e.data as { payload: { requests: { name: string; requestHeaders?: Record<string, string> }[] } }).payload.requests)
      .find((r) => r.name.includes('from=headers'));
    const headers = Object.fromEntries(Object.entries(request?.requestHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers).toMatchObject({
      authorization: '[redacted]',
      'proxy-authorization': '[redacted]',
      cookie: '[redacted]',
      'x-trace': 'visible-trace',
    });
    expect(JSON.stringify(events)).not.toMatch(/s3cret/);
  });
});
