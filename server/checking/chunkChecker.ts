/**
 * Checks, after the fact, the chunks stored from envelopes (their events unread at ingest): a
 * worker thread inflates and parses them, off the thread that answers requests, and storage
 * records each verdict; readers then skip a corrupt or lying chunk. The worker runs at the
 * lowest CPU priority (on Linux), and the timer's passes wait while requests keep the server busy.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Storage } from '../storage/storage';
import { decodeRelativeIds } from '../../shared/relativeIds';
import { checkChunk } from './checkChunk';

/** Chunks handed to the worker at once: a few MB at most. */
const CHUNKS_PER_ROUND = 32;
/**
 * The worker thread's nice value: the lowest priority. Checking a chunk costs about what
 * storing it does (inflating and parsing its events); under a full ingest load it waits for
 * idle CPU instead of halving the rate at which batches are acknowledged, and catches up after.
 */
export const CHECKER_NICE = 19;
/** How often unchecked chunks are looked for. */
const CHECK_INTERVAL_MS = 2_000;
/**
 * Above this share of the time since the last look (or the last round) spent busy, the thread
 * that answers requests is near its limit: checking then waits for a quieter interval. A low
 * priority alone did not do it: inflating and parsing a chunk, and collecting its garbage on
 * V8's helper threads, cost about half of what storing it costs the main thread, CPU that a
 * 2-core machine under full ingest load does not have to spare. Unchecked chunks are served meanwhile.
 */
const BUSY_UTILIZATION = 0.5;
/**
 * However busy the server stays, a round of checking runs at least this often, so that under
 * sustained load a corrupt or lying chunk is still marked within minutes, not at the next lull.
 */
const MAX_DEFER_MS = 60_000;

export interface ChunkChecker {
  /** Checks every chunk not checked yet; resolves to how many it checked. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The worker's source: checkChunk and the relative ids' decoder as compiled, so it runs under tsx and the tests' transform
 * alike. `__name` stands in for the helper esbuild's keepNames may call inside it.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
// On Linux a thread's nice value is its own: the check then takes only CPU that ingest leaves.
if (process.platform === 'linux') require('node:os').setPriority(${CHECKER_NICE});
const __name = (fn) => fn;
const checkChunk = ${checkChunk.toString()};
const decodeRelativeIds = ${decodeRelativeIds.toString()};
parentPort.on('message', ({ chunks, maxInflatedBytes }) => {
  parentPort.postMessage(chunks.map((chunk) => checkChunk(zlib, decodeRelativeIds, chunk, maxInflatedBytes)));
});`;

/**
 * Starts looking for unchecked chunks every `intervalMs` (unless the event loop was busy, see
 * BUSY_UTILIZATION, for less than `maxDeferMs`), each chunk inflated within `maxInflatedBytes`.
 */
export function startChunkChecker(
  storage: Storage,
  maxInflatedBytes: number,
  logger: Logger,
  intervalMs = CHECK_INTERVAL_MS,
  maxDeferMs = MAX_DEFER_MS,
): ChunkChecker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  // Passes run one after another: a pass asked for while one runs starts after it, so it sees
  // every chunk stored before it was asked for.
  let chain: Promise<number> = Promise.resolve(0);
  let pending = 0;
  let stopped = false;
  const verdictsOf = (chunks: unknown[]) =>
    new Promise<unknown[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage({ chunks, maxInflatedBytes });
    }).finally(() => worker.removeAllListeners('error'));
  // The event loop's busy share since the last call.
  let lastUtilization = performance.eventLoopUtilization();
  const busy = (): boolean => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, lastUtilization);
    lastUtilization = now;
    return utilization > BUSY_UTILIZATION;
  };
  let lastRoundAt = Date.now();
  /** Checks rounds of chunks until none is left, or until `yieldNow` says to leave the rest for later. */
  const pass = async (yieldNow: () => boolean): Promise<number> => {
    let total = 0;
    while (!stopped && !yieldNow()) {
      const chunks = await storage.uncheckedChunks(CHUNKS_PER_ROUND);
      lastRoundAt = Date.now();
      if (chunks.length === 0) break;
      const verdicts = (await verdictsOf(chunks.map(({ data, eventCount, firstTs, lastTs }) => ({ data, eventCount, firstTs, lastTs })))) as never[];
      await storage.setVerdicts(chunks.map(({ sessionId, windowId, seq }, i) => ({ sessionId, windowId, seq, verdict: verdicts[i] })));
      total += chunks.length;
      if (chunks.length < CHUNKS_PER_ROUND) break;
    }
    return total;
  };
  const enqueue = (yieldNow: () => boolean): Promise<number> => {
    pending++;
    chain = chain
      .catch(() => 0)
      .then(() => pass(yieldNow))
      .finally(() => pending--);
    return chain;
  };
  const tick = () => {
    if (pending > 0) return;
    // Overdue while busy: one round, then the rest waits again.
    const overdue = Date.now() - lastRoundAt >= maxDeferMs;
    let rounds = 0;
    const yieldNow = () => (busy() && (!overdue || rounds++ > 0));
    enqueue(yieldNow).catch((err: unknown) => logger.error({ err }, 'chunk check failed'));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    runOnce: () => enqueue(() => false),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await chain.catch(() => undefined);
      await worker.terminate();
    },
  };
}
