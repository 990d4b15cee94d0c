/**
 * Gzip of each batch's events, off the host page's main thread: one long-lived Web Worker runs
 * the browser's CompressionStream. A page whose CSP forbids blob: workers gets the same
 * stream on the main thread (asynchronous, in small steps); a browser without
 * CompressionStream loads fflate, a chunk it alone downloads.
 */
import { encodeRelativeIds } from '../shared/relativeIds';
import { eventsText } from './batchBody';
import { compressWorker } from './compressWorker';

/** A worker that has not answered by then is taken as blocked (some browsers never say so). */
const WORKER_TIMEOUT_MS = 5_000;

/** Gzip of a batch's events text (batchBody.ts's eventsText) from their serialised events. */
export type Compress = (eventsJson: readonly string[]) => Promise<Uint8Array>;

interface Reply {
  id: number;
  bytes?: Uint8Array;
  error?: string;
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
      const url = URL.createObjectURL(new Blob([`(${compressWorker.toString()})(${encodeRelativeIds.toString()}, ${eventsText.toString()})`], { type: 'text/javascript' }));
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
 * A compressor that falls back to the main thread for good once the worker fails. The worker
 * starts with the first batch, not with the recorder: creating it costs some milliseconds of
 * main thread, and the recorder starts in the task of rrweb's first snapshot, already long on
 * some pages.
 */
export function createCompressor(): Compress {
  let worker: Promise<Worker | null> | undefined;
  const waiting = new Map<number, { resolve(bytes: Uint8Array): void; fallBack(): void }>();
  let nextId = 1;
  const start = async (): Promise<Worker | null> => {
    const w = await startWorker();
    if (!w) return null;
    w.onmessage = ({ data }: MessageEvent<Reply>) => {
      const job = waiting.get(data.id);
      waiting.delete(data.id);
      if (data.bytes) job?.resolve(data.bytes);
      else job?.fallBack();
    };
    w.onerror = () => {
      worker = Promise.resolve(null);
      w.terminate();
      for (const job of waiting.values()) job.fallBack();
      waiting.clear();
    };
    return w;
  };
  return async (eventsJson) => {
    const w = await (worker ??= start());
    if (!w) return gzipHere(eventsJson);
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const fallBack = () => gzipHere(eventsJson).then(resolve, reject);
      waiting.set(id, { resolve, fallBack });
      // The events as they are, joined by the worker: one multi-megabyte copy fewer on the main thread.
      w.postMessage({ id, eventsJson });
    });
  };
}
