/**
 * The recorder's batches go as envelopes (shared/batchEnvelope.ts), and the server folds them
 * into the same session as it would the same batches sent as plain gzip JSON, whose events it
 * reads and summarises itself.
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../shared/api';
import { openEnvelope } from '../../shared/batchEnvelope';
import { summarizeBatch, withoutDefaults } from '../../shared/summarizeBatch';
import { batchOfBody, postIngest } from '../helpers/batches';
import { chunksOf, deviceIdOf, sessionsOf, untilRequestsSeen, waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** What a session's summary says of its events. */
const facts = (s: SessionSummary) => ({
  lengthMs: s.lengthMs,
  activeMs: s.activeMs,
  pages: s.pages,
  entryUrl: s.entryUrl,
  exitUrl: s.exitUrl,
  eventCount: s.eventCount,
  errorCount: s.errorCount,
  rageClicks: s.rageClicks,
  deadClicks: s.deadClicks,
  errorClicks: s.errorClicks,
});

describe('the recorder sends envelopes', () => {
  it('from the first batch, and the session sums up as the plain JSON batches would', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const bodies: Buffer[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === `${stack.server.url}/api/ingest`) bodies.push(request.postDataBuffer()!);
    });
    await page.goto(`${stack.site.url}/signals.html?console=true`);
    const sessionId = await waitForRecorder(page);

    for (let i = 0; i < 5; i++) await page.click('#stars');
    await page.click('#throws');
    await page.evaluate(() => console.error('checkout failed'));
    await page.evaluate(() => history.pushState({}, '', '/signals.html#second'));
    await page.click('#works');
    await page.evaluate(() => window.SessionReplay.flush());
    // Stopped before the page closes: a page-hide batch could reach the server unseen here.
    await page.evaluate(() => window.SessionReplay.stop());
    // stop() sends what waited; flush() resolves once the server has acknowledged it, so the count of stored chunks is final.
    await page.evaluate(() => window.SessionReplay.flush());
    await untilRequestsSeen(stack.server, sessionId, bodies);
    await expect.poll(async () => (await chunksOf(stack.server, sessionId)).length).toBe(new Set(bodies.map((body) => batchOfBody(body).seq)).size);
    const deviceId = await deviceIdOf(page);
    await context.close();

    expect(bodies.length).toBeGreaterThan(0);
    // Sends that can wait deflate the head (page hide, which cannot, sends it as JSON).
    expect(bodies.map((body) => body.subarray(0, 4).toString('latin1'))).toEqual(bodies.map(() => 'RPE2'));
    // Each head is the batch's fields and the summary the server computes from its events, less
    // the summary fields at their default; the gzip the server stores holds the events alone (the
    // fields travel once).
    for (const body of bodies) {
      const { events, ...fields } = batchOfBody(body);
      const envelope = openEnvelope(body, inflateRawSync) as Exclude<ReturnType<typeof openEnvelope>, null | 'truncated'>;
      expect(JSON.parse(envelope.head)).toEqual({ ...fields, summary: withoutDefaults(summarizeBatch(events)) });
      expect(body.length - envelope.gzipped.length).toBeLessThan(Buffer.byteLength(envelope.head));
      expect(fields).toMatchObject({ sessionId, seq: expect.any(Number) });
      // The browser's User-Agent header names it: the body does not repeat it.
      expect(fields.userAgent).toBeUndefined();
      expect(gunzipSync(envelope.gzipped).toString('utf8')).toMatch(/^\{"events":\[.*\]\}$/s);
    }

    // The same batches again, under another session id, as plain gzip JSON: the server reads their events.
    const copyId = randomUUID();
    for (const body of bodies) {
      const batch = batchOfBody(body);
      expect(batch.sessionId).toBe(sessionId);
      const res = await postIngest(stack.server.url, { ...batch, sessionId: copyId });
      expect(res.status).toBeLessThan(300);
    }
    const sessions = await sessionsOf(stack.server, deviceId);
    const recorded = sessions.find((s) => s.id === sessionId)!;
    const fromJson = sessions.find((s) => s.id === copyId)!;
    expect(recorded.userAgent).toContain('Chrome/');
    expect(recorded.pages).toBeGreaterThanOrEqual(2);
    expect(recorded.errorCount).toBeGreaterThanOrEqual(1);
    expect(recorded.rageClicks).toBe(1);
    expect(recorded.errorClicks).toBe(1);
    expect(facts(recorded)).toEqual(facts(fromJson));
  });
});
