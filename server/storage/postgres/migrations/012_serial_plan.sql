-- A query that calls a PARALLEL UNSAFE function is never planned with parallel workers. The walk
-- of a long retroactive timeout (queries/timeoutChanges.ts) reads half a million entries of
-- sessions_by_device_time in its order; offered workers, the planner prefers a parallel scan
-- and sort of the table, about twice as slow (0.65 s against 0.37 s at a million sessions).
-- Setting max_parallel_workers_per_gather for that one statement would leak into the other
-- statements of its connection; this function, named once in the query, does not.
CREATE FUNCTION serial_plan() RETURNS boolean LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE AS $$
BEGIN
  RETURN true;
END $$;
