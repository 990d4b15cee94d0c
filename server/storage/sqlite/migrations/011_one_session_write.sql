-- One write of a session's row per batch (issue 15): appendBatch folds the batch's spans and
-- signal times before its upsert, which now also writes longest_idle_ms, computed from the same
-- gaps; the triggers that wrote it by a second update of the row go.
DROP TRIGGER sessions_longest_idle_insert;
DROP TRIGGER sessions_longest_idle_update;

-- The usual batch moves its session's last activity within the same 15-minute slot and length
-- bucket: only the slot's and the slot bucket's summed lengths change, by the length's change.
-- The aggregates' full update (002: take the old row's contribution out, put the new one's in,
-- six writes) is left to the other changes.
DROP TRIGGER sessions_aggregates_update;
CREATE TRIGGER sessions_aggregates_update AFTER UPDATE OF first_activity_at, last_activity_at, clock_offset_ms ON sessions
WHEN (OLD.length_ms IS NOT NEW.length_ms OR OLD.started_at IS NOT NEW.started_at)
  AND NOT (OLD.first_activity_at IS NOT NULL AND OLD.start_slot IS NEW.start_slot AND OLD.length_bucket IS NEW.length_bucket)
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
CREATE TRIGGER sessions_aggregates_length AFTER UPDATE OF first_activity_at, last_activity_at, clock_offset_ms ON sessions
WHEN OLD.length_ms IS NOT NEW.length_ms
  AND OLD.first_activity_at IS NOT NULL AND OLD.start_slot IS NEW.start_slot AND OLD.length_bucket IS NEW.length_bucket
BEGIN
  UPDATE slot_totals SET total_ms = total_ms + NEW.length_ms - OLD.length_ms WHERE slot = NEW.start_slot AND project = NEW.project;
  UPDATE slot_buckets SET total_ms = total_ms + NEW.length_ms - OLD.length_ms
  WHERE slot = NEW.start_slot AND project = NEW.project AND bucket = NEW.length_bucket;
END;
