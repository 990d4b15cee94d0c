/**
 * The server killed with SIGKILL while several clients keep sending, restarted on the same
 * DATA_DIR: every batch it acknowledged is in the file, once, and the clients' retries of
 * batches whose answer was lost count nothing twice. And SIGTERM finishes what is under way.
 */
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../server/storage/sqlite/sqliteDriver';
import type { IngestAck } from '../../shared/wire';
import { clickEvent, makeBatch, metaEvent, mutationEvent, postIngest, T0 } from '../helpers/batches';
import { tempDataDir } from '../helpers/server';
import { freePort } from '../helpers/freePort';
import { spawnServer, type ServerProcess } from './serverProcess';

const CLIENTS = 4;
/** Attempts at one batch before the client gives up: the server is down for a few seconds at most. */
const MAX_ATTEMPTS = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ackedCount = (clients: Client[]) => clients.reduce((n, c) => n + c.acked.size, 0);
const running: ServerProcess[] = [];

afterAll(() => {
  for (const server of running) server.child.kill('SIGKILL');
});

async function start(dataDir: string, port: number): Promise<ServerProcess> {
  const server = await spawnServer({ dataDir, port });
  running.push(server);
  return server;
}

interface Client {
  batch: ReturnType<typeof makeBatch>;
  /** Events per acknowledged sequence number. */
  acked: Map<number, number>;
  /** Attempts that failed (connection refused or reset) and were retried. */
  retries: number;
  /** Retries answered `stored: false`: the batch had been committed before its answer was lost. */
  repeats: number;
  /** Answers the client dropped on purpose, as a cut connection would (every 7th batch's first). */
  lost: number;
}

/**
 * Sends batch after batch, each retried with the same sequence number until acknowledged, as the
 * recorder does. Only a refused or cut connection is retried: any answer but 200 is a failure.
 */
async function runClient(client: Client, url: () => string, stopped: () => boolean): Promise<void> {
  for (let seq = 0; !stopped(); seq++) {
    const t = T0 + seq * 1_000;
    const events = [clickEvent(t), ...Array.from({ length: 10 + (seq % 30) }, (_, i) => mutationEvent(t + i + 1))];
    if (seq === 0) events.unshift(metaEvent(t - 1));
    for (let attempt = 0; ; attempt++) {
      if (attempt === MAX_ATTEMPTS) throw new Error(`batch ${seq} not acknowledged after ${MAX_ATTEMPTS} attempts`);
      const res = await postIngest(url(), { ...client.batch, seq, sentAt: Date.now(), events }).catch(() => null);
      // null: refused or cut, the server is down. The recorder waits and sends the same batch again.
      if (res && res.status !== 200) throw new Error(`batch ${seq}: status ${res.status}: ${await res.text()}`);
      if (res && seq % 7 === 3 && attempt === 0) {
        await res.body?.cancel();
        client.lost++;
      } else if (res) {
        const ack = (await res.json().catch(() => null)) as IngestAck | null;
        // A body cut by the kill is a lost answer too: the batch is sent again.
        if (ack) {
          if (!ack.stored) client.repeats++;
          client.acked.set(seq, events.length);
          break;
        }
      }
      client.retries++;
      await sleep(50 + Math.random() * 100);
    }
  }
}

describe('kill -9 during sustained ingest', () => {
  it('keeps every acknowledged batch, once, across the crash and the clients’ retries', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    let server = await start(dataDir, port);
    let peakMb = 0;
    const clients: Client[] = Array.from({ length: CLIENTS }, () => ({
      batch: makeBatch(),
      acked: new Map(),
      retries: 0,
      repeats: 0,
      lost: 0,
    }));
    let stop = false;
    let failure: unknown = null;
    const senders = Promise.all(clients.map((c) => runClient(c, () => server.url, () => stop))).catch((e: unknown) => {
      failure = e;
    });
    // Waits for `condition`, or for a client to fail, which ends the test at once.
    const until = (condition: () => boolean, what: string) =>
      expect.poll(() => failure !== null || condition(), { timeout: 20_000, interval: 20, message: what }).toBe(true);

    await until(() => ackedCount(clients) > CLIENTS * 5, 'batches acknowledged before the kill');
    peakMb = Math.max(peakMb, server.peakRssMb());
    const ackedBeforeKill = ackedCount(clients);
    server.child.kill('SIGKILL');
    expect(await server.exited).toBe('SIGKILL');
    server = await start(dataDir, port);
    // Every client gets several more batches through the new process.
    const ackedAtRestart = clients.map((c) => c.acked.size);
    await until(() => clients.every((c, i) => c.acked.size >= ackedAtRestart[i] + 5), 'batches acknowledged after the restart');
    stop = true;
    await senders;
    if (failure) throw failure;
    peakMb = Math.max(peakMb, server.peakRssMb());

    const acked = ackedCount(clients);
    for (const client of clients) {
      const res = await server.api(`/api/sessions/${client.batch.sessionId}`);
      expect(res.status).toBe(200);
      expect((await res.json()).eventCount).toBe([...client.acked.values()].reduce((a, b) => a + b, 0));
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    const rows = db.prepare('SELECT session_id AS sessionId, seq FROM chunks').all() as { sessionId: string; seq: number }[];
    db.close();
    for (const client of clients) {
      const stored = rows.filter((r) => r.sessionId === client.batch.sessionId).map((r) => r.seq).sort((a, b) => a - b);
      expect(stored).toEqual([...client.acked.keys()].sort((a, b) => a - b));
    }
    expect(rows.length).toBe(acked);
    expect(ackedBeforeKill).toBeGreaterThan(CLIENTS * 5);
    const lost = clients.reduce((n, c) => n + c.lost, 0);
    expect(lost).toBeGreaterThan(0);
    expect(clients.reduce((n, c) => n + c.repeats, 0)).toBeGreaterThanOrEqual(lost);
    console.log(
      `[faults] kill -9: ${CLIENTS} clients, ${ackedBeforeKill} batches acked before the kill, ${acked} acked in all, ` +
        `${rows.length} stored, ${clients.reduce((n, c) => n + c.retries, 0)} retried attempts, ` +
        `${lost} answers dropped, ${clients.reduce((n, c) => n + c.repeats, 0)} retries found their batch already stored, ` +
        `server peak RSS ${peakMb.toFixed(0)} MB`,
    );
  });
});

describe('SIGTERM', () => {
  it('stops accepting, finishes the request under way, commits it and exits 0', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const server = await start(dataDir, port);
    const batch = makeBatch();
    const json = Buffer.from(JSON.stringify(batch));
    // Expect: 100-continue makes the server say when it has the request: it is then under way.
    const headers = { 'Content-Type': 'application/json', 'Content-Length': String(json.length), Expect: '100-continue' };
    const req = http.request(`${server.url}/api/ingest`, { method: 'POST', agent: false, headers });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    req.flushHeaders();
    await once(req, 'continue');
    req.write(json.subarray(0, 100));
    server.child.kill('SIGTERM');
    // It stops accepting connections while the request under way waits for the rest of its body.
    await expect
      .poll(() => fetch(`${server.url}/healthz`).then(() => 'serving', () => 'refused'), { interval: 20 })
      .toBe('refused');
    req.end(json.subarray(100));
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ ok: true, stored: true });
    expect(await server.exited).toBe(0);

    const restarted = await start(dataDir, port);
    expect((await restarted.api(`/api/sessions/${batch.sessionId}`)).status).toBe(200);
    restarted.child.kill('SIGTERM');
    await restarted.exited;
  });
});
