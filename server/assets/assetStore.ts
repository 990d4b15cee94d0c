/**
 * Captured assets, stored once per content hash and referenced by the sessions whose recordings
 * name them. The statements are written once for both databases (assetSql.ts).
 */
import type { AssetSql } from './assetSql';

/** An asset uploaded but not yet referenced by any recording is kept this long (its batch may still be on its way). */
export const UNREFERENCED_ASSET_GRACE_MS = 86_400_000;

/** One stored asset. */
export interface StoredAsset {
  hash: string;
  contentType: string;
  body: Buffer;
}

/** Asks in chunks: SQLite refuses more than a few hundred parameters per statement. */
const PARAMS_PER_STATEMENT = 400;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Stores, finds, references and collects captured assets. */
export class AssetStore {
  constructor(private readonly sql: AssetSql) {}

  /** The hashes of `hashes` that are not stored. */
  async missing(hashes: readonly string[]): Promise<string[]> {
    const present = new Set<string>();
    for (const part of chunks([...new Set(hashes)], PARAMS_PER_STATEMENT)) {
      const rows = await this.sql.all<{ hash: string }>(`SELECT hash FROM captured_assets WHERE hash IN (${marks(part.length)})`, part);
      for (const row of rows) present.add(row.hash);
    }
    return [...new Set(hashes)].filter((hash) => !present.has(hash));
  }

  /** Stores an asset whose hash the caller verified; storing it twice is harmless. */
  async put(asset: StoredAsset, now: number): Promise<void> {
    await this.sql.run(
      'INSERT INTO captured_assets (hash, content_type, size, body, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING',
      [asset.hash, asset.contentType, asset.body.length, asset.body, now],
    );
  }

  /** The asset stored under `hash`, or null. */
  async get(hash: string): Promise<StoredAsset | null> {
    const [row] = await this.sql.all<{ content_type: string; body: Buffer }>(
      'SELECT content_type, body FROM captured_assets WHERE hash = ?',
      [hash],
    );
    return row ? { hash, contentType: row.content_type, body: Buffer.from(row.body) } : null;
  }

  /** Records that the session's recording references `hashes` (stored yet or not). */
  async reference(sessionId: string, hashes: readonly string[]): Promise<void> {
    for (const part of chunks([...new Set(hashes)], PARAMS_PER_STATEMENT / 2)) {
      await this.sql.run(
        `INSERT INTO session_assets (session_id, hash) VALUES ${part.map(() => '(?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
        part.flatMap((hash) => [sessionId, hash]),
      );
    }
  }

  /** The session is gone: its references go, and the assets no other session references with them. */
  async forgetSession(sessionId: string): Promise<void> {
    const rows = await this.sql.all<{ hash: string }>('SELECT hash FROM session_assets WHERE session_id = ?', [sessionId]);
    await this.sql.run('DELETE FROM session_assets WHERE session_id = ?', [sessionId]);
    for (const part of chunks(rows.map((row) => row.hash), PARAMS_PER_STATEMENT)) {
      await this.sql.run(
        `DELETE FROM captured_assets WHERE hash IN (${marks(part.length)})
           AND NOT EXISTS (SELECT 1 FROM session_assets r WHERE r.hash = captured_assets.hash)`,
        part,
      );
    }
  }

  /**
   * After retention: drops the references of sessions that no longer exist, then the assets no
   * session references, once past the grace an upload gets. Returns how many assets went.
   */
  async collect(now: number): Promise<number> {
    await this.sql.run('DELETE FROM session_assets WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = session_assets.session_id)', []);
    return this.sql.run(
      `DELETE FROM captured_assets WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM session_assets r WHERE r.hash = captured_assets.hash)`,
      [now - UNREFERENCED_ASSET_GRACE_MS],
    );
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
