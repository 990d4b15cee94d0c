/**
 * Share links as stored, in SQL written once for both databases. A link's secret is never
 * stored, only its SHA-256; links go with their session (deleteSessions' tables).
 */
import { changes, type SqlDriver } from '../sql';

/** One share link. */
export interface ShareRecord {
  id: string;
  sessionId: string;
  /** SHA-256 of the link's secret, hex. */
  secretHash: string;
  createdAt: number;
  expiresAt: number;
}

/** What the share routes need of the database. */
export interface ShareStore {
  createShare(share: ShareRecord): Promise<void>;
  /** A session's links, newest first. */
  listShares(sessionId: string): Promise<ShareRecord[]>;
  findShare(id: string): Promise<ShareRecord | null>;
  /** Revokes a link; false when there was none. */
  deleteShare(id: string): Promise<boolean>;
}

const COLUMNS = 'id, session_id AS "sessionId", secret_hash AS "secretHash", created_at AS "createdAt", expires_at AS "expiresAt"';

/** The share store over either database. */
export function sqlShareStore(db: SqlDriver): ShareStore {
  return {
    createShare: async (share) => {
      await db.transaction(() =>
        changes(
          `INSERT INTO shares (id, session_id, secret_hash, created_at, expires_at)
           VALUES (:id, :sessionId, :secretHash, :createdAt, :expiresAt)`,
          { ...share },
        ),
      );
    },
    listShares: (sessionId) =>
      db.rows<ShareRecord>(`SELECT ${COLUMNS} FROM shares WHERE session_id = :sessionId ORDER BY created_at DESC, id`, { sessionId }),
    findShare: async (id) => (await db.rows<ShareRecord>(`SELECT ${COLUMNS} FROM shares WHERE id = :id`, { id }))[0] ?? null,
    deleteShare: async (id) => (await db.transaction(() => changes('DELETE FROM shares WHERE id = :id', { id }))) > 0,
  };
}
