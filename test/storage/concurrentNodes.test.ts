/**
 * Two server nodes on one database (the same SQLite file, or the same PostgreSQL database)
 * take one batch each in turn, all at once, shuffled, some retried on the other node: every
 * session, statistic and recording must come out as one node storing them in order makes it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChunk, SessionPage, SessionStats } from '../../shared/api';
import type { IngestBatch } from '../../shared/wire';
import { clickEvent, makeBatch, metaEvent, mutationEvent, postIngest, T0 } from '../helpers/batches';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

const SESSIONS = 12;
const WINDOWS = 3;
const BATCHES_PER_WINDOW = 4;
const MIN = 60_000;
const NOW = T0 + 24 * 60 * MIN;
const SENT_AT = T0 + 23 * 60 * MIN;

/** A deterministic shuffle, so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Sessions of several windows, each window a page view then clicks minutes apart (idle gaps
 * over a minute, so active time and retroactive timeouts depend on every batch) and mutations.
 */
function recordedBatches(): IngestBatch[] {
  const batches: IngestBatch[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    const sessionId = randomUUID();
    const deviceId = randomUUID();
    const start = T0 + s * 37 * MIN;
    for (let w = 0; w < WINDOWS; w++) {
      const windowId = randomUUID();
      for (let seq = 0; seq < BATCHES_PER_WINDOW; seq++) {
        const t = start + w * 20_000 + seq * (s + 1) * 50_000;
        const events = [clickEvent(t), mutationEvent(t + 500), clickEvent(t + 1_500 + s * 100)];
        if (seq === 0) events.unshift(metaEvent(t, `https://shop.test/s${s}/w${w}`));
        batches.push(makeBatch({ sessionId, deviceId, windowId, seq, sentAt: SENT_AT, events }));
      }
    }
  }
  return batches;
}

const batches = recordedBatches();
let nodes: TestServer[];
let single: TestServer;

beforeAll(async () => {
  const dataDir = tempDataDir();
  const options = { dataDir, now: () => NOW, rateLimit: null };
  nodes = [await startServer(options), await startServer(options)];
  single = await startServer({ now: () => NOW, rateLimit: null });
});
afterAll(async () => {
  await Promise.all([...(nodes ?? []), single].filter(Boolean).map((server) => server.stop()));
});

async function read<T>(server: TestServer, path: string): Promise<T> {
  const res = await server.api(path);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function chunksOf(server: TestServer, sessionId: string): Promise<EventChunk[]> {
  const text = await (await server.api(`/api/sessions/${sessionId}/events`)).text();
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as EventChunk);
}

describe('two nodes storing the batches of the same sessions at once', () => {
  it('lose no update: sessions, statistics and recordings match one node storing them in order', async () => {
    const arrivals = shuffled(batches, 7);
    // A tenth are retried on the other node, as after a timeout the recorder sends a batch again.
    const retries = arrivals.filter((_, i) => i % 10 === 0);
    const answers = await Promise.all([
      ...arrivals.map((batch, i) => postIngest(nodes[i % 2].url, batch)),
      ...retries.map((batch, i) => postIngest(nodes[(i + 1) % 2].url, batch)),
    ]);
    expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200));
    const stored = await Promise.all(answers.map(async (res) => ((await res.json()) as { stored: boolean }).stored));
    expect(stored.filter(Boolean)).toHaveLength(batches.length);

    for (const batch of batches) expect((await postIngest(single.url, batch)).status).toBe(200);

    const list = '/api/sessions?limit=100&sort=length';
    const shared = await read<SessionPage>(nodes[0], list);
    expect(shared.total).toBe(SESSIONS);
    expect(await read<SessionPage>(nodes[1], list)).toEqual(shared);
    expect(shared).toEqual(await read<SessionPage>(single, list));
    for (const session of shared.sessions) {
      expect(session.windows).toBe(WINDOWS);
      expect(session.eventCount).toBe(WINDOWS * (BATCHES_PER_WINDOW * 3 + 1));
      expect(await chunksOf(nodes[1], session.id)).toEqual(await chunksOf(single, session.id));
    }

    for (const query of ['', `?timeoutMs=${2 * MIN}`, `?minLengthMs=${3 * MIN}`, '?buckets=pow2&tz=Asia/Kolkata']) {
      const stats = await read<SessionStats>(nodes[0], `/api/stats${query}`);
      expect(stats.count).toBeGreaterThan(0);
      expect(stats).toEqual(await read<SessionStats>(single, `/api/stats${query}`));
    }
  });
});
