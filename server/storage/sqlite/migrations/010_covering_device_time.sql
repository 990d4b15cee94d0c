-- A retroactive timeout walks sessions_by_device_time for the sessions it changes (a long one
-- changes half of them). SQLite counts a generated column as reading every column of its row,
-- so 008's index, holding merge_gap_ms, length_ms and started_at, never covered that query: each
-- entry cost a lookup of its table row. The index now holds only stored columns: the gaps that
-- merge_gap_ms is the smaller of, and the activity times that length and start are computed
-- from; the query computes them itself.
DROP INDEX sessions_by_device_time;
CREATE INDEX sessions_by_device_time ON sessions
  (project, device_id, first_activity_at, id, gap_before_ms, gap_after_ms, longest_idle_ms, last_activity_at,
   clock_offset_ms, signal_times, idle_gaps)
  WHERE first_activity_at IS NOT NULL;
