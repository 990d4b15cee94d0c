import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStats } from '../../shared/api';
import { CONSOLE_PLUGIN, CUSTOM_EVENT } from '../../shared/constants';
import type { WireEvent } from '../../shared/wire';
import { clickEvent, makeBatch, metaEvent, postIngest } from '../helpers/batches';
import { startServer, type TestServer } from '../helpers/server';

const MIN = 60_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const at = (iso: string) => Date.parse(`${iso}Z`);

let server: TestServer;

/** Posts one session of `deviceId` with activity at the given times; sentAt = the server's now, so no skew. */
async function record(deviceId: string, times: number[], extra: WireEvent[] = []): Promise<string> {
  const batch = makeBatch({ deviceId, sentAt: NOW, events: [metaEvent(times[0]), ...times.slice(1).map(clickEvent), ...extra] });
  expect((await postIngest(server.url, batch)).status).toBe(200);
  return batch.sessionId;
}

async function stats(query = ''): Promise<SessionStats> {
  const res = await server.api(`/api/stats${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startServer({ now: () => NOW });
  // Device A: 2 min with an 18-minute idle gap inside (20 min long), then 40 minutes later a
  // 5-minute session. Device B: a bounce and a 45 s session. Device C: 90 s the next day,
  // at 23:50 UTC (the 21st in Kolkata).
  ids.gap = await record('A', [at('2026-11-20T10:00:00'), at('2026-11-20T10:02:00'), at('2026-11-20T10:20:00')]);
  ids.later = await record('A', [at('2026-11-20T11:00:00'), at('2026-11-20T11:05:00')]);
  ids.bounce = await record('B', [at('2026-11-20T14:07:00')]);
  ids.short = await record('B', [at('2026-11-20T16:00:00'), at('2026-11-20T16:00:45')]);
  ids.nextDay = await record('C', [at('2026-11-21T18:50:00'), at('2026-11-21T18:51:30')]);
});
afterAll(() => server.stop());

describe('GET /api/stats', () => {
  it('computes the figures by hand-checkable rules', async () => {
    // Lengths: 0, 45 s, 90 s, 5 min, 20 min.
    const s = await stats();
    expect(s).toMatchObject({
      count: 5,
      totalMs: 1_635_000,
      averageMs: 327_000,
      medianMs: 90_000,
      p90Ms: 840_000, // rank 3.6: 300 s + 0.6 × (1 200 s − 300 s)
      under1mShare: 0.4,
    });
    expect(s.distribution.filter((b) => b.count > 0).map((b) => [b.label, b.count])).toEqual([
      ['0 s', 1],
      ['30–60 s', 1],
      ['1–3 min', 1],
      ['3–10 min', 1],
      ['10–30 min', 1],
    ]);
    expect(s.perDay).toEqual([
      { day: '2026-11-20', sessions: 4, totalMs: 1_545_000, averageMs: 386_250 },
      { day: '2026-11-21', sessions: 1, totalMs: 90_000, averageMs: 90_000 },
    ]);
  });

  it('reads the same figures from its aggregates as from the sessions, for ranges cut mid-slot and length bounds', async () => {
    for (const [from, to] of [
      ['2026-11-20T10:00:00', '2026-11-22T00:00:00'],
      ['2026-11-20T10:01:00', '2026-11-21T18:50:30'],
      ['2026-11-20T14:06:59', '2026-11-20T14:07:01'],
      ['2026-11-19T00:00:00', '2026-11-20T11:00:00'],
    ]) {
      for (const bounds of ['', '&minLengthMs=40000', '&minLengthMs=45001&maxLengthMs=300000', '&maxLengthMs=90000']) {
        const query = `?from=${from}Z&to=${to}Z&tz=Asia/Kolkata${bounds}`;
        // Every session is concluded: status=concluded only sends the query down the per-session path.
        expect(await stats(query)).toEqual(await stats(`${query}&status=concluded`));
      }
    }
    // Both paths could agree and be wrong: the cut range's figures, by hand. It holds later (5 min),
    // bounce (0), short (45 s) and nextDay (90 s, which falls on the 22nd in Kolkata).
    const cut = '?from=2026-11-20T10:01:00Z&to=2026-11-21T18:50:30Z&tz=Asia/Kolkata';
    for (const query of [cut, `${cut}&status=concluded`]) {
      const s = await stats(query);
      expect(s).toMatchObject({ count: 4, totalMs: 435_000, averageMs: 108_750, medianMs: 67_500, p90Ms: 237_000, under1mShare: 0.5 });
      expect(s.distribution.filter((b) => b.count > 0).map((b) => [b.label, b.count])).toEqual([
        ['0 s', 1],
        ['30–60 s', 1],
        ['1–3 min', 1],
        ['3–10 min', 1],
      ]);
      expect(s.perDay).toEqual([
        { day: '2026-11-20', sessions: 3, totalMs: 345_000, averageMs: 115_000 },
        { day: '2026-11-21', sessions: 0, totalMs: 0, averageMs: null },
        { day: '2026-11-22', sessions: 1, totalMs: 90_000, averageMs: 90_000 },
      ]);
    }
  });

  it('counts days in the requested time zone and fills empty ones', async () => {
    const s = await stats(`?from=2026-11-20T00:00:00Z&to=2026-11-23T00:00:00Z&tz=Asia/Kolkata`);
    // The range ends at 05:30 on the 23rd in Kolkata, so the 23rd is listed too.
    expect(s.perDay.map((d) => [d.day, d.sessions])).toEqual([
      ['2026-11-20', 4],
      ['2026-11-21', 0],
      ['2026-11-22', 1],
      ['2026-11-23', 0],
    ]);
  });

  it('shows power-of-two buckets on request', async () => {
    const s = await stats('?buckets=pow2');
    expect(s.distribution).toEqual([{ label: '0–4096 s', fromMs: 0, toMs: 4_096_000, count: 5 }]);
  });

  it('recomputes under a shorter timeout: sessions split at their idle gaps', async () => {
    const s = await stats(`?timeoutMs=${10 * MIN}`);
    // The 20-minute session becomes 2 min and 0 min (the click at 10:20 alone).
    expect(s.count).toBe(6);
    expect(s.totalMs).toBe(1_635_000 - 18 * MIN);
  });

  it('recomputes under a longer timeout: consecutive sessions of a device merge', async () => {
    const s = await stats(`?timeoutMs=${45 * MIN}`);
    // Device A's sessions (10:00–10:20 and 11:00–11:05) become one of 65 min; B's stay apart (2 h).
    expect(s.count).toBe(4);
    expect(s.totalMs).toBe(65 * MIN + 45_000 + 90_000);
    const twoHours = await stats(`?timeoutMs=${120 * MIN}`);
    expect(twoHours.count).toBe(3);
  });

  it('leaves the stored sessions untouched by a retroactive timeout', async () => {
    await stats(`?timeoutMs=${10 * MIN}`);
    expect((await stats()).count).toBe(5);
  });

  it('filters like the listing', async () => {
    const s = await stats('?deviceId=B');
    expect([s.count, s.totalMs, s.medianMs]).toEqual([2, 45_000, 22_500]);
    expect((await stats('?maxLengthMs=60000')).count).toBe(2);
  });

  it('follows a session as it grows and when it is deleted', async () => {
    const id = await record('D', [at('2026-11-22T09:00:00')]);
    expect((await stats('?from=2026-11-22T00:00:00Z')).totalMs).toBe(0);
    const more = makeBatch({ sessionId: id, deviceId: 'D', seq: 1, sentAt: NOW, events: [clickEvent(at('2026-11-22T09:04:00'))] });
    expect((await postIngest(server.url, more)).status).toBe(200);
    const grown = await stats('?from=2026-11-22T00:00:00Z');
    expect([grown.count, grown.totalMs]).toEqual([1, 4 * MIN]);
    expect(grown).toEqual(await stats('?from=2026-11-22T00:00:00Z&status=concluded'));
    expect((await server.api(`/api/sessions/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await stats('?from=2026-11-22T00:00:00Z')).count).toBe(0);
  });

  it('says which parameter is wrong', async () => {
    for (const [query, field] of [
      ['?tz=Mars/Olympus', 'tz'],
      ['?timeoutMs=1000', 'timeoutMs'],
      ['?buckets=fibonacci', 'buckets'],
      ['?from=soon', 'from'],
    ]) {
      const res = await server.api(`/api/stats${query}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain(field);
    }
  });
});

describe('listing totals', () => {
  it('match the rows listed, for length bounds that cut through buckets and ranges cut mid-slot', async () => {
    const error: WireEvent = { type: 6, timestamp: at('2026-11-20T16:00:10'), data: { plugin: CONSOLE_PLUGIN, payload: { level: 'error' } } };
    await record('F', [at('2026-11-20T16:00:00'), at('2026-11-20T16:00:44')], [error]);
    // Lengths: gap 20 min, later 5 min, nextDay 90 s, short 45 s, F 44 s (with an error), bounce 0.
    const expected: [string, number[]][] = [
      ['minLengthMs=44999', [1_200_000, 300_000, 90_000, 45_000]],
      ['minLengthMs=45000', [1_200_000, 300_000, 90_000, 45_000]],
      ['minLengthMs=45001', [1_200_000, 300_000, 90_000]],
      ['maxLengthMs=89999', [45_000, 44_000, 0]],
      ['maxLengthMs=90000', [90_000, 45_000, 44_000, 0]],
      ['minLengthMs=1&maxLengthMs=300000', [300_000, 90_000, 45_000, 44_000]],
      // gap starts at 10:00, before the range: out, although it lasts into it.
      ['minLengthMs=60000&from=2026-11-20T10:01:00Z&to=2026-11-21T18:50:30Z', [300_000, 90_000]],
      ['maxLengthMs=0', [0]],
      ['hasErrors=true', [44_000]],
      ['hasErrors=true&from=2026-11-20T12:00:00Z&to=2026-11-21T00:00:00Z', [44_000]],
      ['hasErrors=true&from=2026-11-20T00:00:00Z&to=2026-11-20T12:00:00Z', []],
    ];
    for (const [query, lengths] of expected) {
      const page = await (await server.api(`/api/sessions?limit=500&${query}`)).json();
      const listed = page.sessions.map((s: { lengthMs: number }) => s.lengthMs);
      expect([query, page.total, listed]).toEqual([query, lengths.length, lengths]);
    }
  });
});

describe('track() and identify()', () => {
  it('are stored with the session', async () => {
    const t = at('2026-11-19T08:00:00');
    const id = await record('E', [t, t + 1_000], [
      { type: 5, timestamp: t + 10, data: { tag: CUSTOM_EVENT.identify, payload: { userId: 'ada', traits: { plan: 'pro' } } } },
      { type: 5, timestamp: t + 20, data: { tag: CUSTOM_EVENT.track, payload: { name: 'signup', props: {} } } },
    ]);
    const session = await (await server.api(`/api/sessions/${id}`)).json();
    expect([session.userId, session.userTraits]).toEqual(['ada', { plan: 'pro' }]);
    const page = await (await server.api('/api/sessions?event=signup')).json();
    expect(page.sessions.map((s: { id: string }) => s.id)).toEqual([id]);
  });
});
