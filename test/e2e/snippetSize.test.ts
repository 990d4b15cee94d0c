/**
 * What the snippet costs a site: every file a page with the real snippet downloads from the
 * replay server over its life — while it loads, and after: a click, typing, a scroll, the
 * browser idle (when the recorder starts its deferred work, such as the asset capture) —
 * measured as the server sends it, gzip. Only recorder.js may load while the page loads. The
 * size is deterministic, so the budget is a test; speed is in bench/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

/** The budgets of issue 14, in bytes of gzip on the wire, for all a page downloads. */
const DEFAULT_BUDGET_BYTES = 30 * 1024;
const CONSOLE_NETWORK_BUDGET_BYTES = 36 * 1024;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

interface Download {
  path: string;
  gzipBytes: number;
  /** Requested once the page's load event had ended. */
  afterLoad: boolean;
}

/**
 * The replay server's static files the fixture `page` with `query` (data-* options) downloads,
 * with their gzip sizes, through a short life: a click, typing and a scroll, then the browser
 * idle twice after its load (the recorder's deferred work runs at the first idle time) and a flush.
 */
async function downloads(query: string, page = 'page.html'): Promise<Download[]> {
  const context = await stack.browser.newContext();
  const tab = await context.newPage();
  const paths: string[] = [];
  tab.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === stack.server.url && !url.pathname.startsWith('/api/')) paths.push(url.pathname);
  });
  await tab.goto(`${stack.site.url}/${page}${query}`);
  await waitForRecorder(tab);
  await tab.click('#add');
  await tab.fill('#name', 'Ada');
  await tab.mouse.wheel(0, 600);
  const idleTwice = () =>
    new Promise<void>((resolve) => {
      const idle = () => requestIdleCallback(() => requestIdleCallback(() => resolve()));
      if (document.readyState === 'complete') idle();
      else addEventListener('load', idle, { once: true });
    });
  await tab.evaluate(idleTwice);
  await tab.evaluate(() => window.SessionReplay.flush());
  const afterLoad = await tab.evaluate(() => {
    const loaded = (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd;
    return performance
      .getEntriesByType('resource')
      .filter((entry) => entry.startTime >= loaded)
      .map((entry) => new URL(entry.name).pathname);
  });
  await context.close();
  return Promise.all(
    paths.map(async (path) => {
      const response = await fetch(stack.server.url + path, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(response.headers.get('content-encoding')).toBe('gzip');
      return { path, gzipBytes: Number(response.headers.get('content-length')), afterLoad: afterLoad.includes(path) };
    }),
  );
}

const total = (files: { gzipBytes: number }[]) => files.reduce((sum, file) => sum + file.gzipBytes, 0);

describe('what a page with the snippet downloads from the replay server', () => {
  it(`is recorder.js while the page loads, and at most ${DEFAULT_BUDGET_BYTES / 1024} KB gzip in all over its life by default`, async () => {
    const files = await downloads('');
    expect(files.filter((f) => !f.afterLoad).map((f) => f.path)).toEqual(['/recorder.js']);
    // A small page's full snapshot is written whole: the sliced writer's chunk is not fetched.
    expect(files.filter((f) => f.path.includes('slicedJson'))).toEqual([]);
    expect(total(files)).toBeLessThanOrEqual(DEFAULT_BUDGET_BYTES);
  });

  it('is at most as much on a page of over 2 000 elements, whose full snapshot is written in slices by a chunk of its own', async () => {
    const files = await downloads('', 'large.html');
    expect(files.filter((f) => !f.afterLoad).map((f) => f.path)).toEqual(['/recorder.js']);
    expect(files.filter((f) => /^\/chunks\/slicedJson-[\w-]+\.js$/.test(f.path))).toHaveLength(1);
    expect(total(files)).toBeLessThanOrEqual(DEFAULT_BUDGET_BYTES);
  });

  it(`adds the console and network chunks when asked, at most ${CONSOLE_NETWORK_BUDGET_BYTES / 1024} KB gzip in all`, async () => {
    const files = await downloads('?console=true&network=true');
    expect(files.filter((f) => /^\/chunks\/[\w-]+\.js$/.test(f.path))).toHaveLength(2);
    expect(total(files)).toBeLessThanOrEqual(CONSOLE_NETWORK_BUDGET_BYTES);
  });
});
