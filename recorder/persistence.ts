/**
 * Where waiting batches are kept until acknowledged, and what other windows left behind:
 * IndexedDB when it opens, localStorage as the synchronous spill for page hide (and when
 * IndexedDB is missing). Nothing here throws into the page.
 */
import type { BatchStore, LocalBatchStore, StoredBatch } from './batchStore';
import { liveWindows } from './windowLocks';

/** Every stored batch of this origin, with the windows alive now (null when unknown). */
export interface StoredState {
  batches: StoredBatch[];
  live: Set<string> | null;
}

export class Persistence {
  /**
   * @param store the persistent queue (IndexedDB); null when the browser has none, then `spill` serves.
   * @param spill synchronous storage for page hide, when IndexedDB has no time left to commit.
   */
  constructor(
    private readonly store: Promise<BatchStore | null>,
    private readonly spill: LocalBatchStore,
  ) {}

  /** Keeps `batch`; resolves whether it was kept. */
  async save(batch: StoredBatch): Promise<boolean> {
    const store = await this.store;
    return store ? store.put(batch) : this.spill.putNow(batch);
  }

  /** Keeps `batch` before returning (localStorage): the page may be gone before a promise settles. */
  saveNow(batch: StoredBatch): boolean {
    return this.spill.putNow(batch);
  }

  async forget(key: string): Promise<void> {
    const store = await this.store;
    await Promise.all([store?.delete(key), this.spill.delete(key)]);
  }

  /** Everything stored, and moves what a page hide spilled to IndexedDB. */
  async load(): Promise<StoredState> {
    const store = await this.store;
    const [primary, spilled, live] = await Promise.all([
      store ? store.loadAll() : Promise.resolve([]),
      this.spill.loadAll(),
      liveWindows(),
    ]);
    if (store) {
      // Spilled on a page hide: IndexedDB has the room, localStorage belongs to the site.
      for (const batch of spilled) {
        void store.put(batch).then((ok) => {
          if (ok) void this.spill.delete(batch.key);
        });
      }
    }
    return { batches: [...primary, ...spilled], live };
  }
}
