-- Captured assets (stylesheets, fonts, images) stored once per SHA-256, so replays outlive the
-- recorded site; session_assets says which sessions' recordings name each, and an asset goes
-- with the last of them (server/assets/assetStore.ts).
CREATE TABLE captured_assets (
  hash TEXT PRIMARY KEY,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  body BLOB NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE session_assets (
  session_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (session_id, hash)
);
CREATE INDEX session_assets_by_hash ON session_assets (hash);
