-- The gaps' recomputation (007) ran at every batch of a session with later ones of its device,
-- locking all of that device's sessions, though a batch that moves neither its first nor its
-- last activity changes no gap: the upsert names both columns in every batch, and UPDATE OF
-- fires on the names, not the values. Now, as in SQLite's 009, an update recomputes them when
-- its first activity moved, or its last one moved (or its gaps were never computed) while later
-- sessions exist.
CREATE OR REPLACE FUNCTION sessions_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.first_activity_at IS NULL THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.first_activity_at IS NOT DISTINCT FROM NEW.first_activity_at AND (
    (OLD.last_activity_at IS NOT DISTINCT FROM NEW.last_activity_at AND NEW.gap_after_ms IS NOT NULL) OR NOT EXISTS (
      SELECT 1 FROM sessions later WHERE later.project = NEW.project AND later.device_id = NEW.device_id
        AND later.first_activity_at >= NEW.first_activity_at AND later.id <> NEW.id)) THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM sessions WHERE project = NEW.project AND device_id = NEW.device_id AND first_activity_at IS NOT NULL
    ORDER BY id FOR UPDATE;
  PERFORM update_device_gaps(NEW.project, NEW.device_id);
  RETURN NULL;
END $$;
