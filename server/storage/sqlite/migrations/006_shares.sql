-- Share links: each opens one session's replay without the admin token. Only the SHA-256 of a
-- link's secret is kept (hex), so a copy of the database opens no replay. A link is removed when
-- revoked and with its session (SESSION_TABLES).
CREATE TABLE shares (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX shares_by_session ON shares (session_id, created_at);
