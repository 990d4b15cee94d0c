-- Length analytics (issue 4): filters on visited pages and tracked events, idle gaps for
-- re-sessionising under another timeout, and a length histogram maintained by triggers so
-- statistics over a million sessions read a few thousand rows instead of every session.
-- Times are integers (ingest validates them), so the slot and day arithmetic below is exact.

ALTER TABLE sessions ADD COLUMN user_traits TEXT;
-- Batches the recorder reported dropping (its queue overflowed, or the server refused them).
ALTER TABLE sessions ADD COLUMN dropped_batches INTEGER NOT NULL DEFAULT 0;
-- Gaps of more than IDLE_GAP_MS between activities, JSON [[from, to], ...] on the client's
-- clock, NULL when none: a shorter retroactive timeout can only split a session there.
ALTER TABLE sessions ADD COLUMN idle_gaps TEXT;

-- Lower edge (ms) of the length's histogram bucket. Names in double braces are filled in when
-- migrating, from the TypeScript constants of that name (LENGTH_BUCKET: LENGTH_BUCKET_EDGES).
ALTER TABLE sessions ADD COLUMN length_bucket INTEGER GENERATED ALWAYS AS ({{LENGTH_BUCKET}}) VIRTUAL;
-- Start of the 15-minute slot the session started in: every time zone's offset is a multiple
-- of 15 minutes, so slots add up to days in any of them.
ALTER TABLE sessions ADD COLUMN start_slot INTEGER GENERATED ALWAYS AS (started_at - started_at % {{SLOT_MS}}) VIRTUAL;

-- Listing indexes cover only listed sessions (those with activity), so a count over a length
-- or time range is read from the index alone.
DROP INDEX sessions_by_length;
DROP INDEX sessions_by_started;
DROP INDEX sessions_by_ended;
DROP INDEX sessions_by_events;
CREATE INDEX sessions_by_length ON sessions (length_ms, id) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_started ON sessions (started_at, id) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_ended ON sessions (ended_at, id) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_events ON sessions (event_count, id) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_active ON sessions (active_ms, id) WHERE first_activity_at IS NOT NULL;
-- hasErrors=true is counted from this small index (per start time) alone.
CREATE INDEX sessions_with_errors ON sessions (started_at) WHERE error_count > 0 AND first_activity_at IS NOT NULL;
-- Percentiles: the k-th length of one bucket within a start-time range, from the index alone.
CREATE INDEX sessions_by_bucket ON sessions (length_bucket, length_ms, started_at, project)
  WHERE first_activity_at IS NOT NULL;
-- Retroactive timeouts read every session of a range device by device, from the index alone.
CREATE INDEX sessions_by_device_time ON sessions
  (project, device_id, first_activity_at, last_activity_at, clock_offset_ms, idle_gaps)
  WHERE first_activity_at IS NOT NULL;
-- status=live|concluded: a session is live while ended_at + timeout_ms >= now.
CREATE INDEX sessions_by_live ON sessions (ended_at + timeout_ms) WHERE first_activity_at IS NOT NULL;

CREATE TABLE urls (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE
);
-- Every page a session visited (page loads and SPA navigations).
CREATE TABLE session_pages (
  url_id INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  PRIMARY KEY (url_id, session_id)
) WITHOUT ROWID;
CREATE INDEX session_pages_by_session ON session_pages (session_id);

-- Names passed to track() in each session.
CREATE TABLE session_events (
  name TEXT NOT NULL,
  session_id TEXT NOT NULL,
  PRIMARY KEY (name, session_id)
) WITHOUT ROWID;
CREATE INDEX session_events_by_session ON session_events (session_id);

-- Aggregates maintained by the triggers below, all keyed by start time (server clock):
-- sessions and summed length per 15-minute slot (counts, totals, per-day charts); per UTC day
-- and length bucket (distributions and percentiles over whole days); per slot and bucket
-- (the same for the part of a range that is not whole days, and per-day figures of sessions
-- within length bounds).
CREATE TABLE slot_totals (
  project TEXT NOT NULL,
  slot INTEGER NOT NULL,
  sessions INTEGER NOT NULL,
  total_ms INTEGER NOT NULL,
  PRIMARY KEY (slot, project)
) WITHOUT ROWID;
CREATE TABLE day_buckets (
  project TEXT NOT NULL,
  day INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  sessions INTEGER NOT NULL,
  PRIMARY KEY (day, project, bucket)
) WITHOUT ROWID;
CREATE TABLE slot_buckets (
  project TEXT NOT NULL,
  slot INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  sessions INTEGER NOT NULL,
  total_ms INTEGER NOT NULL,
  PRIMARY KEY (slot, project, bucket)
) WITHOUT ROWID;

CREATE TRIGGER sessions_aggregates_insert AFTER INSERT ON sessions
WHEN NEW.first_activity_at IS NOT NULL
BEGIN
  INSERT INTO slot_totals VALUES (NEW.project, NEW.start_slot, 1, NEW.length_ms)
  ON CONFLICT DO UPDATE SET sessions = sessions + 1, total_ms = total_ms + excluded.total_ms;
  INSERT INTO day_buckets VALUES (NEW.project, NEW.started_at - NEW.started_at % 86400000, NEW.length_bucket, 1)
  ON CONFLICT DO UPDATE SET sessions = sessions + 1;
  INSERT INTO slot_buckets VALUES (NEW.project, NEW.start_slot, NEW.length_bucket, 1, NEW.length_ms)
  ON CONFLICT DO UPDATE SET sessions = sessions + 1, total_ms = total_ms + excluded.total_ms;
END;

CREATE TRIGGER sessions_aggregates_delete AFTER DELETE ON sessions
WHEN OLD.first_activity_at IS NOT NULL
BEGIN
  UPDATE slot_totals SET sessions = sessions - 1, total_ms = total_ms - OLD.length_ms
  WHERE slot = OLD.start_slot AND project = OLD.project;
  UPDATE day_buckets SET sessions = sessions - 1
  WHERE day = OLD.started_at - OLD.started_at % 86400000 AND project = OLD.project AND bucket = OLD.length_bucket;
  UPDATE slot_buckets SET sessions = sessions - 1, total_ms = total_ms - OLD.length_ms
  WHERE slot = OLD.start_slot AND project = OLD.project AND bucket = OLD.length_bucket;
END;

-- An update is a delete of the old row's contribution and an insert of the new one's.
CREATE TRIGGER sessions_aggregates_update AFTER UPDATE OF first_activity_at, last_activity_at, clock_offset_ms ON sessions
WHEN OLD.length_ms IS NOT NEW.length_ms OR OLD.started_at IS NOT NEW.started_at
BEGIN
  UPDATE slot_totals SET sessions = sessions - 1, total_ms = total_ms - OLD.length_ms
  WHERE OLD.first_activity_at IS NOT NULL AND slot = OLD.start_slot AND project = OLD.project;
  UPDATE day_buckets SET sessions = sessions - 1
  WHERE OLD.first_activity_at IS NOT NULL AND day = OLD.started_at - OLD.started_at % 86400000
    AND project = OLD.project AND bucket = OLD.length_bucket;
  UPDATE slot_buckets SET sessions = sessions - 1, total_ms = total_ms - OLD.length_ms
  WHERE OLD.first_activity_at IS NOT NULL AND slot = OLD.start_slot AND project = OLD.project AND bucket = OLD.length_bucket;
  INSERT INTO slot_totals SELECT NEW.project, NEW.start_slot, 1, NEW.length_ms WHERE NEW.first_activity_at IS NOT NULL
  ON CONFLICT DO UPDATE SET sessions = sessions + 1, total_ms = total_ms + excluded.total_ms;
  INSERT INTO day_buckets SELECT NEW.project, NEW.started_at - NEW.started_at % 86400000, NEW.length_bucket, 1
  WHERE NEW.first_activity_at IS NOT NULL
  ON CONFLICT DO UPDATE SET sessions = sessions + 1;
  INSERT INTO slot_buckets SELECT NEW.project, NEW.start_slot, NEW.length_bucket, 1, NEW.length_ms
  WHERE NEW.first_activity_at IS NOT NULL
  ON CONFLICT DO UPDATE SET sessions = sessions + 1, total_ms = total_ms + excluded.total_ms;
END;

-- Sessions recorded before this migration: the histogram, idle gaps, entry and exit pages.
INSERT INTO slot_totals SELECT project, start_slot, count(*), sum(length_ms) FROM sessions
WHERE first_activity_at IS NOT NULL GROUP BY 1, 2;
INSERT INTO day_buckets SELECT project, started_at - started_at % 86400000, length_bucket, count(*) FROM sessions
WHERE first_activity_at IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO slot_buckets SELECT project, start_slot, length_bucket, count(*), sum(length_ms) FROM sessions
WHERE first_activity_at IS NOT NULL GROUP BY 1, 2, 3;
INSERT OR IGNORE INTO urls (url) SELECT entry_url FROM sessions WHERE entry_url IS NOT NULL
  UNION SELECT exit_url FROM sessions WHERE exit_url IS NOT NULL;
INSERT OR IGNORE INTO session_pages (url_id, session_id)
SELECT u.id, s.id FROM sessions s JOIN urls u ON u.url IN (s.entry_url, s.exit_url);
WITH ordered AS (
  SELECT session_id, start_ts, end_ts,
    max(end_ts) OVER (PARTITION BY session_id ORDER BY start_ts ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
  FROM activity_spans
), gaps AS (
  SELECT session_id, json_group_array(json_array(before, start_ts)) AS list
  FROM (SELECT * FROM ordered WHERE start_ts - before > {{IDLE_GAP_MS}} ORDER BY session_id, start_ts)
  GROUP BY session_id
)
UPDATE sessions SET idle_gaps = gaps.list FROM gaps WHERE gaps.session_id = sessions.id;
