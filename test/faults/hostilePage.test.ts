/**
 * A hostile recorded page: its scripts, inline handlers and javascript: links must not run in
 * the player, HTML in a user id or a console message must show as text, and a password typed
 * into it (even once a "show password" button made the field plain text) must not be
 * anywhere in the database file, raw or inflated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../server/storage/sqlite/sqliteDriver';
import { openPlayer } from '../helpers/player';
import { eventsOf, waitForRecorder } from '../helpers/recordedSession';
import { startStack, type Stack } from '../helpers/stack';

const PASSWORD = 'Sup3r-Secret-Pa55';
let stack: Stack;
let sessionId: string;
let userHtml: string;
let consoleHtml: string;
const pwned = () => stack.site.requests.filter((r) => r.startsWith('/pwned'));

/** Polls `check` until it holds (expect.poll is for tests only, this runs in beforeAll). */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  stack = await startStack();
  const { site } = stack;
  userHtml = `<img src=x onerror="fetch('${site.url}/pwned?user-id')">evil-user`;
  consoleHtml = `<b>bold</b><img src=x onerror="fetch('${site.url}/pwned?console')">console-html`;
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  // The harshest settings a site can choose: masking off, console and network capture on.
  await page.goto(`${site.url}/hostile.html?mask-inputs=false&console=true&network=true`);
  sessionId = await waitForRecorder(page);
  await page.evaluate(([user, message]) => {
    window.SessionReplay.identify(user);
    console.log(message);
  }, [userHtml, consoleHtml]);
  await page.locator('#user').pressSequentially('jane');
  await page.locator('#password').pressSequentially(PASSWORD);
  await page.click('#show');
  await page.locator('#password').pressSequentially('XY');
  await page.click('#submit');
  // The live page runs its handlers: the detectors work.
  await page.click('#handler');
  await page.click('#js-link');
  await page.hover('#hover');
  await until(() => pwned().length >= 5);
  // The network plugin reports the login request a moment after it ends.
  await until(async () => {
    await page.evaluate(() => window.SessionReplay.flush());
    return JSON.stringify(await eventsOf(stack.server, sessionId)).includes('login-endpoint');
  });
  await context.close();
});
afterAll(() => stack?.stop());

describe('a password typed on a recorded page', () => {
  it('is nowhere in the database file, raw or in the inflated recordings', async () => {
    const file = path.join(stack.server.dataDir, DATABASE_FILE);
    for (const part of [file, `${file}-wal`]) {
      if (fs.existsSync(part)) expect(fs.readFileSync(part).includes(PASSWORD), part).toBe(false);
    }
    const db = new Database(file, { readonly: true });
    const chunks = db.prepare('SELECT data FROM chunks WHERE session_id = ?').pluck().all(sessionId) as Buffer[];
    const everything = db.prepare('SELECT data FROM chunks').pluck().all() as Buffer[];
    db.close();
    expect(chunks.length).toBeGreaterThan(0);
    const inflated = everything.map((data) => gunzipSync(data).toString('utf8')).join('\n');
    // Masking is off: what the user typed elsewhere is there, so the search would find it.
    expect(inflated).toContain('jane');
    expect(inflated).not.toContain(PASSWORD);
    expect(inflated).not.toContain('Pa55');
  });
});

describe('replaying the hostile page', () => {
  it('runs none of its scripts, handlers or javascript: links, and shows HTML as text', async () => {
    const before = pwned().length;
    const page = await openPlayer(stack.browser, stack.server, `/sessions/${sessionId}`);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const frame = page.frameLocator('#player iframe');
    await expect.poll(() => frame.locator('#title').textContent(), { timeout: 15_000 }).toBe('Sign in to the hostile site');
    await frame.locator('#handler').dispatchEvent('click');
    await frame.locator('#js-link').dispatchEvent('click');
    await frame.locator('#hover').dispatchEvent('mouseover');
    await frame.locator('#broken').dispatchEvent('error');

    await expect.poll(() => page.locator('[data-testid=user]').textContent()).toContain(userHtml);
    expect(await page.locator('[data-testid=user] img').count()).toBe(0);
    await page.click('[data-tab=console]');
    const consoleEntries = page.locator('[data-testid=console-entries]');
    await expect.poll(() => consoleEntries.textContent()).toContain('<b>bold</b>');
    expect(await consoleEntries.locator('b, img').count()).toBe(0);

    await page.waitForTimeout(1_000);
    expect(pwned().slice(before)).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);
    await page.close();
  });
});
