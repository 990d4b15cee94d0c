/** Reads back what the server stored for a browser page: its sessions and their events. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { EventChunk, SessionPage, SessionSummary } from '../../shared/api';
import type { TestServer } from './server';

declare global {
  interface Window {
    SessionReplay: typeof import('../../recorder/index');
    pageViewAt: number;
  }
}

/** Waits until the snippet has started a session on `page`. */
export async function waitForRecorder(page: Page): Promise<string> {
  const handle = await page.waitForFunction(() => window.SessionReplay?.getSessionId());
  return (await handle.jsonValue()) as string;
}

/** The anonymous device id the snippet gave this browser context. */
export function deviceIdOf(page: Page): Promise<string> {
  return page.evaluate(() => localStorage.getItem('sr:device') ?? '');
}

/** The sessions of one device, oldest first. */
export async function sessionsOf(server: TestServer, deviceId: string): Promise<SessionSummary[]> {
  const res = await server.api(`/api/sessions?deviceId=${deviceId}&sort=startedAt&order=asc`);
  expect(res.status).toBe(200);
  return ((await res.json()) as SessionPage).sessions;
}

/** Every stored chunk of a session, in the API's order. */
export async function chunksOf(server: TestServer, sessionId: string): Promise<EventChunk[]> {
  const res = await server.api(`/api/sessions/${sessionId}/events`);
  expect(res.status).toBe(200);
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EventChunk);
}

/** All events of a session, flattened. */
export async function eventsOf(server: TestServer, sessionId: string): Promise<EventChunk['events']> {
  return (await chunksOf(server, sessionId)).flatMap((chunk) => chunk.events);
}

/**
 * Flushes until the server holds `text` in the session's events: the network plugin reports a
 * request once its timing entry exists, a little after the request ended.
 */
export async function flushUntilStored(page: Page, server: TestServer, sessionId: string, text: string): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.evaluate(() => window.SessionReplay.flush());
        return JSON.stringify(await eventsOf(server, sessionId));
      },
      { timeout: 10_000 },
    )
    .toContain(text);
}

/** Clicks #add after the session `previous` expired, checks a new session started, and flushes it. */
export async function clickIntoNewSession(page: Page, previous: string): Promise<string> {
  await page.click('#add');
  const next = await page.evaluate(() => window.SessionReplay.getSessionId());
  expect(next).not.toBeNull();
  expect(next).not.toBe(previous);
  await page.evaluate(() => window.SessionReplay.flush());
  return next as string;
}

/**
 * Waits until `bodies` (ingest POSTs a test collected from Playwright's request events) hold as
 * many batches as the server stored for the session: the recorder's worker sends them, and
 * Playwright reports a worker's requests from the worker's own target, in no order with the
 * page's evaluate (a flush may resolve before its request was reported).
 */
export async function untilRequestsSeen(server: TestServer, sessionId: string, bodies: readonly unknown[]): Promise<void> {
  const stored = (await chunksOf(server, sessionId)).length;
  await expect.poll(() => bodies.length).toBeGreaterThanOrEqual(stored);
}
