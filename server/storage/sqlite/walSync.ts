/**
 * The fsync that makes SQLite commits durable, taken off the thread that answers requests: the
 * connection runs with synchronous = NORMAL (a commit writes the WAL without syncing it) and
 * each group's batches are acknowledged after an fsync of the WAL file begun after their commit,
 * done on libuv's thread pool. That is what synchronous = FULL does inside COMMIT, while the
 * event loop meanwhile reads the next requests instead of waiting for the disk.
 */
import fs from 'node:fs';
import { StorageUnavailableError } from '../storage';

/** The WAL's fsync, and the release of the descriptor it keeps. */
export interface WalSync {
  /** Resolves once everything written to the WAL before the call is on disk. */
  sync(): Promise<void>;
  close(): void;
}

/**
 * The fsync of `walFile`. Calls made while an fsync runs share the next one, started when it
 * ends: one fsync in flight at a time.
 *
 * After one fsync fails, every later call fails too, until the process restarts: the kernel may
 * have dropped the unwritten pages while SQLite believes them committed, so a retried batch would
 * be found "already stored" and acknowledged without being on disk (PostgreSQL stops for the same
 * reason). A restart reads back only what reached the disk, and the clients' retries store the rest.
 */
export function walSync(walFile: string): WalSync {
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  let failure: StorageUnavailableError | null = null;
  const wal = walDescriptor(walFile);
  const start = (): Promise<void> => {
    const sync = fsync(wal)
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
  return {
    sync: () => {
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
    },
    close: wal.close,
  };
}

/**
 * A descriptor of the file `walFile` names now, kept open between fsyncs (opening and closing
 * it around each one took two more trips through the thread pool, and as much main-thread time
 * as the fsync's own hand-off). Before each fsync the path is looked up again: should SQLite
 * ever delete and recreate the WAL, a kept descriptor would sync the old file and durability
 * would be lost without an error; it is then opened anew. Never closed while an fsync runs on
 * it: walSync starts the next fsync only after the last one ended.
 */
function walDescriptor(walFile: string): { current(): number; close(): void } {
  let fd: number | null = null;
  let inode = -1;
  const close = () => {
    if (fd !== null) fs.closeSync(fd);
    fd = null;
  };
  return {
    current() {
      if (fd === null || fs.statSync(walFile).ino !== inode) {
        close();
        fd = fs.openSync(walFile, 'r');
        inode = fs.fstatSync(fd).ino;
      }
      return fd;
    },
    close,
  };
}

/** One fsync on libuv's thread pool; a failure to find or open the file rejects as well. */
function fsync(wal: { current(): number }): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      fs.fsync(wal.current(), (error) => (error ? reject(error) : resolve()));
    } catch (error) {
      reject(error);
    }
  });
}
