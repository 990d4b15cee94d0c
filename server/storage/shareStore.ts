/**
 * Share links as stored, in the SQL SQLite and PostgreSQL share (`?` placeholders). A link's
 * secret is never stored, only its SHA-256; links go with their session (SESSION_TABLES).
 */

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

/** What the share statements need of a database: rows of a query, and rows a statement changed. */
export interface SqlRunner {
  all<T>(sql: string, params: unknown[]): Promise<T[]>;
  run(sql: string, params: unknown[]): Promise<number>;
}

const COLUMNS = 'id, session_id AS "sessionId", secret_hash AS "secretHash", created_at AS "createdAt", expires_at AS "expiresAt"';

/** The share store over either database. */
export function sqlShareStore(db: SqlRunner): ShareStore {
  return {
    createShare: async (share) => {
      await db.run('INSERT INTO shares (id, session_id, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
        share.id,
        share.sessionId,
        share.secretHash,
        share.createdAt,
        share.expiresAt,
      ]);
    },
    listShares: (sessionId) =>
      db.all<ShareRecord>(`SELECT ${COLUMNS} FROM shares WHERE session_id = ? ORDER BY created_at DESC, id`, [sessionId]),
    findShare: async (id) => (await db.all<ShareRecord>(`SELECT ${COLUMNS} FROM shares WHERE id = ?`, [id]))[0] ?? null,
    deleteShare: async (id) => (await db.run('DELETE FROM shares WHERE id = ?', [id])) > 0,
  };
}
