/**
 * Gzip of each batch's events, and the recorder's requests (the batches, the asset capture's),
 * off the host page's main thread: one long-lived Web Worker runs the browser's
 * CompressionStream and fetch. A page whose CSP forbids blob: workers gets the same stream on
 * the main thread (asynchronous, in small steps) and the page's fetch; a browser without
 * CompressionStream loads fflate, a chunk it alone downloads.
 */
import type { Fetch } from '../shared/assetCapturer';
import { BATCH_MAX_BYTES } from '../shared/constants';
import { encodeRelativeIds } from '../shared/relativeIds';
import { eventsText } from './batchBody';
import { workerProgram } from './workerProgram';

/** A worker that has not answered by then is taken as blocked (some browsers never say so). */
const WORKER_TIMEOUT_MS = 5_000;

/** Gzip of a batch's events text (batchBody.ts's eventsText) from their serialised events. */
export type Compress = (eventsJson: readonly string[]) => Promise<Uint8Array>;

/** fetch as sender.ts and the asset capture call it. */
export type { Fetch };

interface Reply {
  id: number;
  /** The gzip; none when the worker could not compress. */
  bytes?: Uint8Array;
  /** A request's answer; none when no answer came. */
  status?: number;
  headers?: [string, string][];
  body?: Blob;
}

async function gzipHere(eventsJson: readonly string[]): Promise<Uint8Array> {
  const text = eventsText(eventsJson);
  if (typeof CompressionStream !== 'function') {
    const { gzipSync, strToU8 } = await import('fflate');
    return gzipSync(strToU8(text));
  }
  // From memory: a Blob's stream() costs several times more of the main thread.
  const stream = new Response(text).body!.pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The worker, once it answered the probe; null when this page may not run one. A CSP that
 * forbids workers does not make the constructor throw: the worker fails later, or never answers.
 */
function startWorker(): Promise<Worker | null> {
  return new Promise((resolve) => {
    try {
      if (typeof Worker !== 'function' || typeof CompressionStream !== 'function') return resolve(null);
      const url = URL.createObjectURL(new Blob([`(${workerProgram.toString()})(${encodeRelativeIds.toString()}, ${eventsText.toString()})`], { type: 'text/javascript' }));
      const worker = new Worker(url);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        URL.revokeObjectURL(url);
        if (!ok) worker.terminate();
        resolve(ok ? worker : null);
      };
      const timer = setTimeout(() => done(false), WORKER_TIMEOUT_MS);
      worker.onmessage = () => done(true);
      worker.onerror = () => done(false);
      worker.postMessage({ id: 0 });
    } catch {
      resolve(null);
    }
  });
}

/**
 * The worker's jobs, each falling back to the main thread for good once the worker fails:
 * `compress`, and `fetch`, which makes the request in the worker but for keepalive ones (a page
 * going away may take its worker along) and goes through `fetchHere` without a worker. The
 * worker starts with the first batch or asset read, not with the recorder: creating it costs
 * some milliseconds of main thread, and the recorder starts in the task of rrweb's first
 * snapshot, already long on some pages.
 */
export function createWorkerJobs(fetchHere: Fetch): { compress: Compress; fetch: Fetch } {
  let worker: Promise<Worker | null> | undefined;
  const waiting = new Map<number, { answer(reply: Reply): void; fallBack(): void }>();
  let nextId = 1;
  const start = async (): Promise<Worker | null> => {
    const w = await startWorker();
    if (!w) return null;
    w.onmessage = ({ data }: MessageEvent<Reply>) => {
      waiting.get(data.id)?.answer(data);
      waiting.delete(data.id);
    };
    w.onerror = () => {
      worker = Promise.resolve(null);
      w.terminate();
      for (const job of waiting.values()) job.fallBack();
      waiting.clear();
    };
    return w;
  };
  /** Posts `message` to the worker; `settle` makes the result of its reply (undefined: done here instead, by `here`). */
  const run = async <T>(message: object, settle: (reply: Reply) => T | undefined, here: () => Promise<T>): Promise<T> => {
    const w = await (worker ??= start());
    if (!w) return here();
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const fallBack = () => here().then(resolve, reject);
      waiting.set(id, {
        answer: (reply) => {
          try {
            const result = settle(reply);
            if (result === undefined) fallBack();
            else resolve(result);
          } catch (error) {
            reject(error);
          }
        },
        fallBack,
      });
      w.postMessage({ id, ...message });
    });
  };
  return {
    // The events as they are, joined by the worker: one multi-megabyte copy fewer on the main thread.
    compress: async (eventsJson) => {
      // Posting a snapshot of megabytes takes tens of milliseconds: in a task of its own rather
      // than in the one that joined it (slicedJson.ts). Only then: a timer may wait a second in a hidden tab.
      if (eventsJson.some((json) => json.length > BATCH_MAX_BYTES)) await new Promise((resolve) => setTimeout(resolve));
      return run({ eventsJson }, (reply) => reply.bytes, () => gzipHere(eventsJson));
    },
    fetch: (url, init) =>
      init.keepalive
        ? fetchHere(url, init)
        : run(
            { url, init },
            (reply) => {
              if (!reply.status) throw new TypeError('no answer');
              // A body, even empty, is refused for the statuses that have none (204).
              return new Response(reply.body!.size ? reply.body : null, { status: reply.status, headers: reply.headers });
            },
            () => fetchHere(url, init),
          ),
  };
}
