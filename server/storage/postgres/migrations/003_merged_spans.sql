-- activity_spans holds each session's spans merged (disjoint, more than ACTIVE_IDLE_MS apart),
-- so a batch folds its spans into the few stored around its own (queries/foldSpans.ts) instead
-- of re-reading them all. Spans stored before are merged here as mergeSpans merges them.
CREATE TEMPORARY TABLE merged_spans AS
WITH ordered AS (
  SELECT session_id, start_ts, end_ts,
    max(end_ts) OVER (PARTITION BY session_id ORDER BY start_ts, end_ts
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
  FROM activity_spans
), islands AS (
  SELECT session_id, start_ts, end_ts,
    sum(CASE WHEN reach IS NULL OR start_ts - reach > {{ACTIVE_IDLE_MS}} THEN 1 ELSE 0 END)
      OVER (PARTITION BY session_id ORDER BY start_ts, end_ts ROWS UNBOUNDED PRECEDING) AS island
  FROM ordered
)
SELECT session_id, min(start_ts) AS start_ts, max(end_ts) AS end_ts FROM islands GROUP BY session_id, island;
DELETE FROM activity_spans;
INSERT INTO activity_spans (session_id, start_ts, end_ts) SELECT session_id, start_ts, end_ts FROM merged_spans;
DROP TABLE merged_spans;
