-- Share links (SQLite's migration 006): each opens one session's replay without the admin token.
-- Only the SHA-256 of a link's secret is kept (hex), so a copy of the database opens no replay.
-- A link is removed when revoked and with its session (SESSION_TABLES).
CREATE TABLE shares (
  id text COLLATE "C" PRIMARY KEY,
  session_id text COLLATE "C" NOT NULL,
  secret_hash text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX shares_by_session ON shares (session_id, created_at);
