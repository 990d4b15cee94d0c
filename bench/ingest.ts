/**
 * Ingest throughput: concurrent clients POST gzipped batches (about 5-50 KB of rrweb-shaped
 * JSON each, each client its own session and sequence numbers) to the real server, and in the
 * same run to a bare Express route as the ceiling. Prints medians over several runs.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { SESSION_TIMEOUT_MS } from '../shared/constants';
import { spawnBenchServer } from './spawnServer';
import { median, percentile, type Row } from './stats';

const CLIENTS = 32;
/** Distinct event payloads, from 100 to 1 000 events (about 5 to 50 KB compressed). */
const BODY_SHAPES = 7;

/** About `size` rrweb-shaped events: mouse moves and DOM mutations, like a few seconds of use. */
function makeEvents(size: number): object[] {
  const t = Date.now();
  return Array.from({ length: size }, (_, i) =>
    i % 3 === 0
      ? { type: 3, timestamp: t + i, data: { source: 0, texts: [], attributes: [{ id: i, attributes: { class: `row-${i} active` } }], removes: [], adds: [{ parentId: 4, nextId: null, node: { type: 2, tagName: 'li', attributes: { class: 'item' }, childNodes: [{ type: 3, textContent: `Item ${i} of the list, updated`, id: 5000 + i }], id: 1000 + i } }] } }
      : { type: 3, timestamp: t + i, data: { source: 1, positions: [{ x: (i * 37) % 1280, y: (i * 17) % 800, id: 12, timeOffset: -40 }] } },
  );
}

/**
 * A gzipped batch. The events are compressed once per client, ahead of the timed loop; the
 * header (with this batch's seq) is a second gzip member in front: gunzip inflates
 * concatenated members to the concatenated text, so the server still inflates, parses,
 * validates and stores a whole batch, while the load generator stays cheap.
 */
function makeBody(sessionId: string, windowId: string, seq: number, eventsMember: Buffer): Buffer {
  const header = { project: 'demo', sessionId, windowId, deviceId: 'bench', seq, sentAt: Date.now(), sessionTimeoutMs: SESSION_TIMEOUT_MS };
  return Buffer.concat([gzipSync(`${JSON.stringify(header).slice(0, -1)},"events":`), eventsMember]);
}

function post(agent: http.Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, port, host: '127.0.0.1', path: '/api/ingest', method: 'POST', headers: { 'Content-Type': 'text/plain', 'Content-Length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One timed run: every client posts its next batch as soon as the previous one is answered. */
async function run(port: number, seconds: number): Promise<{ perSecond: number; p50: number; p99: number; errors: number; bytes: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  const eventMembers = Array.from({ length: BODY_SHAPES }, (_, i) => gzipSync(`${JSON.stringify(makeEvents(100 + i * 150))}}`));
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const sessionId = randomUUID();
      const windowId = randomUUID();
      for (let seq = 0; performance.now() < end; seq++) {
        const body = makeBody(sessionId, windowId, seq, eventMembers[seq % eventMembers.length]);
        bytes += body.length;
        const start = performance.now();
        const status = await post(agent, port, body);
        latencies.push(performance.now() - start);
        if (status !== 200) errors++;
      }
    }),
  );
  agent.destroy();
  return {
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    bytes: bytes / latencies.length,
  };
}

/** Runs both servers `runs` times, alternating, and returns the table rows. */
export async function benchIngest(runs: number, seconds: number): Promise<Row[]> {
  const rows: Row[] = [];
  const results: Record<string, Awaited<ReturnType<typeof run>>[]> = { real: [], bare: [] };
  for (const mode of ['real', 'bare'] as const) {
    const { port, child } = await spawnBenchServer([mode]);
    for (let i = 0; i < runs; i++) results[mode].push(await run(port, seconds));
    child.kill();
  }
  for (const mode of ['real', 'bare'] as const) {
    const r = results[mode];
    const rates = r.map((x) => x.perSecond);
    rows.push({
      figure: mode === 'real' ? 'ingest, real server (SQLite)' : 'ingest, bare Express ceiling',
      median: `${median(rates).toFixed(0)} batches/s`,
      range: `${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)}`,
      detail: `p50 ${median(r.map((x) => x.p50)).toFixed(1)} ms, p99 ${median(r.map((x) => x.p99)).toFixed(1)} ms, errors ${r.reduce((s, x) => s + x.errors, 0)}, ${(median(r.map((x) => x.bytes)) / 1024).toFixed(1)} KB/batch`,
    });
  }
  const ratio = median(results.real.map((x) => x.perSecond)) / median(results.bare.map((x) => x.perSecond));
  rows.push({ figure: 'ingest: real / ceiling', median: ratio.toFixed(2), range: '', detail: `${CLIENTS} clients, ${runs} runs of ${seconds} s` });
  return rows;
}
