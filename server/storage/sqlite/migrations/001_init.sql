-- Sessions: one row each, aggregates maintained by appendBatch in the chunk's transaction.
-- Activity times are on the client's clock (lengths are client-measured); clock_offset_ms,
-- from the session's first stored batch, maps them to the server's clock.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  project TEXT NOT NULL,
  device_id TEXT NOT NULL,
  user_id TEXT,
  user_agent TEXT,
  timeout_ms INTEGER NOT NULL,
  clock_offset_ms INTEGER NOT NULL,
  first_activity_at INTEGER,
  last_activity_at INTEGER,
  length_ms INTEGER GENERATED ALWAYS AS (last_activity_at - first_activity_at) STORED,
  started_at INTEGER GENERATED ALWAYS AS (first_activity_at + clock_offset_ms) STORED,
  ended_at INTEGER GENERATED ALWAYS AS (last_activity_at + clock_offset_ms) STORED,
  active_ms INTEGER NOT NULL DEFAULT 0,
  event_count INTEGER NOT NULL DEFAULT 0,
  error_count INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  pages INTEGER NOT NULL DEFAULT 0,
  windows INTEGER NOT NULL DEFAULT 0,
  entry_at INTEGER,
  entry_url TEXT,
  exit_at INTEGER,
  exit_url TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_length ON sessions (length_ms, id);
CREATE INDEX sessions_by_started ON sessions (started_at, id);
CREATE INDEX sessions_by_ended ON sessions (ended_at, id);
CREATE INDEX sessions_by_events ON sessions (event_count, id);
CREATE INDEX sessions_by_user ON sessions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX sessions_by_device ON sessions (device_id);

-- Each window (tab) of a session, in the order it was first seen.
CREATE TABLE session_windows (
  session_id TEXT NOT NULL,
  window_id TEXT NOT NULL,
  first_ts INTEGER NOT NULL,
  PRIMARY KEY (session_id, window_id)
) WITHOUT ROWID;

-- One row per accepted batch: the idempotency key and the gzipped batch as received.
CREATE TABLE chunks (
  session_id TEXT NOT NULL,
  window_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  clock_offset_ms INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX chunks_key ON chunks (session_id, window_id, seq);

-- Activity spans (gaps ≤ ACTIVE_IDLE_MS inside) per batch, on the client's clock: active time
-- and re-sessionising under another timeout are computed from these, never from recordings.
CREATE TABLE activity_spans (
  session_id TEXT NOT NULL,
  start_ts INTEGER NOT NULL,
  end_ts INTEGER NOT NULL
);
CREATE INDEX activity_spans_by_session ON activity_spans (session_id, start_ts);
