/**
 * The ingest load generator of bench/ingest.ts and bench/ingestNodes.ts: CLIENTS concurrent
 * clients, each its own session and sequence numbers, POST gzipped batches (or envelopes: the
 * summary beside them) as fast as they are answered, to one server node or in turn to several.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { encodeEnvelope } from '../shared/batchEnvelope';
import { SESSION_TIMEOUT_MS } from '../shared/constants';
import { summarizeBatch, type BatchSummary } from '../shared/summarizeBatch';
import type { WireEvent } from '../shared/wire';
import { median, percentile, type Row } from './stats';

export const CLIENTS = 32;

export interface IngestRun {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  bytes: number;
  /** Batches answered in the slowest whole second of the run. */
  slowestSecond: number;
  /** Per session id, the sequence numbers answered 200. */
  acked: Map<string, number[]>;
}

/**
 * A gzipped batch. The events are compressed once, ahead of the timed loop; the
 * header (with this batch's seq) is a second gzip member in front: gunzip inflates
 * concatenated members to the concatenated text, so the server still inflates, parses,
 * validates and stores a whole batch, while the load generator stays cheap.
 */
export function makeBody(sessionId: string, windowId: string, seq: number, eventsMember: Buffer, summary?: BatchSummary): Buffer {
  // Each client a visitor on a device of its own, as on a site: 32 sessions of one device at once
  // would make every batch recompute and lock that device's sessions (the retroactive-timeout gaps).
  const header = { project: 'demo', sessionId, windowId, deviceId: `device-${sessionId}`, seq, sentAt: Date.now(), sessionTimeoutMs: SESSION_TIMEOUT_MS };
  const batch = Buffer.concat([gzipSync(`${JSON.stringify(header).slice(0, -1)},"events":`), eventsMember]);
  return summary ? Buffer.from(encodeEnvelope({ ...header, summary }, batch)) : batch;
}

/** Each events member's summary, as the recorder computes it to send an envelope (shared/batchEnvelope.ts). */
export function summariesOf(members: readonly Buffer[]): BatchSummary[] {
  // A member inflates to the events array and the batch object's closing brace.
  return members.map((member) => summarizeBatch(JSON.parse(gunzipSync(member).toString('utf8').slice(0, -1)) as WireEvent[]));
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

/**
 * One timed run: every client posts its next batch as soon as the previous one is answered.
 * With several `ports`, a client's consecutive batches go to the next node in turn, as behind a
 * round-robin balancer, so every session is stored by all of them.
 */
export async function runLoad(
  ports: readonly number[],
  seconds: number,
  members: readonly Buffer[],
  summaries?: readonly BatchSummary[],
): Promise<IngestRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  const perSecond = new Array<number>(seconds).fill(0);
  const acked = new Map<string, number[]>();
  let errors = 0;
  let bytes = 0;
  const begin = performance.now();
  const end = begin + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const sessionId = randomUUID();
      const windowId = randomUUID();
      const seqs: number[] = [];
      acked.set(sessionId, seqs);
      for (let seq = 0; performance.now() < end; seq++) {
        // Each client starts elsewhere in the recording, so the sizes mix at every moment.
        const member = (seq + client * 7) % members.length;
        const body = makeBody(sessionId, windowId, seq, members[member], summaries?.[member]);
        bytes += body.length;
        const start = performance.now();
        // Offset by client, so half the clients start on each node and the nodes share the load at every moment.
        const status = await post(agent, ports[(seq + client) % ports.length], body).catch(() => 0);
        const done = performance.now();
        latencies.push(done - start);
        if (status === 200) seqs.push(seq);
        else errors++;
        const second = Math.floor((done - begin) / 1000);
        if (second < seconds) perSecond[second]++;
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
    slowestSecond: Math.min(...perSecond),
    acked,
  };
}

/** Every session's acknowledged sequence numbers over several runs. */
export function ackedOf(runs: readonly IngestRun[]): Map<string, number[]> {
  return new Map(runs.flatMap((x) => [...x.acked]));
}

/** Median batches/s with min–max, and the median latencies, errors and batch size. */
export function rateRow(figure: string, r: readonly IngestRun[], extra = '', goal?: string): Row {
  const rates = r.map((x) => x.perSecond);
  return {
    figure,
    median: `${median(rates).toFixed(0)} batches/s`,
    range: `${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)}`,
    detail: `p50 ${median(r.map((x) => x.p50)).toFixed(1)} ms, p99 ${median(r.map((x) => x.p99)).toFixed(1)} ms, errors ${r.reduce((s, x) => s + x.errors, 0)}, ${(median(r.map((x) => x.bytes)) / 1024).toFixed(1)} KB/batch${extra}`,
    goal,
  };
}
