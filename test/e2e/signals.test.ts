import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT } from '../../shared/constants';
import { DEAD_CLICK_MS, type SignalPayload } from '../../shared/signals';
import { openPlayer, screenshot } from '../helpers/player';
import { deviceIdOf, eventsOf, sessionsOf, waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const START = Date.parse('2026-11-30T10:00:00Z');

/**
 * Opens the fixture with the page's clock paused: time moves only by runFor, so a loaded
 * machine cannot stretch the 1 s between a click and its error.
 */
async function open(query = ''): Promise<{ page: Page; sessionId: string }> {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  await page.clock.install({ time: START });
  await page.goto(`${stack.site.url}/signals.html${query}`);
  const sessionId = await waitForRecorder(page);
  await page.clock.pauseAt(START + 10_000);
  return { page, sessionId };
}

/** Clicks `selector` five times, 100 ms apart. */
async function clickFiveTimesFast(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await page.click(selector);
    await page.clock.runFor(100);
  }
}

/** Lets the dead-click wait pass without sleeping. */
const passDeadClickWait = (page: Page) => page.clock.runFor(DEAD_CLICK_MS + 1_000);

/** The `$signal` payloads stored for a session, in recorded order. */
async function storedSignals(page: Page, sessionId: string): Promise<SignalPayload[]> {
  await page.evaluate(() => window.SessionReplay.flush());
  return (await eventsOf(stack.server, sessionId))
    .map((event) => event.data as { tag?: string; payload?: SignalPayload } | undefined)
    .filter((data) => data?.tag === CUSTOM_EVENT.signal)
    .map((data) => data!.payload!);
}

/** Where the replay's playhead is, in ms, as the controls report it. */
async function playheadMs(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid=clock]').getAttribute('data-ms'));
}

describe('frustration signals in a real browser', () => {
  /** The fixture's session and its signals' offsets on the replay's clock. */
  let fixture: { sessionId: string; offsets: number[] };
  /** The second test's session. */
  let masked: string;

  it('finds the rage, dead and error clicks of the fixture, and nothing on what works', async () => {
    const { page, sessionId } = await open();
    await page.click('#works');
    await clickFiveTimesFast(page, '#stars');
    // Seconds apart, so the replay test can jump between them.
    await page.clock.runFor(3_000);
    await page.click('#throws');
    await page.clock.runFor(3_000);
    await page.click('#para');
    await page.click('#field');
    await page.click('#nothing');
    await passDeadClickWait(page);
    // Each on its own: any DOM change or scroll on the page saves every click waiting before it.
    await page.click('#slow');
    await passDeadClickWait(page);
    await page.click('#anchor');
    await passDeadClickWait(page);

    const signals = await storedSignals(page, sessionId);
    expect(signals.map(({ kind, selector, label }) => ({ kind, selector, label }))).toEqual([
      { kind: 'rage', selector: 'span#stars', label: 'Rate us ★★★★★' },
      { kind: 'error', selector: 'button#throws', label: 'Pay now' },
      { kind: 'dead', selector: 'button#nothing', label: 'Apply coupon' },
    ]);
    // Console capture is off: the error is detected, its message not recorded.
    expect(signals[1].message).toBeUndefined();
    // Each signal is placed at its click, not when it became known (7 s later for a dead one).
    const clickTimes = signals.map((s) => s.at);
    expect(clickTimes).toEqual([...clickTimes].sort((a, b) => a - b));
    // The server counted them at ingest.
    const [session] = await sessionsOf(stack.server, await deviceIdOf(page));
    expect([session.rageClicks, session.deadClicks, session.errorClicks]).toEqual([1, 1, 1]);
    const firstTs = Math.min(...(await eventsOf(stack.server, sessionId)).map((e) => e.timestamp));
    fixture = { sessionId, offsets: clickTimes.map((t) => t - firstTs) };
    await page.context().close();
  });

  it('records error messages only with console capture, masks labels, spares new tabs, scrolls and checkboxes, and takes a pointer cursor as clickable', async () => {
    const { page, sessionId } = await open('?console=true&mask-text-selector=.private');
    await page.click('#throws');
    await page.clock.runFor(2_000);
    await page.click('#rejects');
    await expect.poll(() => page.evaluate(() => (window as { rejections?: number }).rejections)).toBe(1);
    await page.clock.runFor(2_000);
    const popup = page.context().waitForEvent('page');
    await page.click('#newtab');
    await (await popup).close();
    await page.click('#secret');
    await passDeadClickWait(page);
    // A div the page styled as clickable (cursor: pointer) whose click does nothing.
    await page.click('#card');
    await passDeadClickWait(page);
    // Not dead: a button whose only effect is a scroll, and a checkbox (its state, no DOM change).
    await page.click('#down');
    await passDeadClickWait(page);
    await page.evaluate(() => scrollTo(0, 0));
    await page.click('#agree');
    await passDeadClickWait(page);

    const signals = await storedSignals(page, sessionId);
    expect(signals.map(({ kind, selector, label, message }) => ({ kind, selector, label, message }))).toEqual([
      { kind: 'error', selector: 'button#throws', label: 'Pay now', message: 'payment widget crashed' },
      { kind: 'error', selector: 'button#rejects', label: 'Show offers', message: 'offers failed' },
      { kind: 'dead', selector: 'button#secret', label: '**** **** ******', message: undefined },
      { kind: 'dead', selector: 'div#card', label: 'Gift card', message: undefined },
    ]);
    const [session] = await sessionsOf(stack.server, await deviceIdOf(page));
    expect([session.rageClicks, session.deadClicks, session.errorClicks]).toEqual([0, 2, 2]);
    masked = sessionId;
    await page.context().close();
  });

  it('shows each signal in the replay: timeline markers, the side panel list, its jump and the N key', async () => {
    const page = await openPlayer(stack.browser, stack.server, `/sessions/${fixture.sessionId}?t=0`);
    const markers = page.locator('[data-testid=timeline] [data-kind=signal]');
    await expect.poll(() => markers.evaluateAll((m) => m.map((e) => e.getAttribute('data-signal'))), { timeout: 15_000 }).toEqual([
      'rage',
      'error',
      'dead',
    ]);
    await page.click('[data-tab=signals]');
    const entries = page.locator('[data-testid=signal-entries] li');
    expect(await entries.allTextContents()).toEqual([
      expect.stringContaining('Rage click on “Rate us ★★★★★”'),
      expect.stringContaining('Error click on “Pay now”'),
      expect.stringContaining('Dead click on “Apply coupon”'),
    ]);
    await screenshot(page, 'replay-signals.png');

    // Each jump lands 2 s before the signal, paused there.
    const [, errorAt, deadAt] = fixture.offsets.map((at) => Math.round(at - 2_000));
    await entries.nth(1).locator('button').click();
    await expect.poll(() => playheadMs(page)).toBe(errorAt);
    await page.keyboard.press('n');
    await expect.poll(() => playheadMs(page)).toBe(deadAt);
    await page.close();
  });

  it('shows the counts in the sessions table, filters by signal and gives the frustrated share', async () => {
    const page = await openPlayer(stack.browser, stack.server, '/?range=all&sort=frustration');
    const rows = page.locator('tr[data-session-id]');
    const rowIds = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-session-id')));
    // Both sessions of this file, the one with four signals first.
    await expect.poll(rowIds, { timeout: 15_000 }).toEqual([masked, fixture.sessionId]);
    expect(await rows.locator('td[data-col=frustration]').allTextContents()).toEqual(['2 dead · 2 error', '1 rage · 1 dead · 1 error']);
    expect(await page.locator('[data-testid=stat-frustrated]').textContent()).toBe('100%');
    await screenshot(page, 'sessions-signals.png');

    await page.selectOption('[data-testid=filter-signal]', 'rage');
    await expect.poll(rowIds).toEqual([fixture.sessionId]);
    expect(page.url()).toContain('signal=rage');
    await page.close();
  });
});
