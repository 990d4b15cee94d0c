import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRelativeIds } from '../../shared/relativeIds';
import { gzipOfBody } from '../helpers/batches';
import { openPlayer } from '../helpers/player';
import { eventsOf, untilRequestsSeen, waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const LIMIT = 32 * 1024 * 1024;

/** The batch JSON of an ingest body as the recorder compressed it, ids relative. */
const batchText = (body: Buffer) => gunzipSync(gzipOfBody(body)).toString('utf8');

describe('relative ids on the wire (real Chromium)', () => {
  it('send a re-rendered list smaller than plain gzip would, and the player replays it as it was', async () => {
    const { browser, server, site } = stack;
    const context = await browser.newContext();
    const page = await context.newPage();
    const bodies: Buffer[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/ingest')) bodies.push(request.postDataBuffer() as Buffer);
    });
    await page.goto(`${site.url}/rerender.html`);
    const sessionId = await waitForRecorder(page);
    for (let i = 0; i < 6; i++) await page.click('#render');
    // Activity after the last render, so the replay's end lies past it: a click, which rrweb
    // emits at once (mouse moves wait for its 500 ms position buffer, maybe past the flush).
    await page.waitForTimeout(300);
    await page.mouse.click(5, 5);
    await page.evaluate(() => window.SessionReplay.flush());
    await untilRequestsSeen(server, sessionId, bodies);
    const stored = await eventsOf(server, sessionId);
    await context.close();

    const texts = bodies.map(batchText);
    expect(texts.join('')).toContain('"id":~1');
    const plain = texts.map((text) => decodeRelativeIds(text, LIMIT));
    const sent = bodies.reduce((sum, body) => sum + body.length, 0);
    const plainGzip = plain.reduce((sum, text) => sum + gzipSync(text).length, 0);
    expect(sent).toBeLessThan(plainGzip * 0.7);

    expect(JSON.stringify(stored)).not.toContain('":~');
    expect(stored).toEqual(plain.flatMap((text) => (JSON.parse(text) as { events: unknown[] }).events));

    const player = await openPlayer(browser, server, `/sessions/${sessionId}?t=600`);
    const frame = player.frameLocator('#player iframe');
    const count = () => frame.locator('#count').textContent({ timeout: 1_000 }).catch(() => null);
    await expect.poll(count, { timeout: 15_000 }).toBe('Rendered 7 times');
    expect(await frame.locator('#list li').count()).toBe(40);
    await player.close();
  });
});
