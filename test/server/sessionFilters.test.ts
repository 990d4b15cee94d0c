import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionPage, SessionSummary } from '../../shared/api';
import { CUSTOM_EVENT, SESSION_TIMEOUT_MS } from '../../shared/constants';
import type { WireEvent } from '../../shared/wire';
import { clickEvent, makeBatch, metaEvent, postIngest } from '../helpers/batches';
import { startServer, type TestServer } from '../helpers/server';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const MIN = 60_000;
let server: TestServer;

const pageview = (t: number, href: string): WireEvent => ({
  type: 5,
  timestamp: t,
  data: { tag: CUSTOM_EVENT.pageview, payload: { href } },
});
const identify = (t: number, userId: string): WireEvent => ({
  type: 5,
  timestamp: t,
  data: { tag: CUSTOM_EVENT.identify, payload: { userId } },
});

const ids: Record<string, string> = {};

async function post(name: string, events: WireEvent[]): Promise<void> {
  const batch = makeBatch({ sentAt: NOW, events });
  ids[name] = batch.sessionId;
  expect((await postIngest(server.url, batch)).status).toBe(200);
}

async function list(query: string): Promise<SessionSummary[]> {
  const res = await server.api(`/api/sessions${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as SessionPage).sessions;
}
const idsOf = (sessions: SessionSummary[]) => sessions.map((s) => Object.keys(ids).find((k) => ids[k] === s.id));

beforeAll(async () => {
  server = await startServer({ now: () => NOW });
  const old = NOW - 3 * 3_600_000;
  // A shopper who moved from the home page to checkout with an SPA navigation, active in bursts.
  await post('checkout', [
    metaEvent(old, 'https://shop.test/'),
    ...[1, 2, 3, 4].map((s) => clickEvent(old + s * 1_000)),
    pageview(old + 60_000, 'https://shop.test/checkout?step=1'),
    clickEvent(old + 10 * MIN),
  ]);
  // A reader who stayed on one article, clicking every 4 s for a minute (active throughout).
  await post('article', [
    metaEvent(old + MIN, 'https://shop.test/blog/how-to'),
    ...Array.from({ length: 15 }, (_, i) => clickEvent(old + MIN + (i + 1) * 4_000)),
  ]);
  // Someone still on the site: last activity 10 minutes ago, so live under a 30-minute timeout.
  await post('live', [metaEvent(NOW - 12 * MIN, 'https://shop.test/'), clickEvent(NOW - 10 * MIN)]);
  // A user id that a spreadsheet would run as a formula, and a URL with a comma and a quote.
  await post('hostile', [metaEvent(old + 2 * MIN, 'https://shop.test/a,b"c'), identify(old + 2 * MIN + 1, '=HYPERLINK("x")')]);
});
afterAll(() => server.stop());

describe('listing filters', () => {
  it('url matches sessions that visited a page containing the text, SPA navigations included', async () => {
    expect(idsOf(await list('?url=/checkout'))).toEqual(['checkout']);
    expect(idsOf(await list('?url=shop.test/&sort=startedAt&order=asc'))).toEqual(['checkout', 'article', 'hostile', 'live']);
    expect(await list('?url=/nowhere')).toEqual([]);
    // The total counts within the time range too, not every session that visited the page.
    const recent = await (await server.api(`/api/sessions?url=shop.test/&from=${NOW - 60 * MIN}`)).json();
    expect([recent.total, idsOf(recent.sessions)]).toEqual([1, ['live']]);
  });

  it('url matches as well when its text is in more URLs than a query lists by id', async () => {
    const crawl = Array.from({ length: 501 }, (_, i) => pageview(NOW - 50 * MIN + i, `https://crawl.test/p${i}`));
    await post('crawler', [metaEvent(NOW - 50 * MIN, 'https://crawl.test/'), ...crawl]);
    const res = await server.api('/api/sessions?url=crawl.test/p');
    expect(await res.json()).toMatchObject({ total: 1, sessions: [{ id: ids.crawler }] });
    expect(idsOf(await list('?url=crawl.test/p&minLengthMs=1'))).toEqual(['crawler']);
    expect(idsOf(await list('?url=crawl.test/p5&minLengthMs=1'))).toEqual(['crawler']);
    await server.api(`/api/sessions/${ids.crawler}`, { method: 'DELETE' });
    delete ids.crawler;
  });

  it('status tells live sessions from concluded ones', async () => {
    expect(idsOf(await list('?status=live'))).toEqual(['live']);
    expect((await list('?status=concluded')).map((s) => s.status)).toEqual(['concluded', 'concluded', 'concluded']);
    const [live] = await list('?status=live');
    expect(Date.parse(live.endedAt) + SESSION_TIMEOUT_MS).toBeGreaterThan(NOW);
  });

  it('sorts by active time', async () => {
    const sessions = await list('?sort=activeTime');
    // The reader was active 60 s, the shopper 4 s (then idle gaps); the others' activities are
    // single moments more than ACTIVE_IDLE_MS apart.
    expect(sessions.map((s) => s.activeMs)).toEqual([60_000, 4_000, 0, 0]);
    expect(idsOf(sessions).slice(0, 2)).toEqual(['article', 'checkout']);
    expect(idsOf(await list('?sort=activeTime&order=asc')).slice(2)).toEqual(['checkout', 'article']);
  });

  it('forgets a deleted session’s pages', async () => {
    const batch = makeBatch({ sentAt: NOW, events: [metaEvent(NOW - 5 * MIN, 'https://shop.test/gone')] });
    await postIngest(server.url, batch);
    expect(await list('?url=/gone')).toHaveLength(1);
    await server.api(`/api/sessions/${batch.sessionId}`, { method: 'DELETE' });
    expect(await list('?url=/gone')).toEqual([]);
  });
});

describe('export', () => {
  it('streams every matching session as NDJSON, with the listing’s order and filters', async () => {
    const res = await server.api('/api/sessions.ndjson?sort=startedAt&order=asc&status=concluded');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const rows = (await res.text()).trim().split('\n').map((line) => JSON.parse(line) as SessionSummary);
    expect(idsOf(rows)).toEqual(['checkout', 'article', 'hostile']);
    expect(rows).toEqual(await list('?sort=startedAt&order=asc&status=concluded'));
  });

  it('pages through more sessions than one read holds', async () => {
    // The export reads EXPORT_PAGE_ROWS (1 000) sessions a query: 1 001 take a second read.
    const many = await startServer({ now: () => NOW });
    try {
      const count = 1_001;
      const senders = Array.from({ length: 16 }, async (_, sender) => {
        for (let i = sender; i < count; i += 16) {
          const batch = makeBatch({ sentAt: NOW, events: [metaEvent(NOW - 20 * MIN + i, 'https://shop.test/'), clickEvent(NOW - 20 * MIN + i + 1)] });
          expect((await postIngest(many.url, batch)).status).toBe(200);
        }
      });
      await Promise.all(senders);
      const res = await many.api('/api/sessions.ndjson?limit=1&sort=startedAt&order=asc');
      const rows = (await res.text()).trim().split('\n').map((line) => JSON.parse(line) as SessionSummary);
      expect(rows).toHaveLength(count);
      expect(new Set(rows.map((r) => r.id)).size).toBe(count);
      const starts = rows.map((r) => Date.parse(r.startedAt));
      expect(starts).toEqual(Array.from({ length: count }, (_, i) => NOW - 20 * MIN + i));
    } finally {
      await many.stop();
    }
  });

  it('writes CSV a spreadsheet reads as data, never as formulas', async () => {
    const res = await server.api('/api/sessions.csv?sort=startedAt&order=asc');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('sessions.csv');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,project,startedAt,endedAt,lengthMs,activeMs,userId,deviceId,pages,windows,entryUrl,exitUrl,eventCount,errorCount,rageClicks,deadClicks,errorClicks,status');
    expect(lines).toHaveLength(5);
    const hostile = lines.find((line) => line.startsWith(ids.hostile)) as string;
    expect(hostile).toContain(`"'=HYPERLINK(""x"")"`);
    expect(hostile).toContain('"https://shop.test/a,b""c"');
    const checkout = lines.find((line) => line.startsWith(ids.checkout)) as string;
    expect(checkout.split(',').slice(4, 6)).toEqual([String(10 * MIN), '4000']);
  });

  it('puts an apostrophe before every user id a spreadsheet would run: = + - @ tab and CR', async () => {
    const own = await startServer({ now: () => NOW });
    try {
      const userIds = ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\tcmd', '\rcmd', 'plain-1'];
      for (const [i, userId] of userIds.entries()) {
        const t = NOW - 20 * MIN + i * MIN;
        const batch = makeBatch({ sentAt: NOW, events: [metaEvent(t, 'https://shop.test/'), identify(t + 1, userId)] });
        expect((await postIngest(own.url, batch)).status).toBe(200);
      }
      const csv = await (await own.api('/api/sessions.csv?sort=startedAt&order=asc')).text();
      // RFC 4180: a cell holding a CR is quoted, so rows are split on CRLF outside quotes only.
      const rows = csv.trimEnd().split(/\r\n(?=(?:[^"]*"[^"]*")*[^"]*$)/).slice(1);
      const userColumn = 6;
      expect(rows.map((row) => row.split(',')[userColumn])).toEqual([
        "'=1+1",
        "'+1+1",
        "'-1+1",
        "'@SUM(A1)",
        "'\tcmd",
        '"\'\rcmd"',
        'plain-1',
      ]);
    } finally {
      await own.stop();
    }
  });

  it('refuses a bad filter before writing anything', async () => {
    const res = await server.api('/api/sessions.csv?status=sleeping');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('status');
  });

  it('needs the admin token like the rest of the read API', async () => {
    expect((await fetch(`${server.url}/api/sessions.csv`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/stats`)).status).toBe(401);
  });
});
