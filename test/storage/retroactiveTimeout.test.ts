/**
 * A retroactive timeout re-splits only the sessions it changes (those with a close neighbour or
 * a long idle gap, found from the gaps ingest keeps): its statistics must be those of
 * re-splitting every session, for any timeout, range, project and bucket set, also after
 * sessions arrived out of order, grew late, and were deleted; and both ways of finding them
 * (from the gap indexes when few, walking every session when many) must find the same.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SessionFilters } from '../../shared/api';
import { MAX_SESSION_MS } from '../../shared/constants';
import { summarizeBatch } from '../../shared/summarizeBatch';
import type { WireEvent } from '../../shared/wire';
import { resplitAll, resplitChanged } from '../../server/stats/retroactive';
import { buildStats } from '../../server/stats/sessionStats';
import { openSqlDriver } from '../../server/storage/openSqlDriver';
import { Aggregates } from '../../server/storage/queries/aggregates';
import { timeoutChanges } from '../../server/storage/queries/timeoutChanges';
import type { SqlDriver } from '../../server/storage/sql';
import { CHANGED_STRIDE, type BatchRecord, type Storage, type TimeoutChanges } from '../../server/storage/storage';
import { clickEvent, metaEvent, T0 } from '../helpers/batches';
import { createDatabase } from '../helpers/postgres';
import { random } from '../helpers/random';
import { backend, startServer, tempDataDir, type TestServer } from '../helpers/server';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const NOW = T0 + 30 * 24 * HOUR;

function batch(project: string, deviceId: string, sessionId: string, seq: number, times: number[], offsetMs: number, signal: boolean): BatchRecord {
  const events: WireEvent[] = times.map((t, i) => (i === 0 && seq === 0 ? metaEvent(t) : clickEvent(t)));
  const summary = summarizeBatch(events);
  if (signal) {
    summary.signals = { rage: 1, dead: 0, error: 0 };
    summary.signalTimes = [times[times.length - 1]];
  }
  return {
    project,
    sessionId,
    windowId: `${sessionId}-w`,
    deviceId,
    seq,
    sessionTimeoutMs: 30 * MIN,
    userAgent: null,
    receivedAt: NOW,
    clockOffsetMs: offsetMs,
    summary,
    recording: { gzip: gzipSync(JSON.stringify({ events })) },
    eventsRead: true,
    droppedBatches: 0,
  };
}

/**
 * Sessions of a few devices: gaps between them from overlapping to a day, lengths from a bounce
 * to hours, idle gaps inside some, signals in some; three devices' sessions chained over more
 * than a day (the longest session splits them). Each session is a few batches of activity.
 */
function recorded(): { batches: BatchRecord[]; ids: string[]; starts: { startedAt: number; offset: number }[] } {
  const rand = random(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const batches: BatchRecord[] = [];
  const ids: string[] = [];
  const starts: { startedAt: number; offset: number }[] = [];
  for (let d = 0; d < 10; d++) {
    const project = d === 7 ? 'other' : 'demo';
    // Devices 8 and 9 chain sessions without idle gaps, and with one late in each: the longest
    // session splits their chains at a session's first activity, and inside a session.
    const chained = d === 6 || d >= 8;
    let t = T0 + Math.round(rand() * 3 * HOUR);
    for (let s = 0; s < (chained ? 40 : 14); s++) {
      const id = `s-${d}-${s}`;
      ids.push(id);
      const offset = Math.round((rand() - 0.5) * 6 * SEC);
      starts.push({ startedAt: t + offset, offset });
      const length = d === 9 ? 3 * HOUR : chained ? 50 * MIN : pick([0, 0, 2 * SEC, 40 * SEC, 3 * MIN, 14 * MIN, 50 * MIN, 3 * HOUR]);
      // Activity every 50 s, but for one idle gap in some.
      const idle = d === 9 ? 12 * MIN : d !== 8 && length >= 14 * MIN && rand() < 0.4 ? pick([2 * MIN, 9 * MIN, 12 * MIN]) : 0;
      const idleAt = d === 9 ? t + 150 * MIN : t + Math.round((length - idle) / 2);
      const times = [t];
      for (let at = t + 50 * SEC; at < t + length; at += 50 * SEC) times.push(at < idleAt || at >= idleAt + idle ? at : idleAt + idle);
      if (length > 0) times.push(t + length);
      const signal = length > 0 && rand() < 0.3;
      // Device 5's sessions come in one batch each, so its last batch is a session stored before the others.
      const split = d === 5 ? times.length : Math.ceil(times.length / 2);
      batches.push(batch(project, `device-${d}`, id, 0, times.slice(0, split), offset, false));
      if (times.length > split) batches.push(batch(project, `device-${d}`, id, 1, times.slice(split), offset, signal));
      const gap = chained ? 8 * MIN : pick([-4 * MIN, 30 * SEC, 5 * MIN, 11 * MIN, 40 * MIN, 2 * HOUR, 7 * HOUR, 26 * HOUR, 50 * HOUR]);
      t = Math.max(t + Math.max(length + gap, 0), T0);
    }
  }
  // The first devices' batches in order, as they usually come; device 5's in reverse order; the
  // others' shuffled: sessions created out of order, and some growing after later ones exist.
  const device = (b: BatchRecord) => Number(b.deviceId.slice(7));
  const inOrder = batches.filter((b) => device(b) < 4);
  const reversed = batches.filter((b) => device(b) === 5).reverse();
  const shuffled = batches.filter((b) => device(b) === 4 || device(b) > 5);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return { batches: [...inOrder, ...reversed, ...shuffled], ids, starts };
}

const TIMEOUTS = [MIN, 2 * MIN, 10 * MIN, 12 * MIN, 30 * MIN, 45 * MIN, 2 * HOUR, 7 * HOUR, 20 * HOUR, 24 * HOUR];
const RANGES: SessionFilters[] = [
  {},
  { project: 'demo' },
  { from: T0 + 3 * HOUR + 7 * MIN, to: T0 + 40 * HOUR + 61 * SEC },
  { project: 'demo', from: T0 + 26 * HOUR, to: T0 + 20 * 24 * HOUR + 13 * MIN },
];

/**
 * A range from one session's start to another's on the server's clock, both with a clock offset
 * ahead: the first is in, the second out, and either would go the other way on the client's clock.
 */
function startsRange(starts: { startedAt: number; offset: number }[]): SessionFilters {
  const ahead = starts.filter(({ offset }) => offset > 0).sort((a, b) => a.startedAt - b.startedAt);
  return { from: ahead[Math.floor(ahead.length / 4)].startedAt, to: ahead[Math.floor((ahead.length * 3) / 4)].startedAt };
}

/** How many sessions with a close neighbour make timeoutChanges walk every session: always, never. */
const WAYS = { walk: 0, indexes: Number.MAX_SAFE_INTEGER };

/** The changed sessions device by device, in a fixed order of devices, with the sessions in full. */
function changedSessions(changes: TimeoutChanges) {
  const devices = changes.changed.map((device) => ({ sessions: device.sessions, recorded: device.recorded() }));
  return devices.sort((a, b) => a.recorded[0].key.localeCompare(b.recorded[0].key));
}

/**
 * Both ways' statistics for every timeout, range and bucket set; the sessions found by walking
 * every session equal those found from the gap indexes, in the same order.
 */
async function compare(storage: Storage): Promise<void> {
  const aggregates = new Aggregates(driver);
  for (const filters of [...RANGES, boundaries]) {
    for (const timeoutMs of TIMEOUTS) {
      const rules = { timeoutMs, maxSessionMs: MAX_SESSION_MS };
      const changes = await storage.timeoutChanges(filters, rules);
      expect(changes).not.toBeNull();
      if (!changes) return;
      const walked = await timeoutChanges(driver, aggregates, filters, rules, WAYS.walk);
      const indexed = await timeoutChanges(driver, aggregates, filters, rules, WAYS.indexes);
      expect({ filters, timeoutMs, changed: changedSessions(walked) }).toEqual({ filters, timeoutMs, changed: changedSessions(indexed) });
      const all = resplitAll(await storage.recordedSessions(filters, NOW), rules, filters);
      for (const options of [
        { buckets: 'default', tz: 'UTC' },
        { buckets: 'pow2', tz: 'Europe/Paris' },
      ] as const) {
        const expected = await buildStats(all.source, { ...options, ...filters }, all.frustrated);
        for (const [way, found] of [['storage', changes], ['walk', walked]] as const) {
          const fast = resplitChanged(found, rules, filters);
          const actual = await buildStats(fast.source, { ...options, ...filters }, fast.frustrated);
          expect({ way, filters, timeoutMs, options, stats: actual }).toEqual({ way, filters, timeoutMs, options, stats: expected });
        }
      }
    }
  }
}

let server: TestServer;
/** A second connection to the server's database, for timeoutChanges itself. */
let driver: SqlDriver;
let ids: string[];
let boundaries: SessionFilters;
beforeAll(async () => {
  const dataDir = tempDataDir();
  const databaseUrl = backend() === 'postgres' ? await createDatabase(inject('postgresUrl')) : undefined;
  server = await startServer({ now: () => NOW, rateLimit: null, dataDir, databaseUrl });
  driver = await openSqlDriver({ dataDir, databaseUrl }, () => undefined);
  const data = recorded();
  ids = data.ids;
  boundaries = startsRange(data.starts);
  for (const record of data.batches) await server.replay.storage.appendBatch(record);
});
afterAll(async () => {
  await driver?.close();
  await server?.stop();
});

describe('a retroactive timeout', () => {
  it('gives the statistics of re-splitting every session, re-splitting only those it changes', async () => {
    await compare(server.replay.storage);
    // A short timeout changes few sessions, so the gaps do narrow the read.
    const changes = await server.replay.storage.timeoutChanges({}, { timeoutMs: MIN, maxSessionMs: MAX_SESSION_MS });
    const changed = (changes?.changed ?? []).reduce((sum, device) => sum + device.sessions.length / CHANGED_STRIDE, 0);
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan((await server.replay.storage.countSessions({}, NOW)) / 2);
  });

  it('still does once sessions are deleted (their neighbours keep the gaps they had)', async () => {
    for (const id of ids.filter((_id, i) => i % 5 === 2)) expect(await server.replay.storage.deleteSession(id)).toBe(true);
    await compare(server.replay.storage);
  });

  it('does not apply to filters the aggregates cannot answer', async () => {
    expect(await server.replay.storage.timeoutChanges({ userId: 'u' }, { timeoutMs: MIN, maxSessionMs: MAX_SESSION_MS })).toBeNull();
  });
});
