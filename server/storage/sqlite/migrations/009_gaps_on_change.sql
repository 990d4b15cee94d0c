-- The gaps' recomputation (008) ran at every batch of a session with later ones of its device,
-- though a batch that moves neither its first nor its last activity changes no gap: the upsert
-- names both columns in every batch, and SQLite fires UPDATE OF triggers on the names, not
-- the values. Now it runs when one of them changed, or for a session whose gaps were never
-- computed (gap_after_ms NULL while later sessions exist: one just inserted before others,
-- which sessions_gaps_inserted_before hands over by an update to the same value).
DROP TRIGGER sessions_gaps_changed;
CREATE TRIGGER sessions_gaps_changed AFTER UPDATE OF first_activity_at, last_activity_at ON sessions
WHEN NEW.first_activity_at IS NOT NULL AND (OLD.first_activity_at IS NOT NEW.first_activity_at OR
  (OLD.last_activity_at IS NOT NEW.last_activity_at OR NEW.gap_after_ms IS NULL) AND EXISTS (
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
