/**
 * rrweb reads the DOM through the page's own prototypes when they are native, and through a
 * fresh hidden iframe's when the page patched them (build/rrwebRecordPatches.ts fixes which
 * Element members it checks): a page that patched nothing pays for no iframe, one that did
 * still gets it, and shadow DOM is recorded either way.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flushUntilStored, waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());
beforeEach(async () => {
  context = await stack.browser.newContext();
  page = await context.newPage();
});
afterEach(() => context.close());

/** Counts the iframes ever added to the page, also those removed at once (rrweb removes its own). */
async function countIframes(): Promise<void> {
  await page.addInitScript(() => {
    const seen = window as unknown as { iframesAdded: number };
    seen.iframesAdded = 0;
    new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) if (node.nodeName === 'IFRAME') seen.iframesAdded++;
    }).observe(document, { childList: true, subtree: true });
  });
}

/** Records a shadow root added after the start; resolves once the server stored its text. */
async function recordsShadowDom(sessionId: string): Promise<void> {
  await page.evaluate(() => {
    const host = document.createElement('div');
    host.attachShadow({ mode: 'open' }).innerHTML = '<p>inside the shadow root</p>';
    document.body.append(host);
  });
  await flushUntilStored(page, stack.server, sessionId, 'inside the shadow root');
}

const iframesAdded = () => page.evaluate(() => (window as unknown as { iframesAdded: number }).iframesAdded);

describe("the recorder's DOM access", () => {
  it('adds no iframe to a page that patched no DOM prototype', async () => {
    await countIframes();
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await recordsShadowDom(sessionId);
    expect(await iframesAdded()).toBe(0);
  });

  it("reads the DOM through a clean iframe's prototypes on a page that patched Element's querySelector", async () => {
    await countIframes();
    await page.addInitScript(() => {
      const native = Element.prototype.querySelector;
      Element.prototype.querySelector = function (this: Element, selectors: string) {
        return native.call(this, selectors);
      } as typeof native;
    });
    await page.goto(`${stack.site.url}/page.html`);
    const sessionId = await waitForRecorder(page);
    await recordsShadowDom(sessionId);
    expect(await iframesAdded()).toBeGreaterThan(0);
  });
});
