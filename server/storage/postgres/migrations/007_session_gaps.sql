-- Retroactive timeouts (issue 15): the gaps of SQLite's migration 008, which says what they
-- mean. Per session: the device's idle time before it and after it, the smaller of the two,
-- and its longest idle gap; the sessions a timeout changes are found from those.
ALTER TABLE sessions ADD COLUMN gap_before_ms bigint, ADD COLUMN gap_after_ms bigint,
  ADD COLUMN longest_idle_ms bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN merge_gap_ms bigint GENERATED ALWAYS AS (
  CASE WHEN gap_after_ms IS NULL OR gap_before_ms <= gap_after_ms THEN gap_before_ms ELSE gap_after_ms END) STORED;

-- The longest of a session's idle gaps (JSON [[from, to], ...]), 0 when none.
CREATE FUNCTION longest_idle(idle_gaps text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(max((gap->>1)::bigint - (gap->>0)::bigint), 0) FROM json_array_elements(idle_gaps::json) AS gap
$$;

-- Recomputes the gaps of one device's sessions (a few hundred rows at most), writing the changed ones.
CREATE FUNCTION update_device_gaps(p text, d text) RETURNS void LANGUAGE sql AS $$
  UPDATE sessions SET gap_before_ms = gaps.before, gap_after_ms = gaps.after
  FROM (
    SELECT id, before, lead(before) OVER (ORDER BY first_activity_at, id) AS after
    FROM (
      SELECT id, first_activity_at, first_activity_at - max(last_activity_at) OVER (
        ORDER BY first_activity_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
      FROM sessions WHERE project = p AND device_id = d AND first_activity_at IS NOT NULL
    ) AS ordered
  ) AS gaps
  WHERE sessions.id = gaps.id
    AND (sessions.gap_before_ms IS DISTINCT FROM gaps.before OR sessions.gap_after_ms IS DISTINCT FROM gaps.after);
$$;

UPDATE sessions SET longest_idle_ms = longest_idle(idle_gaps) WHERE idle_gaps IS NOT NULL;
UPDATE sessions SET gap_before_ms = gaps.before, gap_after_ms = gaps.after
FROM (
  SELECT id, before, lead(before) OVER (PARTITION BY project, device_id ORDER BY first_activity_at, id) AS after
  FROM (
    SELECT id, project, device_id, first_activity_at, first_activity_at - max(last_activity_at) OVER (
      PARTITION BY project, device_id ORDER BY first_activity_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS before
    FROM sessions WHERE first_activity_at IS NOT NULL
  ) AS ordered
) AS gaps
WHERE sessions.id = gaps.id;

CREATE FUNCTION sessions_longest_idle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.longest_idle_ms := coalesce(longest_idle(NEW.idle_gaps), 0);
  RETURN NEW;
END $$;
CREATE TRIGGER sessions_longest_idle BEFORE INSERT OR UPDATE OF idle_gaps ON sessions
  FOR EACH ROW EXECUTE FUNCTION sessions_longest_idle();

-- The gaps as batches arrive. The usual batch extends the device's latest session and changes
-- no gap; a new session, a moved first activity, or a session with later ones (a late batch, a
-- session recorded out of order) recomputes the device's. The device's sessions are locked
-- first: a batch of one of them stored at the same time commits before the gaps are read, and
-- one that comes after sees this session and recomputes them in turn.
CREATE FUNCTION sessions_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.first_activity_at IS NULL THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.first_activity_at IS NOT DISTINCT FROM NEW.first_activity_at AND NOT EXISTS (
    SELECT 1 FROM sessions later WHERE later.project = NEW.project AND later.device_id = NEW.device_id
      AND later.first_activity_at >= NEW.first_activity_at AND later.id <> NEW.id) THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM sessions WHERE project = NEW.project AND device_id = NEW.device_id AND first_activity_at IS NOT NULL
    ORDER BY id FOR UPDATE;
  PERFORM update_device_gaps(NEW.project, NEW.device_id);
  RETURN NULL;
END $$;
CREATE TRIGGER sessions_gaps AFTER INSERT OR UPDATE OF first_activity_at, last_activity_at ON sessions
  FOR EACH ROW EXECUTE FUNCTION sessions_gaps();

-- The sessions a timeout changes, device by device in re-sessionising's order, from the index
-- alone when a long timeout changes many; the two below find them when few do.
DROP INDEX sessions_by_device_time;
CREATE INDEX sessions_by_device_time ON sessions (project, device_id, first_activity_at, id)
  INCLUDE (merge_gap_ms, longest_idle_ms, length_ms, started_at, last_activity_at, clock_offset_ms, idle_gaps, signal_times)
  WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_by_merge_gap ON sessions (merge_gap_ms) WHERE merge_gap_ms IS NOT NULL;
CREATE INDEX sessions_with_idle_gaps ON sessions (longest_idle_ms) WHERE longest_idle_ms > 0;
-- A retroactive timeout's frustrated share: the sessions with signal times, per start time.
CREATE INDEX sessions_with_signal_times ON sessions (started_at, project)
  WHERE signal_times IS NOT NULL AND first_activity_at IS NOT NULL;
