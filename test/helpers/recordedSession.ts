/** Reads back what the server stored for a browser page: its sessions and their events. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { EventChunk, SessionPage, SessionSummary } from '../../shared/api';

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
export async function sessionsOf(serverUrl: string, deviceId: string): Promise<SessionSummary[]> {
  const res = await fetch(`${serverUrl}/api/sessions?deviceId=${deviceId}&sort=startedAt&order=asc`);
  expect(res.status).toBe(200);
  return ((await res.json()) as SessionPage).sessions;
}

/** Every stored chunk of a session, in the API's order. */
export async function chunksOf(serverUrl: string, sessionId: string): Promise<EventChunk[]> {
  const res = await fetch(`${serverUrl}/api/sessions/${sessionId}/events`);
  expect(res.status).toBe(200);
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EventChunk);
}

/** All events of a session, flattened. */
export async function eventsOf(serverUrl: string, sessionId: string): Promise<EventChunk['events']> {
  return (await chunksOf(serverUrl, sessionId)).flatMap((chunk) => chunk.events);
}
