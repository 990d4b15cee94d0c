/**
 * Frustration signals on a real app: the TodoMVC React and VanillaJS examples (npm `todomvc`)
 * recorded by the snippet, with a user who clicks each todo's label once, empty areas of the
 * page, a todo's checkbox, the filters, and one label three times fast. Prints the signals the
 * server stored per example; the page clock is Playwright's, so the 7-s waits take no time.
 * Run: npx tsx bench/signalsTodoMvc.ts
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { CUSTOM_EVENT } from '../shared/constants';
import { DEAD_CLICK_MS, type SignalPayload } from '../shared/signals';
import { launchBrowser } from '../test/helpers/browser';
import { startOverheadSite } from './overheadSite';
import { spawnBenchServer, stopBenchServer } from './spawnServer';

const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const EXAMPLES = ['react', 'vanillajs'];
/** Empty spots of a 1280×720 window around TodoMVC's centred 550-px column. */
const EMPTY_SPOTS = [[60, 300], [1200, 150], [1100, 600], [640, 700], [200, 650]];
/** Between deliberate single clicks: no rage burst, and not long enough to be dead by itself. */
const PAUSE_MS = 2_000;

async function userSession(page: Page): Promise<string[]> {
  const clicks: string[] = [];
  await page.click('#new-todo');
  for (const todo of ['Buy milk', 'Call the plumber', 'Book flights']) {
    await page.keyboard.type(todo);
    await page.keyboard.press('Enter');
  }
  const labels = page.locator('#todo-list li label');
  for (let i = 0; i < 3; i++) {
    await labels.nth(i).click();
    clicks.push(`label ${i + 1}`);
    await page.clock.runFor(PAUSE_MS);
  }
  for (const [x, y] of EMPTY_SPOTS) {
    await page.mouse.click(x, y);
    clicks.push(`empty ${x},${y}`);
    await page.clock.runFor(PAUSE_MS);
  }
  await page.locator('#todo-list li .toggle').first().click();
  await page.clock.runFor(PAUSE_MS);
  await page.click('a[href="#/active"]');
  await page.clock.runFor(PAUSE_MS);
  await page.click('a[href="#/"]');
  await page.clock.runFor(PAUSE_MS);
  clicks.push('checkbox', 'filter Active', 'filter All');
  await labels.nth(2).click({ clickCount: 3 });
  clicks.push('label 3 ×3 fast');
  await page.clock.runFor(DEAD_CLICK_MS + 1_000);
  return clicks;
}

async function storedSignals(serverUrl: string, sessionId: string): Promise<SignalPayload[]> {
  const response = await fetch(`${serverUrl}/api/sessions/${sessionId}/events`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  return (await response.text())
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => (JSON.parse(line) as { events: { data?: { tag?: string; payload?: SignalPayload } }[] }).events)
    .filter((event) => event.data?.tag === CUSTOM_EVENT.signal)
    .map((event) => event.data!.payload!);
}

await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), mode: 'recorder', logLevel: 'silent' });
const server = await spawnBenchServer(['real'], ADMIN_TOKEN);
const serverUrl = `http://127.0.0.1:${server.port}`;
const site = await startOverheadSite(serverUrl);
const browser = await launchBrowser();
try {
  for (const example of EXAMPLES) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.clock.install({ time: Date.now() });
    await page.goto(`${site.url}/todomvc/examples/${example}/index.html?recorder=ours`);
    const sessionId = (await (await page.waitForFunction(() => window.SessionReplay?.getSessionId())).jsonValue()) as string;
    const clicks = await userSession(page);
    await page.evaluate(() => window.SessionReplay.flush());
    const signals = await storedSignals(serverUrl, sessionId);
    const count = (kind: string) => signals.filter((s) => s.kind === kind).length;
    console.log(`TodoMVC ${example}: ${clicks.length} click actions (${clicks.join(', ')})`);
    console.log(`  rage ${count('rage')} · dead ${count('dead')} · error ${count('error')}`);
    for (const s of signals) console.log(`  ${s.kind} on ${s.selector} “${s.label}”`);
    await page.close();
  }
} finally {
  await browser.close();
  await site.close();
  await stopBenchServer(server);
}
