-- Frustration signals (issue 17), as SQLite's migration 003: rage, dead and error clicks
-- counted at ingest, their sum for sort=frustration and the signal= filter, and their click
-- times (JSON [t, ...], client clock, NULL when none) for retroactive timeouts.
ALTER TABLE sessions
  ADD COLUMN rage_clicks bigint NOT NULL DEFAULT 0,
  ADD COLUMN dead_clicks bigint NOT NULL DEFAULT 0,
  ADD COLUMN error_clicks bigint NOT NULL DEFAULT 0,
  ADD COLUMN frustration bigint GENERATED ALWAYS AS (rage_clicks + dead_clicks + error_clicks) STORED,
  ADD COLUMN signal_times text;
CREATE INDEX sessions_by_frustration ON sessions (frustration, id) WHERE first_activity_at IS NOT NULL;
CREATE INDEX sessions_frustrated ON sessions (started_at) WHERE frustration > 0 AND first_activity_at IS NOT NULL;
CREATE INDEX sessions_with_rage ON sessions (started_at) WHERE rage_clicks > 0 AND first_activity_at IS NOT NULL;
CREATE INDEX sessions_with_dead ON sessions (started_at) WHERE dead_clicks > 0 AND first_activity_at IS NOT NULL;
CREATE INDEX sessions_with_error_clicks ON sessions (started_at) WHERE error_clicks > 0 AND first_activity_at IS NOT NULL;
