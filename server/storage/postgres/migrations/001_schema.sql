-- The SQLite schema (migrations 001 and 002 there) on PostgreSQL, for several server nodes
-- sharing one database. Same tables, columns and aggregates; times are ms since the epoch.
-- Activity times are on the client's clock (lengths are client-measured); clock_offset_ms,
-- from the session's first stored batch, maps them to the server's clock.

-- The statements shared with SQLite spell substring search as instr().
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT strpos(haystack, needle)';

-- Lower edge (ms) of a length's histogram bucket. Names in double braces are filled in when
-- migrating, from the TypeScript constants of that name (LENGTH_BUCKET: LENGTH_BUCKET_EDGES).
CREATE FUNCTION length_bucket(length_ms bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT {{LENGTH_BUCKET}} $$;

-- Ids compare byte-wise, as in SQLite, so keyset cursors order the same on both.
CREATE TABLE sessions (
  id text COLLATE "C" PRIMARY KEY,
  project text NOT NULL,
  device_id text NOT NULL,
  user_id text,
  user_traits text,
  user_agent text,
  timeout_ms bigint NOT NULL,
  clock_offset_ms bigint NOT NULL,
  first_activity_at bigint,
  last_activity_at bigint,
  -- A generated column cannot read another, so each spells out its own arithmetic.
  length_ms bigint GENERATED ALWAYS AS (last_activity_at - first_activity_at) STORED,
  started_at bigint GENERATED ALWAYS AS (first_activity_at + clock_offset_ms) STORED,
  ended_at bigint GENERATED ALWAYS AS (last_activity_at + clock_offset_ms) STORED,
  length_bucket bigint GENERATED ALWAYS AS (length_bucket(last_activity_at - first_activity_at)) STORED,
  -- Start of the 15-minute slot the session started in (server clock).
  start_slot bigint GENERATED ALWAYS AS
    ((first_activity_at + clock_offset_ms) - (first_activity_at + clock_offset_ms) % {{SLOT_MS}}) STORED,
  active_ms bigint NOT NULL DEFAULT 0,
  event_count bigint NOT NULL DEFAULT 0,
  error_count bigint NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0,
  pages bigint NOT NULL DEFAULT 0,
  windows bigint NOT NULL DEFAULT 0,
  dropped_batches bigint NOT NULL DEFAULT 0,
  entry_at bigint,
  entry_url text,
  exit_at bigint,
  exit_url text,
  -- Gaps of more than IDLE_GAP_MS between activities, JSON [[from, to], ...], NULL when none.
  idle_gaps text,
  created_at bigint NOT NULL
);
-- Listing indexes cover only listed sessions (those with activity).
CREATE INDEX sessions_by_length ON sessions (length_ms, id) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_started ON sessions (started_at, id) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_ended ON sessions (ended_at, id) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_events ON sessions (event_count, id) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_active ON sessions (active_ms, id) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_user ON sessions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX sessions_by_device ON sessions (device_id);
CREATE INDEX sessions_with_errors ON sessions (started_at) WHERE error_count > 0 AND first_activity_at IS NOT NULL;
-- Percentiles: the k-th length of one bucket within a start-time range.
CREATE INDEX sessions_by_bucket ON sessions (length_bucket, length_ms, started_at, project)
  WHERE first_activity_at IS NOT NULL;
-- Retroactive timeouts read every session of a range device by device.
CREATE INDEX sessions_by_device_time ON sessions (project, device_id, first_activity_at)
  INCLUDE (last_activity_at, clock_offset_ms) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_live ON sessions ((ended_at + timeout_ms)) WHERE first_activity_at IS NOT NULL;
-- Sessions without activity have no end time: retention finds them by creation.
CREATE INDEX sessions_unlisted ON sessions (created_at) WHERE first_activity_at IS NULL;

-- Each window (tab) of a session, in the order it was first seen.
CREATE TABLE session_windows (
  session_id text COLLATE "C" NOT NULL,
  window_id text COLLATE "C" NOT NULL,
  first_ts bigint NOT NULL,
  PRIMARY KEY (session_id, window_id)
);

-- One row per accepted batch: the idempotency key and the gzipped batch as received.
CREATE TABLE chunks (
  session_id text COLLATE "C" NOT NULL,
  window_id text COLLATE "C" NOT NULL,
  seq integer NOT NULL,
  first_ts bigint NOT NULL,
  last_ts bigint NOT NULL,
  event_count integer NOT NULL,
  received_at bigint NOT NULL,
  clock_offset_ms bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (session_id, window_id, seq)
);
-- Already gzipped: PostgreSQL's own TOAST compression would only spend CPU on it.
ALTER TABLE chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- Activity spans per batch, on the client's clock: active time and idle gaps come from these.
CREATE TABLE activity_spans (
  session_id text COLLATE "C" NOT NULL,
  start_ts bigint NOT NULL,
  end_ts bigint NOT NULL
);
CREATE INDEX activity_spans_by_session ON activity_spans (session_id, start_ts);

CREATE TABLE urls (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url text NOT NULL UNIQUE
);
-- Every page a session visited (page loads and SPA navigations).
CREATE TABLE session_pages (
  url_id bigint NOT NULL,
  session_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (url_id, session_id)
);
-- With the label in the key, a listing that walks a sort order checks each session's pages
-- (or events, below) from the index alone, as SQLite's index on a WITHOUT ROWID table does.
CREATE INDEX session_pages_by_session ON session_pages (session_id, url_id);

-- Names passed to track() in each session.
CREATE TABLE session_events (
  name text NOT NULL,
  session_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (name, session_id)
);
CREATE INDEX session_events_by_session ON session_events (session_id, name);

-- Aggregates maintained by the trigger below, keyed by start time (server clock): sessions
-- and summed length per 15-minute slot; per UTC day and length bucket; per slot and bucket.
CREATE TABLE slot_totals (
  project text NOT NULL,
  slot bigint NOT NULL,
  sessions bigint NOT NULL,
  total_ms bigint NOT NULL,
  PRIMARY KEY (slot, project)
);
CREATE TABLE day_buckets (
  project text NOT NULL,
  day bigint NOT NULL,
  bucket bigint NOT NULL,
  sessions bigint NOT NULL,
  PRIMARY KEY (day, project, bucket)
);
CREATE TABLE slot_buckets (
  project text NOT NULL,
  slot bigint NOT NULL,
  bucket bigint NOT NULL,
  sessions bigint NOT NULL,
  total_ms bigint NOT NULL,
  PRIMARY KEY (slot, project, bucket)
);

-- Adds (sign 1) or removes (sign -1) one session's contribution to the aggregates. Each
-- statement updates the row in place under its row lock, so concurrent nodes lose no update.
CREATE FUNCTION add_to_aggregates(s sessions, sign integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO slot_totals VALUES (s.project, s.start_slot, sign, sign * s.length_ms)
  ON CONFLICT (slot, project) DO UPDATE
    SET sessions = slot_totals.sessions + excluded.sessions, total_ms = slot_totals.total_ms + excluded.total_ms;
  INSERT INTO day_buckets VALUES (s.project, s.started_at - s.started_at % 86400000, s.length_bucket, sign)
  ON CONFLICT (day, project, bucket) DO UPDATE SET sessions = day_buckets.sessions + excluded.sessions;
  INSERT INTO slot_buckets VALUES (s.project, s.start_slot, s.length_bucket, sign, sign * s.length_ms)
  ON CONFLICT (slot, project, bucket) DO UPDATE
    SET sessions = slot_buckets.sessions + excluded.sessions, total_ms = slot_buckets.total_ms + excluded.total_ms;
$$;

-- An update is a removal of the old row's contribution and an addition of the new one's.
CREATE FUNCTION sessions_aggregates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.length_ms IS NOT DISTINCT FROM NEW.length_ms
     AND OLD.started_at IS NOT DISTINCT FROM NEW.started_at THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.first_activity_at IS NOT NULL THEN
    PERFORM add_to_aggregates(OLD, -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.first_activity_at IS NOT NULL THEN
    PERFORM add_to_aggregates(NEW, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER sessions_aggregates AFTER INSERT OR UPDATE OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION sessions_aggregates();

-- Values several server nodes must agree on, such as the generated admin token.
CREATE TABLE settings (
  name text PRIMARY KEY,
  value text NOT NULL
);
