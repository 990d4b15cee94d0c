/** The page's own fetch calls, seen from inside the page: what the recorder's worker makes instead never shows here. */
import type { Page } from 'playwright-core';

/** Run before the page's scripts (`addInitScript`): keeps the URL of each call of the page's fetch. */
export function keepPageFetches(): void {
  const kept = window as unknown as { pageFetches: string[] };
  kept.pageFetches = [];
  const pageFetch = window.fetch;
  window.fetch = function (input, init) {
    kept.pageFetches.push(String(input instanceof Request ? input.url : input));
    return pageFetch.call(this, input, init);
  };
}

/** The URLs the page's fetch was called with since the page loaded (keepPageFetches). */
export const pageFetches = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { pageFetches: string[] }).pageFetches);
