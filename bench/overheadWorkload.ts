/**
 * The scripted user of the overhead benchmark: the same keys, clicks, mouse paths and scrolls
 * on every run, so the three recorder modes see identical work. `scale` shortens it for --quick.
 */
import type { Page } from 'playwright-core';

/** Typing speed of a quick typist: every key is its own input event, as in real use. */
const KEY_DELAY_MS = 15;

/** A zigzag over the viewport in small steps, as a hand moving the mouse would make. */
async function mousePath(page: Page, passes: number): Promise<void> {
  for (let pass = 0; pass < passes; pass++) {
    for (const [x, y] of [[100, 120], [900, 200], [200, 420], [1000, 560], [400, 700]]) {
      await page.mouse.move(x + pass * 10, y, { steps: 15 });
    }
  }
}

async function scroll(page: Page, steps: number, pixels: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel(0, pixels);
    await page.waitForTimeout(40);
  }
}

/** TodoMVC (same markup in every example): add, toggle, edit, filter, scroll, delete, clear. */
export async function todoWorkload(page: Page, scale: number): Promise<void> {
  const items = Math.round(20 * scale);
  await page.click('#new-todo');
  for (let i = 0; i < items; i++) {
    await page.keyboard.type(`Item ${i}: call the plumber about the kitchen`, { delay: KEY_DELAY_MS });
    await page.keyboard.press('Enter');
  }
  await mousePath(page, 2);
  for (let i = 0; i < items; i += 3) await page.locator('#todo-list li .toggle').nth(i).click();
  for (const i of [1, 4]) {
    await page.locator('#todo-list li label').nth(i).dblclick();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`Edited item ${i}`, { delay: KEY_DELAY_MS });
    await page.keyboard.press('Enter');
  }
  for (const filter of ['#/active', '#/completed', '#/']) await page.click(`#filters a[href="${filter}"]`);
  await scroll(page, 8, 200);
  await scroll(page, 8, -200);
  for (let i = 0; i < Math.round(5 * scale); i++) {
    const item = page.locator('#todo-list li').first();
    await item.hover();
    // Dispatched: the button shows only while hovered, and a busy machine may lose the hover.
    await item.locator('.destroy').dispatchEvent('click');
  }
  if (await page.locator('#clear-completed').isVisible()) await page.click('#clear-completed');
  await mousePath(page, 1);
}

/** bench/pages/heavy.html: select rows, type into the inputs, filter the table, scroll it; then its updates end. */
export async function heavyWorkload(page: Page, scale: number): Promise<void> {
  await mousePath(page, 2);
  for (let i = 0; i < 10; i++) await page.locator('#rows tr').nth(i * 2).click();
  await page.click('#title');
  await page.keyboard.type('Quarterly review of late orders and refunds, '.repeat(Math.max(1, Math.round(2 * scale))), { delay: KEY_DELAY_MS });
  await page.click('#notes');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nFollow up with the customer about the delayed parcel. '.repeat(Math.max(1, Math.round(6 * scale))), { delay: KEY_DELAY_MS });
  await page.click('#filter');
  await page.keyboard.type('99', { delay: 200 });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await scroll(page, Math.round(20 * scale), 600);
  await mousePath(page, 1);
  await scroll(page, Math.round(20 * scale), -600);
  await page.waitForSelector('body[data-updates-done]');
}

/** bench/pages/large.html (60 000 nodes): open cards, search (hiding thousands of cards, then showing them), scroll. */
export async function largeWorkload(page: Page, scale: number): Promise<void> {
  await mousePath(page, 2);
  for (let i = 0; i < Math.round(10 * scale); i++) await page.locator('#cards button').nth(i * 7).click();
  await page.click('#search');
  await page.keyboard.type('Item 12', { delay: 120 });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await scroll(page, Math.round(30 * scale), 800);
  await mousePath(page, 1);
  await scroll(page, Math.round(30 * scale), -800);
}

/** `workload` repeated until it has run for `minutes` (at least once): a steady-state recording. */
export function forMinutes(workload: (page: Page, scale: number) => Promise<void>, minutes: number) {
  return async (page: Page, scale: number): Promise<void> => {
    const end = Date.now() + minutes * 60_000;
    do await workload(page, scale);
    while (Date.now() < end);
  };
}
