/**
 * The fsync that makes SQLite commits durable, taken off the thread that answers requests: the
 * connection runs with synchronous = NORMAL (a commit writes the WAL without syncing it) and
 * each group's batches are acknowledged after an fsync of the WAL file begun after their commit,
 * done on libuv's thread pool. That is what synchronous = FULL does inside COMMIT, while the
 * event loop meanwhile reads the next requests instead of waiting for the disk.
 */
import fs from 'node:fs/promises';

/**
 * A function resolving once everything written to `walFile` before the call is on disk. Calls
 * made while an fsync runs share the next one, started when it ends: one fsync in flight at a time.
 */
export function walSync(walFile: string): () => Promise<void> {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const start = (): Promise<void> => {
    const sync = fsyncFile(walFile).finally(() => {
      if (running === sync) running = null;
    });
    running = sync;
    return sync;
  };
  return () => {
    if (!running) return start();
    // The running fsync may have begun before the caller's commit: it cannot stand for it.
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = null;
        return start();
      });
    return next;
  };
}

/**
 * Opened anew each time rather than kept open: should SQLite ever delete and recreate the WAL,
 * a kept descriptor would sync the old file and durability would be lost without an error.
 */
async function fsyncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
