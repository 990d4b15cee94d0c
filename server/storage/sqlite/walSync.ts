/**
 * The fsync that makes SQLite commits durable, taken off the thread that answers requests: the
 * connection runs with synchronous = NORMAL (a commit writes the WAL without syncing it) and
 * each group's batches are acknowledged after an fsync of the WAL file begun after their commit,
 * done on libuv's thread pool. That is what synchronous = FULL does inside COMMIT, while the
 * event loop meanwhile reads the next requests instead of waiting for the disk.
 */
import fs from 'node:fs/promises';
import { StorageUnavailableError } from '../storage';

/**
 * A function resolving once everything written to `walFile` before the call is on disk. Calls
 * made while an fsync runs share the next one, started when it ends: one fsync in flight at a time.
 *
 * After one fsync fails, every later call fails too, until the process restarts: the kernel may
 * have dropped the unwritten pages while SQLite believes them committed, so a retried batch would
 * be found "already stored" and acknowledged without being on disk (PostgreSQL stops for the same
 * reason). A restart reads back only what reached the disk, and the clients' retries store the rest.
 */
export function walSync(walFile: string): () => Promise<void> {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  let failure: StorageUnavailableError | null = null;
  const start = (): Promise<void> => {
    const sync = fsyncFile(walFile)
      .catch((error: unknown) => {
        failure ??= new StorageUnavailableError(`the database file could not be synced to disk (${(error as Error).message}); restart the server`, {
          cause: error,
        });
        throw failure;
      })
      .finally(() => {
        if (running === sync) running = null;
      });
    running = sync;
    return sync;
  };
  return () => {
    if (failure) return Promise.reject(failure);
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
