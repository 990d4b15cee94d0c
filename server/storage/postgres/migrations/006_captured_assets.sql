-- Captured assets (SQLite's migration 007): stored once per SHA-256, named by the recordings
-- of the sessions in session_assets, and gone with the last of them (server/assets/assetStore.ts).
CREATE TABLE captured_assets (
  hash text COLLATE "C" PRIMARY KEY,
  content_type text NOT NULL,
  size bigint NOT NULL,
  body bytea NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE session_assets (
  session_id text COLLATE "C" NOT NULL,
  hash text COLLATE "C" NOT NULL,
  PRIMARY KEY (session_id, hash)
);
CREATE INDEX session_assets_by_hash ON session_assets (hash);
