/**
 * RETENTION_DAYS and REPLAY_RATE_LIMIT as an operator sets them: the environment read by
 * loadConfig, as server/main.ts reads it, and the server's behaviour under that configuration.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { DEFAULT_RATE_LIMIT } from '../../server/http/rateLimit';
import { clickEvent, makeBatch, metaEvent, postIngest } from '../helpers/batches';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const YEAR_MS = 365 * 86_400_000;
const servers: TestServer[] = [];

/** The server configured from `env` as `npm start` configures it, on a clock that stands still at NOW. */
async function serverFromEnv(env: NodeJS.ProcessEnv): Promise<TestServer> {
  const { projects, retentionDays, rateLimit } = loadConfig(env);
  const server = await startServer({ projects, retentionDays, rateLimit, dataDir: tempDataDir(), now: () => NOW });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** Posts the same batch `count` times, 20 at a time; resolves to the statuses in order. */
async function postRepeatedly(server: TestServer, count: number): Promise<number[]> {
  const batch = makeBatch({ sentAt: NOW });
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 20) {
    const answers = await Promise.all(Array.from({ length: Math.min(20, count - i) }, () => postIngest(server.url, batch)));
    statuses.push(...answers.map((r) => r.status));
  }
  return statuses;
}

describe('REPLAY_RATE_LIMIT from the environment', () => {
  it('limits each project to its rate, and 0 turns the limit off', async () => {
    // 1 batch a second allows a burst of 10: the 11th is refused (the clock stands still).
    const one = await postRepeatedly(await serverFromEnv({ REPLAY_RATE_LIMIT: '1' }), 11);
    expect(one.filter((s) => s === 200)).toHaveLength(10);
    expect(one.filter((s) => s === 429)).toHaveLength(1);
    // 0 is no limit (null), not the default one (a burst of 2 000, too many batches for a test to send).
    expect(loadConfig({ REPLAY_RATE_LIMIT: '0' }).rateLimit).toBeNull();
    expect(loadConfig({}).rateLimit).toEqual(DEFAULT_RATE_LIMIT);
    const off = await postRepeatedly(await serverFromEnv({ REPLAY_RATE_LIMIT: '0' }), 40);
    expect(off.filter((s) => s !== 200)).toEqual([]);
  });
});

describe('RETENTION_DAYS from the environment', () => {
  it('deletes sessions older than 30 days by default, and 0 keeps everything', async () => {
    const old = makeBatch({ sentAt: NOW, events: [metaEvent(NOW - YEAR_MS), clickEvent(NOW - YEAR_MS + 1_000)] });
    for (const [env, kept] of [[{}, false], [{ RETENTION_DAYS: '0' }, true]] as const) {
      const server = await serverFromEnv(env);
      expect((await postIngest(server.url, old)).status).toBe(200);
      expect(await server.replay.retention.runOnce()).toBe(kept ? 0 : 1);
      expect((await server.api(`/api/sessions/${old.sessionId}`)).status, JSON.stringify(env)).toBe(kept ? 200 : 404);
    }
  });
});
