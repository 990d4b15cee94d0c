-- Retroactive timeouts (issue 15), as SQLite's migration 010: the walk for the sessions a long
-- timeout changes reads sessions_by_device_time alone, in its order. The query names the stored
-- columns merge_gap_ms, length_ms and started_at are computed from (SQLite needs that spelling),
-- so the index holds those; it is about half the size of 007's.
DROP INDEX sessions_by_device_time;
CREATE INDEX sessions_by_device_time ON sessions (project, device_id, first_activity_at, id)
  INCLUDE (gap_before_ms, gap_after_ms, longest_idle_ms, last_activity_at, clock_offset_ms, signal_times, idle_gaps)
  WHERE first_activity_at IS NOT NULL;
-- Without statistics on the two computed conditions the planner guessed a third of the rows for
-- each, expected a few thousand sessions instead of half a million, and sorted a parallel scan
-- of the table on disk instead of walking the index (1.3 s against 0.5 s at a million sessions).
CREATE STATISTICS sessions_started_expr ON (first_activity_at + clock_offset_ms) FROM sessions;
CREATE STATISTICS sessions_length_expr ON (last_activity_at - first_activity_at) FROM sessions;
ANALYZE sessions;
