-- Retroactive timeouts (issue 15). Per session: how long its device was idle before it
-- (gap_before_ms: its first activity − the latest last activity of the device's earlier
-- sessions; NULL for the first), the same of the session after it (gap_after_ms), and its
-- longest idle gap (0 when none). Under another timeout T only the sessions with a
-- neighbouring gap ≤ T (they merge) or an idle gap > T (it splits) change: the statistics
-- re-split those and take every other session from the aggregates. A device's sessions are
-- ordered by (first_activity_at, id), as re-sessionising reads them, on the client's clock.
-- A stored gap may be smaller than the true one, never larger: deleting a session leaves its
-- neighbours' gaps as they were (they can only have grown), which only makes a session be read.
ALTER TABLE sessions ADD COLUMN gap_before_ms INTEGER;
ALTER TABLE sessions ADD COLUMN gap_after_ms INTEGER;
-- The smaller of the two: a timeout of at least this merges the session with a neighbour.
ALTER TABLE sessions ADD COLUMN merge_gap_ms INTEGER GENERATED ALWAYS AS (
  CASE WHEN gap_after_ms IS NULL OR gap_before_ms <= gap_after_ms THEN gap_before_ms ELSE gap_after_ms END) VIRTUAL;
ALTER TABLE sessions ADD COLUMN longest_idle_ms INTEGER NOT NULL DEFAULT 0;

UPDATE sessions SET longest_idle_ms = (
  SELECT max(json_extract(value, '$[1]') - json_extract(value, '$[0]')) FROM json_each(idle_gaps))
WHERE idle_gaps IS NOT NULL AND idle_gaps <> '[]';

UPDATE sessions SET gap_before_ms = gaps.before, gap_after_ms = gaps.after
FROM (
  SELECT id, before, lead(before) OVER (PARTITION BY project, device_id ORDER BY first_activity_at, id) AS after
  FROM (
    SELECT id, project, device_id, first_activity_at, first_activity_at - max(last_activity_at) OVER (
      PARTITION BY project, device_id ORDER BY first_activity_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS before
    FROM sessions WHERE first_activity_at IS NOT NULL
  )
) AS gaps
WHERE sessions.id = gaps.id;

CREATE TRIGGER sessions_longest_idle_insert AFTER INSERT ON sessions WHEN NEW.idle_gaps IS NOT NULL
BEGIN
  UPDATE sessions SET longest_idle_ms = coalesce((
    SELECT max(json_extract(value, '$[1]') - json_extract(value, '$[0]')) FROM json_each(NEW.idle_gaps)), 0)
  WHERE id = NEW.id;
END;
CREATE TRIGGER sessions_longest_idle_update AFTER UPDATE OF idle_gaps ON sessions
WHEN NEW.idle_gaps IS NOT OLD.idle_gaps
BEGIN
  UPDATE sessions SET longest_idle_ms = coalesce((
    SELECT max(json_extract(value, '$[1]') - json_extract(value, '$[0]')) FROM json_each(NEW.idle_gaps)), 0)
  WHERE id = NEW.id;
END;

-- The gaps as batches arrive. The usual batch extends the device's latest session and changes
-- no gap. A new latest session takes its gap from the device's earlier ones and gives it to its
-- predecessor. Any other change of a session's activity (a session recorded out of order, a
-- late batch of one with later ones, a first activity that moved) recomputes the device's gaps,
-- a few hundred rows at most.
CREATE TRIGGER sessions_gaps_new_latest AFTER INSERT ON sessions
WHEN NEW.first_activity_at IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM sessions later WHERE later.project = NEW.project AND later.device_id = NEW.device_id
    AND later.first_activity_at >= NEW.first_activity_at AND later.id <> NEW.id)
BEGIN
  UPDATE sessions SET gap_before_ms = NEW.first_activity_at - (
    SELECT max(earlier.last_activity_at) FROM sessions earlier WHERE earlier.project = NEW.project
      AND earlier.device_id = NEW.device_id AND earlier.first_activity_at IS NOT NULL AND earlier.id <> NEW.id)
  WHERE id = NEW.id;
  UPDATE sessions SET gap_after_ms = (SELECT gap_before_ms FROM sessions WHERE id = NEW.id)
  WHERE id = (
    SELECT earlier.id FROM sessions earlier WHERE earlier.project = NEW.project AND earlier.device_id = NEW.device_id
      AND earlier.first_activity_at IS NOT NULL AND earlier.id <> NEW.id
    ORDER BY earlier.first_activity_at DESC, earlier.id DESC LIMIT 1);
END;
-- A session inserted before others of its device: an update of its activity (to the same
-- value) hands it to the trigger below, which has the recomputation.
CREATE TRIGGER sessions_gaps_inserted_before AFTER INSERT ON sessions
WHEN NEW.first_activity_at IS NOT NULL AND EXISTS (
  SELECT 1 FROM sessions later WHERE later.project = NEW.project AND later.device_id = NEW.device_id
    AND later.first_activity_at >= NEW.first_activity_at AND later.id <> NEW.id)
BEGIN
  UPDATE sessions SET last_activity_at = last_activity_at WHERE id = NEW.id;
END;
CREATE TRIGGER sessions_gaps_changed AFTER UPDATE OF first_activity_at, last_activity_at ON sessions
WHEN NEW.first_activity_at IS NOT NULL AND (OLD.first_activity_at IS NOT NEW.first_activity_at OR EXISTS (
  SELECT 1 FROM sessions later WHERE later.project = NEW.project AND later.device_id = NEW.device_id
    AND later.first_activity_at >= NEW.first_activity_at AND later.id <> NEW.id))
BEGIN
  UPDATE sessions SET gap_before_ms = gaps.before, gap_after_ms = gaps.after
  FROM (
    SELECT id, before, lead(before) OVER (ORDER BY first_activity_at, id) AS after
    FROM (
      SELECT id, first_activity_at, first_activity_at - max(last_activity_at) OVER (
        ORDER BY first_activity_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
      FROM sessions WHERE project = NEW.project AND device_id = NEW.device_id AND first_activity_at IS NOT NULL
    )
  ) AS gaps
  WHERE sessions.id = gaps.id AND (sessions.gap_before_ms IS NOT gaps.before OR sessions.gap_after_ms IS NOT gaps.after);
END;

-- The sessions a timeout changes, device by device in re-sessionising's order, from the index
-- alone (a long timeout changes many); the two below find them when few do.
DROP INDEX sessions_by_device_time;
CREATE INDEX sessions_by_device_time ON sessions
  (project, device_id, first_activity_at, id, merge_gap_ms, longest_idle_ms, length_ms, started_at,
   last_activity_at, clock_offset_ms, idle_gaps, signal_times)
  WHERE first_activity_at IS NOT NULL;
-- Partial on the gap itself: a query that only asks for sessions with activity must not walk it.
CREATE INDEX sessions_by_merge_gap ON sessions (merge_gap_ms) WHERE merge_gap_ms IS NOT NULL;
CREATE INDEX sessions_with_idle_gaps ON sessions (longest_idle_ms) WHERE longest_idle_ms > 0;
-- A retroactive timeout's frustrated share: the sessions with signal times, per start time.
CREATE INDEX sessions_with_signal_times ON sessions (started_at, project)
  WHERE signal_times IS NOT NULL AND first_activity_at IS NOT NULL;
