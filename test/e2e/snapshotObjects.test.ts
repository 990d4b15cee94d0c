/**
 * The serialised nodes rrweb hands the recorder stay ordinary (fast-mode) objects in V8, so the
 * JSON.stringify that writes each full snapshot and added node takes its fast path: rrweb as
 * published deletes a key of every element node, which puts it in dictionary mode and made that
 * stringify twice as slow (build/rrwebRecordPatches.ts). Chromium runs with V8's natives syntax
 * here, to ask V8 itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ browserArgs: ['--js-flags=--allow-natives-syntax'] });
});
afterAll(() => stack?.stop());

/** Before any script of the page: counts the element nodes of the first full snapshot the recorder stringifies, and those V8 keeps in dictionary mode. */
const COUNT_SLOW_NODES = `
  const hasFastProperties = new Function('o', 'return %HasFastProperties(o)');
  const stringify = JSON.stringify;
  window.snapshotElements = null;
  JSON.stringify = function (value, ...rest) {
    if (window.snapshotElements === null && value && value.type === 2 && value.data && value.data.node) {
      const counts = { elements: 0, slow: 0 };
      const visit = (node) => {
        if (node.type === 2) {
          counts.elements++;
          if (!hasFastProperties(node)) counts.slow++;
        }
        (node.childNodes || []).forEach(visit);
      };
      visit(value.data.node);
      window.snapshotElements = counts;
    }
    return stringify.call(this, value, ...rest);
  };
`;

describe('the full snapshot the recorder serialises', () => {
  it('is made of fast-mode objects: no element node in dictionary mode', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(COUNT_SLOW_NODES);
    await page.goto(`${stack.site.url}/page.html`);
    await waitForRecorder(page);
    await page.waitForFunction(() => (window as unknown as { snapshotElements: unknown }).snapshotElements !== null);
    const counts = await page.evaluate(() => (window as unknown as { snapshotElements: { elements: number; slow: number } }).snapshotElements);
    await context.close();
    expect(counts.elements).toBeGreaterThan(5);
    expect(counts.slow).toBe(0);
  });
});
