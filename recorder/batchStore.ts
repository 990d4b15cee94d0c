/**
 * Where unsent batches wait across reloads and crashes. IndexedDB when the browser gives it
 * (large quota, binary values, off the main thread); localStorage otherwise, within a small
 * budget because the host site shares that quota. Nothing here throws into the page.
 */
import type { BatchSummary } from '../shared/summarizeBatch';
import type { BatchHeader } from './batchBody';

/** A batch as kept until the server acknowledges it. */
export interface StoredBatch {
  /** `windowId:seq`, the server's idempotency key too. */
  key: string;
  header: BatchHeader;
  /** The gzip member holding the events (see batchBody.ts). */
  events: Uint8Array;
  createdAt: number;
  /**
   * The events' summary, when it was computed: the batch then goes as an envelope. IndexedDB
   * keeps it; localStorage, the small fallback, does not (such a batch goes as plain gzip).
   */
  summary?: BatchSummary;
}

export interface BatchStore {
  /** Resolves true once the batch is stored, false when it could not be. */
  put(batch: StoredBatch): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Every stored batch, of every window of this origin. */
  loadAll(): Promise<StoredBatch[]>;
}

/** The batch key of a window's sequence number. */
export const batchKey = (windowId: string, seq: number): string => `${windowId}:${seq}`;

const LOCAL_PREFIX = 'sr:q:';
/** Most bytes of the host's localStorage (about 5 MB an origin, shared) the queue may take. */
const LOCAL_MAX_BYTES = 1024 * 1024;

function toBase64(bytes: Uint8Array): string {
  let text = '';
  // Chunks keep String.fromCharCode's argument list within engine limits.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * localStorage, synchronous underneath: also where batches go on page hide, when there is no
 * time left for IndexedDB to commit.
 */
export class LocalBatchStore implements BatchStore {
  constructor(private readonly maxBytes = LOCAL_MAX_BYTES) {}

  /** Stores now; false when storage is unavailable or the budget is spent. */
  putNow(batch: StoredBatch): boolean {
    try {
      const value = JSON.stringify({ header: batch.header, events: toBase64(batch.events), createdAt: batch.createdAt });
      const key = LOCAL_PREFIX + batch.key;
      if (localStorage.getItem(key) === null && this.usedBytes() + value.length > this.maxBytes) return false;
      localStorage.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }

  put(batch: StoredBatch): Promise<boolean> {
    return Promise.resolve(this.putNow(batch));
  }

  delete(key: string): Promise<void> {
    try {
      localStorage.removeItem(LOCAL_PREFIX + key);
    } catch {
      // Unavailable storage holds nothing to delete.
    }
    return Promise.resolve();
  }

  loadAll(): Promise<StoredBatch[]> {
    const batches: StoredBatch[] = [];
    for (const key of this.keys()) {
      try {
        const value = JSON.parse(localStorage.getItem(key) ?? 'null') as { header: BatchHeader; events: string; createdAt: number };
        const { header, events, createdAt } = value;
        batches.push({ key: key.slice(LOCAL_PREFIX.length), header, events: fromBase64(events), createdAt });
      } catch {
        // A corrupt entry can never be sent: it goes.
        localStorage.removeItem(key);
      }
    }
    return Promise.resolve(batches);
  }

  private keys(): string[] {
    try {
      const keys: string[] = [];
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key?.startsWith(LOCAL_PREFIX)) keys.push(key);
      }
      return keys;
    } catch {
      return [];
    }
  }

  private usedBytes(): number {
    return this.keys().reduce((sum, key) => sum + (localStorage.getItem(key)?.length ?? 0), 0);
  }
}

const DB_NAME = 'session-replay';
const DB_STORE = 'batches';
/** An IndexedDB that does not open by then (blocked upgrade, broken profile) is not waited for. */
const OPEN_TIMEOUT_MS = 3_000;

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

class IdbBatchStore implements BatchStore {
  constructor(private readonly db: IDBDatabase) {}

  put(batch: StoredBatch): Promise<boolean> {
    return this.write((store) => store.put(batch)).then(
      () => true,
      () => false,
    );
  }

  delete(key: string): Promise<void> {
    return this.write((store) => store.delete(key)).catch(() => undefined);
  }

  loadAll(): Promise<StoredBatch[]> {
    try {
      return done(this.db.transaction(DB_STORE, 'readonly').objectStore(DB_STORE).getAll() as IDBRequest<StoredBatch[]>).catch(
        () => [],
      );
    } catch {
      return Promise.resolve([]);
    }
  }

  private write(change: (store: IDBObjectStore) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      try {
        const tx = this.db.transaction(DB_STORE, 'readwrite');
        change(tx.objectStore(DB_STORE));
        tx.oncomplete = () => resolve();
        tx.onerror = tx.onabort = () => reject(tx.error);
      } catch (error) {
        reject(error);
      }
    });
  }
}

/** Opens the IndexedDB queue; null when IndexedDB is missing, refused or stuck. */
export function openIdbBatchStore(): Promise<BatchStore | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), OPEN_TIMEOUT_MS);
    const settle = (store: BatchStore | null) => {
      clearTimeout(timer);
      resolve(store);
    };
    try {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(DB_STORE, { keyPath: 'key' });
      request.onsuccess = () => {
        const db = request.result;
        // Another tab's future upgrade must not be blocked by this connection.
        db.onversionchange = () => db.close();
        settle(new IdbBatchStore(db));
      };
      request.onerror = request.onblocked = () => settle(null);
    } catch {
      settle(null);
    }
  });
}
