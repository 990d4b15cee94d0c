import { describe, expect, it } from 'vitest';
import { toSummary, type SessionRow } from '../../server/storage/queries/sessionRows';

const at = (hhmm: string) => Date.parse(`2026-11-23T${hhmm}:00Z`);
const TIMEOUT_MS = 20 * 60_000; // CleverTap's 20 minutes

// CleverTap's example: activity at 11:00 and 11:10, nothing after.
const row: SessionRow = {
  id: 'id',
  project: 'demo',
  device_id: 'device',
  user_id: null,
  user_traits: null,
  user_agent: null,
  timeout_ms: TIMEOUT_MS,
  length_ms: at('11:10') - at('11:00'),
  started_at: at('11:00'),
  ended_at: at('11:10'),
  active_ms: 0,
  event_count: 2,
  error_count: 0,
  dropped_batches: 0,
  bytes: 100,
  pages: 1,
  windows: 1,
  entry_url: null,
  exit_url: null,
  rage_clicks: 0,
  dead_clicks: 0,
  error_clicks: 0,
  frustration: 0,
};

describe('session status', () => {
  it.each([
    ['11:15', 'live'],
    ['11:30', 'live'], // exactly the timeout after the last activity: not yet past it
    ['11:31', 'concluded'],
  ])('at %s the session is %s', (now, status) => {
    expect(toSummary(row, at(now)).status).toBe(status);
  });

  it('a concluded session is 600 s long and ends at its last activity, not when the timeout ran out', () => {
    const summary = toSummary(row, at('12:00'));
    expect(summary).toMatchObject({ status: 'concluded', lengthMs: 600_000, endedAt: '2026-11-23T11:10:00.000Z' });
  });
});
