/**
 * How big `GET /api/sessions/:id/export.html` is: for a session of the demo page (its form
 * filled, items added, the API called, an error thrown: the demo a new user makes), and for
 * 10- and 30-minute sessions of the TodoMVC VanillaJS example recorded by the real snippet in
 * real Chromium under Playwright's `page.clock` (every 10 s of page time the pointer moves,
 * every 20 s a todo is typed, every 30 s one is ticked, every 2 min the done ones are cleared,
 * every minute the filter changes), stored by the real server in its own process.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { SessionSummary } from '../shared/api';
import { launchBrowser } from '../test/helpers/browser';
import { apiText, BENCH_TOKEN } from './longSession';
import { startOverheadSite } from './overheadSite';
import { spawnBenchServer, stopBenchServer } from './spawnServer';
import type { Row } from './stats';

const STEP_MS = 10_000;
const KEY_DELAY_MS = 15;

/** GET on the bench server's read API, as bytes. */
function apiBytes(port: number, url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http
      .get({ port, host: '127.0.0.1', path: url, headers: { Authorization: `Bearer ${BENCH_TOKEN}` } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(parts)) : reject(new Error(`${url}: ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

const sessionIdOf = async (page: Page): Promise<string> =>
  (await (await page.waitForFunction(() => (window as unknown as { SessionReplay?: { getSessionId(): string | null } }).SessionReplay?.getSessionId())).jsonValue()) as string;

const flush = (page: Page) => page.evaluate(() => (window as unknown as { SessionReplay: { flush(): Promise<void> } }).SessionReplay.flush());

async function demoSession(page: Page, serverUrl: string): Promise<string> {
  await page.goto(`${serverUrl}/demo`);
  const id = await sessionIdOf(page);
  await page.fill('#name', 'Ada Lovelace');
  await page.fill('#email', 'ada@example.com');
  await page.fill('#password', 'correct horse');
  await page.selectOption('#plan', 'Team');
  await page.click('#signup button[type=submit]');
  for (const item of ['Apples', 'Pears', 'Bread', 'Cheese', 'Coffee']) {
    await page.fill('#item', item);
    await page.click('#add-item button[type=submit]');
  }
  await page.click('#call-api');
  await page.click('#fail');
  await page.mouse.wheel(0, 600);
  await page.waitForTimeout(500);
  return id;
}

async function todoSession(page: Page, siteUrl: string, minutes: number): Promise<string> {
  await page.clock.install({ time: Date.now() - (minutes + 2) * 60_000 });
  await page.goto(`${siteUrl}/todomvc/examples/vanillajs/index.html?recorder=ours`);
  const id = await sessionIdOf(page);
  for (let step = 0; step < (minutes * 60_000) / STEP_MS; step++) {
    for (let i = 0; i < 3; i++) await page.mouse.move(100 + ((step * 53 + i * 97) % 900), 100 + ((step * 31 + i * 41) % 500), { steps: 4 });
    if (step % 2 === 0) {
      await page.click('#new-todo');
      await page.keyboard.type(`Step ${step}: call the plumber about the kitchen`, { delay: KEY_DELAY_MS });
      await page.keyboard.press('Enter');
    }
    // The filter shown may hold nothing to tick.
    const toggle = page.locator('#todo-list li .toggle').first();
    if (step % 3 === 1 && (await toggle.count()) > 0) await toggle.click();
    if (step % 6 === 5) await page.click(`#filters a[href="${['#/active', '#/completed', '#/'][(step / 6) % 3 | 0]}"]`);
    if (step % 12 === 11 && (await page.locator('#clear-completed').isVisible())) await page.click('#clear-completed');
    await page.clock.runFor(STEP_MS);
  }
  return id;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const duration = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);

/** One row per recorded session: the file's size, and what it holds. */
export async function benchExportSize(quick: boolean): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-export-'));
  const server = await spawnBenchServer(['data', dataDir], BENCH_TOKEN);
  const serverUrl = `http://127.0.0.1:${server.port}`;
  const site = await startOverheadSite(serverUrl);
  const browser = await launchBrowser();
  const rows: Row[] = [];
  try {
    const cases: [string, (page: Page) => Promise<string>][] = [
      ['demo page', (page) => demoSession(page, serverUrl)],
      ...[10, 30].map((minutes): [string, (page: Page) => Promise<string>] => [
        `${quick ? minutes / 10 : minutes}-minute TodoMVC`,
        (page) => todoSession(page, site.url, quick ? minutes / 10 : minutes),
      ]),
    ];
    for (const [name, record] of cases) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const id = await record(page);
      await flush(page);
      await context.close();
      const session = JSON.parse(await apiText(server.port, `/api/sessions/${id}`)) as SessionSummary;
      const file = await apiBytes(server.port, `/api/sessions/${id}/export.html`);
      const events = await apiBytes(server.port, `/api/sessions/${id}/events`);
      rows.push({
        figure: `export.html, ${name} session`,
        median: mb(file.length),
        range: '',
        detail: `${session.eventCount} events over ${duration(session.lengthMs)}; stored ${kb(session.bytes)} gzip, events ${kb(events.length)} as JSON; the file zipped ${kb(gzipSync(file).length)}`,
      });
    }
  } finally {
    await browser.close();
    await site.close();
    await stopBenchServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
