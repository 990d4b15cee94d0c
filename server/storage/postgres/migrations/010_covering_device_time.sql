-- Retroactive timeouts (issue 15), as SQLite's migration 010: the walk for the sessions a long
-- timeout changes reads sessions_by_device_time alone, in its order. The query names the stored
-- columns merge_gap_ms, length_ms and started_at are computed from (SQLite needs that spelling),
-- so the index holds those instead.
DROP INDEX sessions_by_device_time;
CREATE INDEX sessions_by_device_time ON sessions (project, device_id, first_activity_at, id)
  INCLUDE (gap_before_ms, gap_after_ms, longest_idle_ms, last_activity_at, clock_offset_ms, signal_times, idle_gaps)
  WHERE first_activity_at IS NOT NULL;
-- Without statistics on the two computed conditions the planner guessed a third of the rows for
-- each: a few thousand sessions instead of half a million, so it sized every plan for the wrong
-- count. With them it weighs the index walk against a parallel scan and sort on real numbers
-- (at a million sessions: it walks a freshly built index, 0.5 s; an index grown by inserts, 1.75
-- times the size, it costs above the scan and sort, though walking it is still twice as fast).
CREATE STATISTICS sessions_started_expr ON (first_activity_at + clock_offset_ms) FROM sessions;
CREATE STATISTICS sessions_length_expr ON (last_activity_at - first_activity_at) FROM sessions;
ANALYZE sessions;
