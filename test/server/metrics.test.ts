/** GET /metrics: Prometheus text behind the admin token (or public), counters that move with ingest and retention. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, postIngest, T0 } from '../helpers/batches';
import { startServer, type TestServer } from '../helpers/server';

const DAY_MS = 86_400_000;
/** The server's clock: just after the test batches' events, until retention's test moves it on. */
let clock = T0 + 60_000;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ now: () => clock, retentionDays: 1 });
});
afterAll(() => server.stop());

async function metricsText(): Promise<string> {
  const res = await server.api('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of the sample `name{labels}` (labels as Prometheus writes them), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('GET /metrics', () => {
  it('needs the admin token', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await metricsText()).toContain('process_cpu_seconds_total');
  });

  it('counts batches accepted and refused by status, bytes received and storage time', async () => {
    const before = await metricsText();
    const batch = makeBatch({ sentAt: clock });
    const accepted = await postIngest(server.url, batch);
    expect(accepted.status).toBe(200);
    expect((await postIngest(server.url, makeBatch({ project: 'elsewhere' }))).status).toBe(403);
    expect((await postIngest(server.url, '{not json')).status).toBe(400);
    const after = await metricsText();
    for (const status of ['200', '403', '400']) {
      const series = `replay_ingest_batches_total{status="${status}"}`;
      expect(sample(after, series) - sample(before, series), series).toBe(1);
    }
    const bytes = 'replay_ingest_received_bytes_total';
    expect(sample(after, bytes) - sample(before, bytes)).toBeGreaterThan(100);
    const stored = 'replay_ingest_storage_seconds_count';
    expect(sample(after, stored) - sample(before, stored)).toBe(1);
  });

  it('times requests by route pattern, not by raw path', async () => {
    const { sessionId } = makeBatch();
    await server.api(`/api/sessions/${sessionId}`);
    const text = await metricsText();
    expect(text).toContain('replay_http_request_duration_seconds_count{method="GET",route="/api/sessions/:id",status="404"}');
    expect(text).not.toContain(sessionId);
  });

  it('times ingest answers, accepted and refused, and preflights under the ingest route', async () => {
    const before = await metricsText();
    expect((await postIngest(server.url, makeBatch({ sentAt: clock }))).status).toBe(200);
    expect((await postIngest(server.url, '{not json')).status).toBe(400);
    expect((await fetch(`${server.url}/api/ingest`, { method: 'OPTIONS' })).status).toBe(204);
    const after = await metricsText();
    for (const [method, status] of [['POST', '200'], ['POST', '400'], ['OPTIONS', '204']]) {
      const series = `replay_http_request_duration_seconds_count{method="${method}",route="/api/ingest",status="${status}"}`;
      expect(sample(after, series) - sample(before, series), series).toBe(1);
    }
  });

  it('counts the sessions retention deletes', async () => {
    const series = 'replay_retention_deleted_sessions_total';
    const before = sample(await metricsText(), series);
    clock += 3 * DAY_MS;
    const deleted = await server.replay.retention.runOnce();
    expect(deleted).toBeGreaterThan(0);
    expect(sample(await metricsText(), series) - before).toBe(deleted);
  });

  it('is open with METRICS_PUBLIC', async () => {
    const open = await startServer({ metricsPublic: true });
    try {
      expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});
