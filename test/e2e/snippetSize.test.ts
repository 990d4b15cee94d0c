/**
 * What the snippet costs a site: every file a page with the real snippet downloads from the
 * replay server (recorder.js and whichever chunks it loads), measured as the server sends it
 * gzip. The size is deterministic, so the budget is a test; speed is in bench/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

/** The budgets of issue 14, in bytes of gzip on the wire. */
const DEFAULT_BUDGET_BYTES = 30 * 1024;
const CONSOLE_NETWORK_BUDGET_BYTES = 36 * 1024;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** The replay server's static files a page with `query` (data-* options) downloads, with their gzip sizes. */
async function downloads(query: string): Promise<{ path: string; gzipBytes: number }[]> {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const paths: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === stack.server.url && !url.pathname.startsWith('/api/')) paths.push(url.pathname);
  });
  await page.goto(`${stack.site.url}/page.html${query}`);
  await waitForRecorder(page);
  await page.evaluate(() => window.SessionReplay.flush());
  await context.close();
  return Promise.all(
    paths.map(async (path) => {
      const response = await fetch(stack.server.url + path, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(response.headers.get('content-encoding')).toBe('gzip');
      return { path, gzipBytes: Number(response.headers.get('content-length')) };
    }),
  );
}

const total = (files: { gzipBytes: number }[]) => files.reduce((sum, file) => sum + file.gzipBytes, 0);

describe('what a page with the snippet downloads from the replay server', () => {
  it(`is recorder.js alone by default, at most ${DEFAULT_BUDGET_BYTES / 1024} KB gzip`, async () => {
    const files = await downloads('');
    expect(files.map((f) => f.path)).toEqual(['/recorder.js']);
    expect(total(files)).toBeLessThanOrEqual(DEFAULT_BUDGET_BYTES);
  });

  it(`adds the console and network chunks when asked, at most ${CONSOLE_NETWORK_BUDGET_BYTES / 1024} KB gzip in all`, async () => {
    const files = await downloads('?console=true&network=true');
    expect(files).toHaveLength(3);
    expect(files.filter((f) => /^\/chunks\/[\w-]+\.js$/.test(f.path))).toHaveLength(2);
    expect(total(files)).toBeLessThanOrEqual(CONSOLE_NETWORK_BUDGET_BYTES);
  });
});
