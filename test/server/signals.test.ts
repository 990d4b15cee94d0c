import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionPage, SessionStats, SessionSummary } from '../../shared/api';
import { CUSTOM_EVENT } from '../../shared/constants';
import type { SignalKind } from '../../shared/signals';
import type { WireEvent } from '../../shared/wire';
import { clickEvent, makeBatch, metaEvent, postIngest } from '../helpers/batches';
import { startServer, type TestServer } from '../helpers/server';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const OLD = NOW - 3 * 3_600_000;
const S = 1_000;
let server: TestServer;

/** A `$signal` event recorded at `recordedAt` for a click at `at` (a dead click is known 7 s later). */
const signal = (kind: SignalKind, at: number, recordedAt = at): WireEvent => ({
  type: 5,
  timestamp: recordedAt,
  data: { tag: CUSTOM_EVENT.signal, payload: { kind, at, selector: 'button#pay', label: 'Pay' } },
});
const clicks = (...seconds: number[]) => seconds.map((s) => clickEvent(OLD + s * S));

/**
 * Six sessions, each on its own device, starting at OLD; lengths and signals by hand:
 * name       length    rage dead error
 * rageDead   2 s       1    1    0
 * errors     3 s       0    0    3
 * calm       20 s      0    0    0
 * dead       1 s       0    1    0
 * calm2      30 s      0    0    0
 * split      10 min 20 s, idle 10 min in the middle, its rage click after the idle stretch
 */
const SESSIONS: Record<string, WireEvent[]> = {
  rageDead: [...clicks(1, 2), signal('rage', OLD + 1 * S), signal('dead', OLD + 2 * S, OLD + 9 * S)],
  errors: [...clicks(1, 2, 3), signal('error', OLD + 1 * S), signal('error', OLD + 2 * S), signal('error', OLD + 3 * S)],
  calm: clicks(1, 20),
  dead: [...clicks(1), signal('dead', OLD + 1 * S, OLD + 8 * S)],
  calm2: clicks(30),
  split: [...clicks(1, 10, 610, 620), signal('rage', OLD + 610 * S)],
};
const ids: Record<string, string> = {};

async function json<T>(path: string): Promise<T> {
  const res = await server.api(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}
const list = async (query: string) => (await json<SessionPage>(`/api/sessions${query}`)).sessions;
const names = (sessions: SessionSummary[]) => sessions.map((s) => Object.keys(ids).find((name) => ids[name] === s.id));
const byName = (sessions: SessionSummary[]) => Object.fromEntries(sessions.map((s, i) => [names(sessions)[i], s]));

beforeAll(async () => {
  server = await startServer({ now: () => NOW });
  for (const [name, events] of Object.entries(SESSIONS)) {
    const batch = makeBatch({ sentAt: NOW, events: [metaEvent(OLD), ...events] });
    ids[name] = batch.sessionId;
    expect((await postIngest(server.url, batch)).status).toBe(200);
  }
});
afterAll(() => server.stop());

describe('frustration signals over HTTP', () => {
  it('counts each kind on every session, in the list and the detail', async () => {
    const sessions = byName(await list('?limit=10'));
    const counts = (s: SessionSummary) => [s.rageClicks, s.deadClicks, s.errorClicks];
    expect(Object.fromEntries(Object.entries(sessions).map(([name, s]) => [name, counts(s as SessionSummary)]))).toEqual({
      rageDead: [1, 1, 0],
      errors: [0, 0, 3],
      calm: [0, 0, 0],
      dead: [0, 1, 0],
      calm2: [0, 0, 0],
      split: [1, 0, 0],
    });
    expect(await json<SessionSummary>(`/api/sessions/${ids.errors}`)).toMatchObject({ rageClicks: 0, deadClicks: 0, errorClicks: 3 });
  });

  it('adds up the counts of a session sent in several batches', async () => {
    const first = makeBatch({ sentAt: NOW, events: [metaEvent(OLD), ...clicks(1, 2), signal('rage', OLD + S)] });
    const second = { ...first, seq: 1, events: [signal('dead', OLD + 2 * S, OLD + 9 * S), signal('rage', OLD + 2 * S)] };
    for (const batch of [first, second, second]) expect((await postIngest(server.url, batch)).status).toBe(200);
    expect(await json<SessionSummary>(`/api/sessions/${first.sessionId}`)).toMatchObject({ rageClicks: 2, deadClicks: 1, errorClicks: 0 });
    // Not one of the six: later tests count those alone.
    expect((await server.api(`/api/sessions/${first.sessionId}`, { method: 'DELETE' })).status).toBe(204);
  });

  it.each([
    ['rage', ['rageDead', 'split']],
    ['dead', ['rageDead', 'dead']],
    ['error', ['errors']],
    ['error,rage', ['errors', 'rageDead', 'split']],
    ['rage,dead,error', ['errors', 'rageDead', 'split', 'dead']],
  ])('signal=%s keeps the sessions with any of them', async (signalParam, expected) => {
    const page = await json<SessionPage>(`/api/sessions?signal=${signalParam}&sort=frustration`);
    expect(names(page.sessions).sort()).toEqual([...expected].sort());
    expect(page.total).toBe(expected.length);
  });

  it('sorts by frustration (the sum of the three), both ways and across pages', async () => {
    const desc = await list('?sort=frustration&limit=10');
    expect(desc.map((s) => s.rageClicks + s.deadClicks + s.errorClicks)).toEqual([3, 2, 1, 1, 0, 0]);
    expect(names(desc).slice(0, 2)).toEqual(['errors', 'rageDead']);
    const asc = await list('?sort=frustration&order=asc&limit=10');
    expect(asc.map((s) => s.id)).toEqual(desc.map((s) => s.id).reverse());

    const paged: SessionSummary[] = [];
    let cursor = '';
    do {
      const page = await json<SessionPage>(`/api/sessions?sort=frustration&limit=2${cursor}`);
      paged.push(...page.sessions);
      cursor = page.nextCursor ? `&cursor=${encodeURIComponent(page.nextCursor)}` : '';
    } while (cursor);
    expect(paged.map((s) => s.id)).toEqual(desc.map((s) => s.id));
  });

  it.each([
    ['', 6, 4 / 6],
    ['?minLengthMs=3000', 4, 2 / 4],
    ['?signal=dead', 2, 1],
    ['?hasErrors=true', 0, null],
    // Under a 5-minute timeout the split session is two, only the second frustrated.
    ['?timeoutMs=300000', 7, 4 / 7],
    ['?timeoutMs=1800000', 6, 4 / 6],
    ['?timeoutMs=300000&minLengthMs=3000', 5, 2 / 5],
  ])('stats%s: frustratedShare as counted by hand', async (query, count, share) => {
    const stats = await json<SessionStats>(`/api/stats${query}`);
    expect(stats.count).toBe(count);
    if (share === null) expect(stats.frustratedShare).toBeNull();
    else expect(stats.frustratedShare).toBeCloseTo(share, 10);
  });

  it('exports the counts in NDJSON and CSV', async () => {
    const ndjson = (await (await server.api('/api/sessions.ndjson?signal=error')).text()).trim().split('\n');
    expect(ndjson.map((line) => JSON.parse(line) as SessionSummary)).toMatchObject([{ id: ids.errors, errorClicks: 3 }]);
    const [header, row] = (await (await server.api('/api/sessions.csv?signal=error')).text()).trim().split('\r\n');
    const cells = Object.fromEntries(header.split(',').map((column, i) => [column, row.split(',')[i]]));
    expect(cells).toMatchObject({ id: ids.errors, rageClicks: '0', deadClicks: '0', errorClicks: '3' });
  });

  it.each(['signal=sad', 'signal=', 'signal=rage,,dead', 'sort=frustrations'])('refuses %s with a 400 naming it', async (query) => {
    const res = await server.api(`/api/sessions?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_query');
    expect(body.error.message).toContain(query.split('=')[0]);
  });

  it('are in the OpenAPI document: signal with its pattern, frustration among the sorts', async () => {
    const document = await json<{ paths: Record<string, { get: { parameters: { name: string; schema: { pattern?: string; enum?: string[] } }[] } }> }>(
      '/api/openapi.json',
    );
    for (const path of ['/api/sessions', '/api/sessions.csv', '/api/stats']) {
      const signalParam = document.paths[path].get.parameters.find((p) => p.name === 'signal');
      expect(signalParam?.schema.pattern, path).toBe('^(rage|dead|error)(,(rage|dead|error))*$');
    }
    const sort = document.paths['/api/sessions'].get.parameters.find((p) => p.name === 'sort');
    expect(sort?.schema.enum).toContain('frustration');
  });
});
