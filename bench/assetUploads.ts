/**
 * Bytes a page's captured assets cost (data-capture-assets, default `styles`): the TodoMVC React
 * and VanillaJS examples, recorded by our snippet into a real server (in this process). A first
 * visit uploads the stylesheets and what they use; a later visit from another browser only asks
 * which hashes the server lacks; a reload in the same browser asks nothing (remembered hashes).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { configWith } from '../server/config';
import { openServer } from '../server/openServer';
import { CUSTOM_EVENT } from '../shared/constants';
import { launchBrowser } from '../test/helpers/browser';
import { startOverheadSite } from './overheadSite';
import { median, type Row } from './stats';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const PAGES = [
  { name: 'TodoMVC React', path: '/todomvc/examples/react/index.html' },
  { name: 'TodoMVC VanillaJS', path: '/todomvc/examples/vanillajs/index.html' },
];

interface Traffic {
  /** Hashes uploaded. */
  uploaded: string[];
  /** Bytes of the "which do you lack" and server-fetch requests. */
  askBytes: number;
}

/** Counts the asset requests `page` sends. */
function watchAssetTraffic(page: Page): Traffic {
  const traffic: Traffic = { uploaded: [], askBytes: 0 };
  page.on('request', (request) => {
    if (!request.url().includes('/api/assets/')) return;
    // The browser does not report a Blob body's size: an upload's bytes are those stored under its hash.
    if (request.method() === 'PUT') traffic.uploaded.push(new URL(request.url()).pathname.split('/').pop() ?? '');
    else if (request.method() === 'POST') traffic.askBytes += request.postDataBuffer()?.length ?? 0;
  });
  return traffic;
}

async function storedBytes(serverUrl: string, hashes: readonly string[]): Promise<number> {
  let total = 0;
  for (const hash of hashes) {
    const response = await fetch(`${serverUrl}/api/assets/${hash}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    total += (await response.arrayBuffer()).byteLength;
  }
  return total;
}

async function assetsRecorded(serverUrl: string, sessionId: string): Promise<number> {
  const response = await fetch(`${serverUrl}/api/sessions/${sessionId}/events`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!response.ok) return 0;
  let count = 0;
  for (const line of (await response.text()).split('\n').filter(Boolean)) {
    for (const event of (JSON.parse(line) as { events: Array<{ type: number; data: { tag?: string; payload?: { assets: object } } }> }).events) {
      if (event.type === 5 && event.data.tag === CUSTOM_EVENT.assets) count += Object.keys(event.data.payload?.assets ?? {}).length;
    }
  }
  return count;
}

/** One visit of `url` in `page`: waits until its asset map is stored. */
async function visit(page: Page, url: string, serverUrl: string): Promise<{ traffic: Traffic; assets: number; uploadBytes: number }> {
  const traffic = watchAssetTraffic(page);
  await page.goto(url);
  const sessionId = (await (await page.waitForFunction(() => window.SessionReplay?.getSessionId())).jsonValue()) as string;
  const deadline = Date.now() + 20_000;
  let assets = 0;
  while (Date.now() < deadline && assets === 0) {
    await page.waitForTimeout(500);
    await page.evaluate(() => window.SessionReplay.flush());
    assets = await assetsRecorded(serverUrl, sessionId);
  }
  return { traffic, assets, uploadBytes: await storedBytes(serverUrl, traffic.uploaded) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Rounds of the script-time comparison. */
const SCRIPT_TIME_ROUNDS = 5;
/** Long enough for the idle-time capture, its questions and the $assets event (TodoMVC: well under 1 s). */
const SETTLE_MS = 3_000;

/**
 * Main-thread script time of a page view from load until SETTLE_MS later, with the snippet
 * capturing its assets or told not to (`data-capture-assets="none"` set on its tag), in
 * alternating fresh contexts: what the capture costs the page.
 */
async function captureScriptTimeMs(browser: Browser, url: string, capture: boolean): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (!capture) {
    // The snippet is deferred: its tag is in the DOM, and can be told, before it runs.
    await page.addInitScript(() => {
      new MutationObserver(() => document.querySelector('script[data-project]')?.setAttribute('data-capture-assets', 'none')).observe(document, {
        childList: true,
        subtree: true,
      });
    });
  }
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url);
  await page.waitForFunction(() => window.SessionReplay?.getSessionId());
  await page.waitForTimeout(SETTLE_MS);
  const { metrics } = await cdp.send('Performance.getMetrics');
  await context.close();
  return (metrics.find((metric) => metric.name === 'ScriptDuration')?.value ?? 0) * 1_000;
}

/** First, later and repeat visits of each page. */
export async function benchAssetUploads(): Promise<Row[]> {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), mode: 'recorder', logLevel: 'silent' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-assets-'));
  const replay = await openServer(configWith({ dataDir, adminToken: ADMIN_TOKEN, rateLimit: null, retentionDays: 0, logLevel: 'warn' }));
  const listening = replay.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listening.once('listening', resolve));
  const serverUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  const site = await startOverheadSite(serverUrl);
  const browser: Browser = await launchBrowser();
  const rows: Row[] = [];
  try {
    for (const { name, path: pagePath } of PAGES) {
      const url = `${site.url}${pagePath}?recorder=ours`;
      const first = await browser.newContext();
      const firstPage = await first.newPage();
      const firstVisit = await visit(firstPage, url, serverUrl);
      const repeat = await visit(firstPage, url, serverUrl);
      await first.close();
      const other = await browser.newContext();
      const later = await visit(await other.newPage(), url, serverUrl);
      await other.close();
      const describe = ({ traffic }: { traffic: Traffic }) => `${traffic.uploaded.length} uploads; ${kb(traffic.askBytes)} of questions to the server`;
      const withCapture: number[] = [];
      const without: number[] = [];
      for (let round = 0; round < SCRIPT_TIME_ROUNDS; round++) {
        without.push(await captureScriptTimeMs(browser, url, false));
        withCapture.push(await captureScriptTimeMs(browser, url, true));
      }
      const added = median(withCapture) - median(without);
      rows.push(
        {
          figure: `${name}: page-load script time the capture adds`,
          median: `${added.toFixed(1)} ms`,
          range: '',
          detail: `median of ${SCRIPT_TIME_ROUNDS} alternating page views each, load + ${SETTLE_MS / 1_000} s: with capture ${median(withCapture).toFixed(1)} ms (${Math.min(...withCapture).toFixed(1)}–${Math.max(...withCapture).toFixed(1)}), without ${median(without).toFixed(1)} ms (${Math.min(...without).toFixed(1)}–${Math.max(...without).toFixed(1)})`,
        },
        { figure: `${name}: assets uploaded, first visit`, median: kb(firstVisit.uploadBytes), range: '', detail: `${firstVisit.assets} assets mapped; ${describe(firstVisit)}` },
        { figure: `${name}: assets uploaded, later visit (other browser)`, median: kb(later.uploadBytes), range: '', detail: describe(later) },
        { figure: `${name}: assets uploaded, reload (same browser)`, median: kb(repeat.uploadBytes), range: '', detail: describe(repeat) },
      );
    }
  } finally {
    await browser.close();
    await site.close();
    listening.close();
    await replay.close();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { printTable } = await import('./stats');
  printTable(await benchAssetUploads());
}
