/**
 * Replay speed on the recorded hour (bench/longSession.ts), in the real player served by the
 * real server in its own process, in real Chromium, each run in a fresh browser context:
 * - first frame: from the navigation to /sessions/:id until the replay frame shows the
 *   recorded page;
 * - seek at 30 and 59 min: from pressing the pointer on the timeline (the replay paused, the
 *   whole recording loaded) until the replayed DOM holds as many rows as the recording had
 *   clicks by the moment the playhead landed on;
 * - deep link: from the navigation to /sessions/:id?t=<59 min> until that moment's rows show.
 * Times are read inside the page at each animation frame, so they are what a viewer would wait for.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../test/helpers/browser';
import { BENCH_TOKEN, chunksOf, longSession } from './longSession';
import { spawnBenchServer } from './spawnServer';
import { median, type Row } from './stats';

declare global {
  interface Window {
    /** [performance.now(), rows in the replayed page (-1 before it shows)] at each change. */
    replayLog: [number, number][];
    /** performance.now() when the pointer last went down on the page. */
    pressedAt: number;
  }
}

/**
 * Logs, at every animation frame, how many rows the replayed page holds, from the page's start.
 * A string, since tsx would wrap a compiled function's inner names in a helper the page lacks.
 */
const WATCH_REPLAY = `
  window.replayLog = [];
  let last = -2;
  const tick = () => {
    const doc = document.querySelector('#player iframe')?.contentDocument;
    const rows = doc?.getElementById('title') ? doc.querySelectorAll('#rows li').length : -1;
    if (rows !== last) window.replayLog.push([performance.now(), rows]);
    last = rows;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

/** When, after `from` (performance.now()), the replayed page first showed `rows` rows (any rows when null). */
async function shownAt(page: Page, from: number, rows: number | null, timeoutMs = 30_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const log = await page.evaluate(() => window.replayLog);
    const hit = log.find(([at, n]) => at >= from && (rows === null ? n >= 0 : n === rows));
    if (hit) return hit[0] - from;
    if (Date.now() > end) throw new Error(`replay never showed ${rows ?? 'the page'}: ${JSON.stringify(log.slice(-5))}`);
    await page.waitForTimeout(50);
  }
}

/** Rows the replayed page holds at `ms` on the replay's clock: one per click up to then. */
function rowsAt(clicks: readonly number[], ms: number): number {
  return clicks.filter((c) => c <= ms).length;
}

async function signedInPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript({ content: WATCH_REPLAY });
  const page = await context.newPage();
  page.on('close', () => void context.close().catch(() => undefined));
  await page.goto(`${url}/login?token=${BENCH_TOKEN}&next=/healthz`);
  return page;
}

/** Seeks by a click on the timeline at `targetMs`; returns the wait and where the playhead landed. */
async function seek(page: Page, targetMs: number, durationMs: number, clicks: readonly number[]): Promise<number> {
  const box = (await page.locator('[data-testid=timeline]').boundingBox())!;
  const x = box.x + (box.width * targetMs) / durationMs;
  await page.evaluate(() => {
    window.pressedAt = NaN;
    document.addEventListener('pointerdown', () => (window.pressedAt = performance.now()), { capture: true, once: true });
  });
  await page.mouse.click(x, box.y + box.height / 2);
  const from = await page.evaluate(() => window.pressedAt);
  let landed = NaN;
  const end = Date.now() + 10_000;
  while (!(Math.abs(landed - targetMs) < durationMs / 100) && Date.now() < end) {
    landed = Number(await page.locator('[data-testid=clock]').getAttribute('data-ms'));
  }
  if (!(Math.abs(landed - targetMs) < durationMs / 100)) throw new Error(`seek to ${targetMs} landed at ${landed}`);
  return shownAt(page, from, rowsAt(clicks, landed));
}

/** A moment halfway between two clicks near `ms`, so a pixel either way on the timeline shows the same rows. */
function between(clicks: readonly number[], ms: number): number {
  const next = clicks.findIndex((c) => c > ms);
  return (clicks[next - 1] + clicks[next]) / 2;
}

function row(figure: string, values: number[], goal: string, detail: string): Row {
  return {
    figure,
    median: `${median(values).toFixed(0)} ms`,
    range: `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`,
    detail,
    goal,
  };
}

export async function benchReplay(runs: number): Promise<Row[]> {
  const { dataDir, sessionId, recordedMs } = await longSession();
  const { port, child } = await spawnBenchServer(['data', dataDir], BENCH_TOKEN);
  const browser = await launchBrowser();
  try {
    const chunks = await chunksOf(port, sessionId);
    const firstWindow = chunks.filter((c) => c.windowId === chunks[0].windowId).flatMap((c) => c.events);
    const start = Math.min(...firstWindow.map((e) => e.timestamp));
    const durationMs = Math.max(...firstWindow.map((e) => e.timestamp)) - start;
    const clicks = firstWindow
      .filter((e) => {
        const data = e.data as { source?: number; type?: number } | undefined;
        return e.type === 3 && data?.source === 2 && data.type === 2;
      })
      .map((e) => e.timestamp - start)
      .sort((a, b) => a - b);
    const at30 = between(clicks, 30 * 60_000);
    const at59 = between(clicks, 59 * 60_000);
    const url = `http://127.0.0.1:${port}`;
    const times = { first: [] as number[], seek30: [] as number[], seek59: [] as number[], link: [] as number[] };
    for (let i = 0; i < runs; i++) {
      const page = await signedInPage(browser, url);
      await page.goto(`${url}/sessions/${sessionId}`);
      times.first.push(await shownAt(page, 0, null));
      // The viewer seeks once the recording is in: the whole hour loaded, the replay paused.
      await page.waitForLoadState('networkidle');
      if ((await page.locator('[data-testid=play]').getAttribute('data-state')) !== 'paused') await page.keyboard.press('Space');
      times.seek30.push(await seek(page, at30, durationMs, clicks));
      times.seek59.push(await seek(page, at59, durationMs, clicks));
      await page.goto(`${url}/sessions/${sessionId}?t=${Math.floor(at59 / 100) / 10}`);
      times.link.push(await shownAt(page, 0, rowsAt(clicks, at59)));
      await page.close();
    }
    const events = chunks.reduce((n, c) => n + c.events.length, 0);
    const about = `${(durationMs / 60_000).toFixed(1)} min, ${chunks.length} chunks, ${events} events, ${clicks.length} clicks; ${runs} runs${recordedMs === null ? '' : `, recorded in ${(recordedMs / 1000).toFixed(0)} s`}`;
    return [
      row('replay 60 min: open → first frame', times.first, '< 1 s', about),
      row('replay 60 min: seek to 30 min (timeline)', times.seek30, '< 300 ms', `click → rows of ${(at30 / 60_000).toFixed(1)} min shown, replay paused`),
      row('replay 60 min: seek to 59 min (timeline)', times.seek59, '< 300 ms', `click → rows of ${(at59 / 60_000).toFixed(1)} min shown`),
      row('replay 60 min: open ?t=59 min → that moment', times.link, '< 1 s', 'navigation → rows of that moment shown'),
    ];
  } finally {
    await browser.close();
    child.kill();
  }
}
