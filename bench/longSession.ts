/**
 * A 60-minute session of a real page, recorded once into the temp dir (keyed by the schema) and
 * reused: the customer fixture test/fixtures/page.html with the real snippet, sending to the real
 * server, in real Chromium whose clock Playwright drives. Every 10 s of page time the pointer
 * moves; every 30 s a click adds a row, every minute a few letters are typed, every 40 s the page
 * scrolls, so the session stays one session for the whole hour.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { EventChunk, SessionPage } from '../shared/api';
import { launchBrowser } from '../test/helpers/browser';
import { startSite } from '../test/helpers/sitePage';
import { schemaDigest } from './schemaDigest';
import { spawnBenchServer } from './spawnServer';

export const BENCH_TOKEN = 'bench-admin-token-0123456789';
const STEP_MS = 10_000;
export const SESSION_MINUTES = 60;

export interface LongSession {
  dataDir: string;
  sessionId: string;
  /** Recorded, not generated: how long the recording took, or null when reused. */
  recordedMs: number | null;
}

/** GET on the bench server's read API, as text. */
export function apiText(port: number, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ port, host: '127.0.0.1', path: url, headers: { Authorization: `Bearer ${BENCH_TOKEN}` } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(parts).toString('utf8')) : reject(new Error(`${url}: ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

/** Every stored chunk of a session, in the API's order. */
export async function chunksOf(port: number, sessionId: string): Promise<EventChunk[]> {
  return (await apiText(port, `/api/sessions/${sessionId}/events`))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EventChunk);
}

async function record(dataDir: string): Promise<string> {
  const { port, child } = await spawnBenchServer(['data', dataDir], BENCH_TOKEN);
  const site = await startSite(`http://127.0.0.1:${port}`);
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    // An hour in the past, so the session ends about now on the server's clock too.
    await page.clock.install({ time: Date.now() - (SESSION_MINUTES + 2) * 60_000 });
    await page.goto(`${site.url}/page.html`);
    const handle = await page.waitForFunction(() => (window as unknown as { SessionReplay?: { getSessionId(): string | null } }).SessionReplay?.getSessionId());
    const sessionId = (await handle.jsonValue()) as string;
    const steps = (SESSION_MINUTES * 60_000) / STEP_MS;
    for (let step = 0; step < steps; step++) {
      for (let i = 0; i < 4; i++) await page.mouse.move(100 + ((step * 53 + i * 97) % 1000), 100 + ((step * 31 + i * 41) % 600), { steps: 3 });
      if (step % 3 === 0) await page.click('#add');
      if (step % 6 === 1) {
        if (step % 30 === 1) await page.fill('#name', '');
        await page.locator('#name').pressSequentially(`step ${step} `);
      }
      if (step % 4 === 2) await page.mouse.wheel(0, step % 8 === 2 ? 400 : -400);
      await page.clock.runFor(STEP_MS);
    }
    await page.evaluate(() => (window as unknown as { SessionReplay: { flush(): Promise<void> } }).SessionReplay.flush());
    await context.close();
    const sessions = (JSON.parse(await apiText(port, '/api/sessions?sort=startedAt&order=asc')) as SessionPage).sessions;
    if (sessions.length !== 1) throw new Error(`expected one recorded session, got ${sessions.length}`);
    if (sessions[0].lengthMs < (SESSION_MINUTES - 1) * 60_000) throw new Error(`recorded session is only ${sessions[0].lengthMs} ms long`);
    return sessionId;
  } finally {
    await browser.close();
    await site.close();
    child.kill();
  }
}

/** The recorded hour, recorded now or reused from an earlier run. */
export async function longSession(): Promise<LongSession> {
  const dataDir = path.join(os.tmpdir(), `replay-bench-hour-${schemaDigest()}`);
  const done = path.join(dataDir, 'complete');
  if (fs.existsSync(done)) return { dataDir, sessionId: fs.readFileSync(done, 'utf8'), recordedMs: null };
  fs.rmSync(dataDir, { recursive: true, force: true });
  const start = performance.now();
  const sessionId = await record(dataDir);
  fs.writeFileSync(done, sessionId);
  return { dataDir, sessionId, recordedMs: performance.now() - start };
}

