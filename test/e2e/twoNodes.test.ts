/**
 * Two server nodes on one PostgreSQL database behind a round-robin balancer: a real browser's
 * batches alternate between the nodes, and the session comes out as a single node stores it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SessionSummary } from '../../shared/api';
import { launchBrowser } from '../helpers/browser';
import { openPlayer } from '../helpers/player';
import { createDatabase } from '../helpers/postgres';
import { chunksOf, deviceIdOf, sessionsOf, waitForRecorder } from '../helpers/recordedSession';
import { startBalancer, type Balancer } from '../helpers/roundRobin';
import { startServer, type TestServer } from '../helpers/server';
import { startSite, type Site } from '../helpers/sitePage';

let nodes: TestServer[];
let balancer: Balancer;
let site: Site;
let browser: Browser;

beforeAll(async () => {
  const databaseUrl = await createDatabase(inject('postgresUrl'));
  // No REPLAY_ADMIN_TOKEN: the nodes must agree on the one the first of them generated.
  nodes = await Promise.all([0, 1].map(() => startServer({ databaseUrl, adminToken: undefined })));
  balancer = await startBalancer(nodes.map((node) => node.url));
  site = await startSite(balancer.url);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await balancer?.close();
  await Promise.all(nodes?.map((node) => node.stop()) ?? []);
});

/** What a session's figures must be, whichever node stored which batch. */
function figures(session: SessionSummary) {
  const { id, lengthMs, activeMs, eventCount, errorCount, windows, pages, entryUrl, exitUrl, bytes, deviceId } = session;
  return { id, lengthMs, activeMs, eventCount, errorCount, windows, pages, entryUrl, exitUrl, bytes, deviceId };
}

describe('two server nodes sharing one PostgreSQL', () => {
  it('share the generated admin token', () => {
    expect(nodes[0].replay.adminToken.token).toBe(nodes[1].replay.adminToken.token);
    expect(nodes[0].replay.adminToken.source).toBe('shared');
  });

  it('store a session whose batches alternate between them as one node stores the same batches', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    // A second tab joins the session as its second window.
    const tab = await context.newPage();
    await tab.goto(`${site.url}/page.html#second`);
    expect(await waitForRecorder(tab)).toBe(sessionId);
    for (let round = 0; round < 4; round++) {
      for (const p of [page, tab]) {
        await p.click('#add');
        await p.locator('#name').pressSequentially(`r${round}`, { delay: 10 });
        await p.evaluate(() => window.SessionReplay.flush());
      }
    }
    const deviceId = await deviceIdOf(page);
    await context.close();

    const ingests = balancer.ingests;
    expect(ingests.every((ingest) => ingest.status === 200)).toBe(true);
    for (const node of [0, 1]) expect(ingests.filter((ingest) => ingest.node === node).length).toBeGreaterThanOrEqual(4);

    const [fromA] = await sessionsOf(nodes[0], deviceId);
    const [fromB] = await sessionsOf(nodes[1], deviceId);
    expect(fromA.id).toBe(sessionId);
    expect(fromA).toEqual(fromB);
    expect(fromA.windows).toBe(2);
    const chunks = await chunksOf(nodes[0], sessionId);
    expect(await chunksOf(nodes[1], sessionId)).toEqual(chunks);

    // The player through the balancer: its requests (login, assets, API) alternate between the
    // nodes too, and the login cookie one node set is good on the other.
    const player = await openPlayer(browser, nodes[0], `/sessions/${sessionId}`, { origin: balancer.url });
    const frame = player.frameLocator('#player iframe');
    await expect.poll(() => frame.locator('#title').textContent(), { timeout: 15_000 }).toBe('Checkout of the customer site');
    expect(await player.locator('[data-testid=window-tab]').count()).toBe(2);
    await player.close();

    // The same batches, in the same order, into one node with a database of its own.
    const single = await startServer({ databaseUrl: await createDatabase(inject('postgresUrl')) });
    try {
      for (const ingest of ingests) {
        const res = await fetch(`${single.url}/api/ingest`, { method: 'POST', headers: ingest.headers, body: new Uint8Array(ingest.body) });
        expect(res.status).toBe(200);
      }
      const [alone] = await sessionsOf(single, deviceId);
      expect(figures(fromA)).toEqual(figures(alone));
      expect(fromA.lengthMs).toBeGreaterThan(0);
      expect(await chunksOf(single, sessionId)).toEqual(chunks);
    } finally {
      await single.stop();
    }
  });
});
