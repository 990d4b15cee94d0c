/**
 * Captured assets, stored once per content hash and referenced by the sessions whose recordings
 * name them: SQL written once, run by the storage's driver (SQLite or PostgreSQL), in tables
 * its migrations create (captured_assets, session_assets).
 */
import { changes, type Params, type SqlDriver } from '../storage/sql';

/** An asset uploaded but not yet referenced by any recording is kept this long (its batch may still be on its way). */
export const UNREFERENCED_ASSET_GRACE_MS = 86_400_000;

/** One stored asset. */
export interface StoredAsset {
  hash: string;
  contentType: string;
  body: Buffer;
}

/** Hashes per statement: SQLite refuses more than a few hundred parameters in one. */
const HASHES_PER_STATEMENT = 400;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** `:h0, :h1, …` and their values. */
function hashList(hashes: readonly string[]): { list: string; params: Params } {
  return { list: hashes.map((_hash, i) => `:h${i}`).join(', '), params: Object.fromEntries(hashes.map((hash, i) => [`h${i}`, hash])) };
}

/** Stores, finds, references and collects captured assets. */
export class AssetStore {
  constructor(private readonly driver: SqlDriver) {}

  /** The hashes of `hashes` that are not stored. */
  async missing(hashes: readonly string[]): Promise<string[]> {
    const unique = [...new Set(hashes)];
    const present = new Set<string>();
    for (const part of chunks(unique, HASHES_PER_STATEMENT)) {
      const { list, params } = hashList(part);
      for (const row of await this.driver.rows<{ hash: string }>(`SELECT hash FROM captured_assets WHERE hash IN (${list})`, params)) {
        present.add(row.hash);
      }
    }
    return unique.filter((hash) => !present.has(hash));
  }

  /** Stores an asset whose hash the caller verified; storing it twice is harmless. */
  async put(asset: StoredAsset, now: number): Promise<void> {
    await this.driver.transaction(() =>
      changes(
        `INSERT INTO captured_assets (hash, content_type, size, body, created_at) VALUES (:hash, :type, :size, :body, :now)
         ON CONFLICT (hash) DO NOTHING`,
        { hash: asset.hash, type: asset.contentType, size: asset.body.length, body: asset.body, now },
      ),
    );
  }

  /** The asset stored under `hash`, or null. */
  async get(hash: string): Promise<StoredAsset | null> {
    const [row] = await this.driver.rows<{ content_type: string; body: Buffer }>('SELECT content_type, body FROM captured_assets WHERE hash = :hash', { hash });
    return row ? { hash, contentType: row.content_type, body: Buffer.from(row.body) } : null;
  }

  /** Whether the session's recording names the asset `hash` (a share link's holder may read it then). */
  async isReferencedBy(sessionId: string, hash: string): Promise<boolean> {
    const rows = await this.driver.rows('SELECT 1 FROM session_assets WHERE session_id = :session AND hash = :hash', { session: sessionId, hash });
    return rows.length > 0;
  }

  /** The stored assets the session's recording references, each once, read one at a time as they are asked for. */
  async *referencedBy(sessionId: string): AsyncIterable<StoredAsset> {
    const rows = await this.driver.rows<{ hash: string }>(
      `SELECT r.hash FROM session_assets r JOIN captured_assets a ON a.hash = r.hash WHERE r.session_id = :session ORDER BY r.hash`,
      { session: sessionId },
    );
    for (const { hash } of rows) {
      const asset = await this.get(hash);
      if (asset) yield asset;
    }
  }

  /** Records that the session's recording references `hashes` (stored yet or not). */
  async reference(sessionId: string, hashes: readonly string[]): Promise<void> {
    const parts = chunks([...new Set(hashes)], HASHES_PER_STATEMENT);
    if (parts.length === 0) return;
    await this.driver.transaction(function* () {
      for (const part of parts) {
        const { params } = hashList(part);
        const values = part.map((_hash, i) => `(:session, :h${i})`).join(', ');
        yield* changes(`INSERT INTO session_assets (session_id, hash) VALUES ${values} ON CONFLICT DO NOTHING`, { ...params, session: sessionId });
      }
    });
  }

  /** The session is gone: its references go, and the assets no other session references with them. */
  async forgetSession(sessionId: string): Promise<void> {
    const rows = await this.driver.rows<{ hash: string }>('SELECT hash FROM session_assets WHERE session_id = :session', { session: sessionId });
    await this.driver.transaction(function* () {
      yield* changes('DELETE FROM session_assets WHERE session_id = :session', { session: sessionId });
      for (const part of chunks(rows.map((row) => row.hash), HASHES_PER_STATEMENT)) {
        const { list, params } = hashList(part);
        yield* changes(
          `DELETE FROM captured_assets WHERE hash IN (${list})
             AND NOT EXISTS (SELECT 1 FROM session_assets r WHERE r.hash = captured_assets.hash)`,
          params,
        );
      }
    });
  }

  /**
   * After retention: drops the references of sessions that no longer exist, then the assets no
   * session references, once past the grace an upload gets. Returns how many assets went.
   */
  async collect(now: number): Promise<number> {
    return this.driver.transaction(function* () {
      yield* changes('DELETE FROM session_assets WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = session_assets.session_id)');
      return yield* changes(
        `DELETE FROM captured_assets WHERE created_at < :cutoff
           AND NOT EXISTS (SELECT 1 FROM session_assets r WHERE r.hash = captured_assets.hash)`,
        { cutoff: now - UNREFERENCED_ASSET_GRACE_MS },
      );
    });
  }
}
