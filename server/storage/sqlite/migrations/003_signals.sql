-- Frustration signals (issue 17): rage, dead and error clicks, counted at ingest from the
-- recorder's $signal events.
ALTER TABLE sessions ADD COLUMN rage_clicks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN dead_clicks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN error_clicks INTEGER NOT NULL DEFAULT 0;
-- What sort=frustration orders by; above 0 for a session with any signal (the signal= filter).
ALTER TABLE sessions ADD COLUMN frustration INTEGER GENERATED ALWAYS AS (rage_clicks + dead_clicks + error_clicks) VIRTUAL;
-- Click times of the session's signals, JSON [t, ...] sorted, on the client's clock, NULL when
-- none: a retroactive timeout that splits the session tells which part each belongs to.
ALTER TABLE sessions ADD COLUMN signal_times TEXT;
-- Walked for sort=frustration; a range (frustration > 0) for signal= naming two kinds.
CREATE INDEX sessions_by_frustration ON sessions (frustration, id) WHERE first_activity_at IS NOT NULL;
-- Partial indexes hold only the few sessions with signals: frustratedShare over a time range
-- and signal= naming all kinds or one are counted from them alone.
CREATE INDEX sessions_frustrated ON sessions (started_at) WHERE frustration > 0 AND first_activity_at IS NOT NULL;
CREATE INDEX sessions_with_rage ON sessions (started_at) WHERE rage_clicks > 0 AND first_activity_at IS NOT NULL;
CREATE INDEX sessions_with_dead ON sessions (started_at) WHERE dead_clicks > 0 AND first_activity_at IS NOT NULL;
CREATE INDEX sessions_with_error_clicks ON sessions (started_at) WHERE error_clicks > 0 AND first_activity_at IS NOT NULL;
-- Retroactive timeouts read each session's signal times beside its idle gaps: the index that
-- answers them alone (migration 002) holds those too.
DROP INDEX sessions_by_device_time;
CREATE INDEX sessions_by_device_time ON sessions
  (project, device_id, first_activity_at, last_activity_at, clock_offset_ms, idle_gaps, signal_times)
  WHERE first_activity_at IS NOT NULL;
