/**
 * Gzip off the host page's main thread: fflate's async API compresses in a short-lived Web
 * Worker. A page whose CSP forbids blob: workers (or a browser without them) gets the same
 * bytes compressed on the main thread instead: slower for the page, never lost.
 */
import { gzip, gzipSync } from 'fflate';

/** A worker that has not answered by then is taken as blocked (some browsers never say so). */
const WORKER_TIMEOUT_MS = 5_000;

export type Compress = (data: Uint8Array) => Promise<Uint8Array>;

/**
 * Whether this page may start blob: workers. A CSP that forbids them does not make the
 * constructor throw: the worker fails later, with an error event fflate does not listen to.
 */
function probeWorkers(): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const url = URL.createObjectURL(new Blob(['postMessage(0)'], { type: 'text/javascript' }));
      const worker = new Worker(url);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        worker.terminate();
        URL.revokeObjectURL(url);
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), WORKER_TIMEOUT_MS);
      worker.onmessage = () => done(true);
      worker.onerror = () => done(false);
    } catch {
      resolve(false);
    }
  });
}

/** A compressor that falls back to the main thread for good once a worker fails. */
export function createCompressor(): Compress {
  let workers = typeof Worker === 'function' && typeof Blob === 'function' && typeof URL.createObjectURL === 'function';
  const allowed = workers ? probeWorkers() : Promise.resolve(false);
  return async (data) => {
    if (!(await allowed)) workers = false;
    if (!workers) return gzipSync(data);
    return new Promise((resolve) => {
      let settled = false;
      const fallBack = () => {
        if (settled) return;
        settled = true;
        workers = false;
        resolve(gzipSync(data));
      };
      const timer = setTimeout(() => {
        terminate?.();
        fallBack();
      }, WORKER_TIMEOUT_MS);
      let terminate: (() => void) | undefined;
      try {
        terminate = gzip(data, {}, (error, result) => {
          clearTimeout(timer);
          if (error) return fallBack();
          if (settled) return;
          settled = true;
          resolve(result);
        });
      } catch {
        clearTimeout(timer);
        fallBack();
      }
    });
  };
}
