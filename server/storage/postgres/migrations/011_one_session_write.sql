-- One write of a session's row per batch (issue 15), as SQLite's 011. A batch's spans and signal
-- times are folded before the session's upsert, which writes the result (and longest_idle_ms,
-- from the same gaps) with everything else, instead of updating the row again after it: each
-- write of a row maintains every index of sessions and fires its triggers.

-- What serialises the batches of one session stored at once by several nodes, taken before its
-- row is read: the row lock cannot, as a session's first batches find no row to lock. Until the
-- transaction ends; the first number keeps these apart from other advisory locks.
CREATE FUNCTION lock_session(sid text) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(1496, hashtext(sid))
$$;

DROP TRIGGER sessions_longest_idle ON sessions;
DROP FUNCTION sessions_longest_idle();

-- The usual batch moves its session's last activity within the same slot and length bucket:
-- only the slot's and the slot bucket's summed lengths change, two writes instead of six.
CREATE OR REPLACE FUNCTION sessions_aggregates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.length_ms IS NOT DISTINCT FROM NEW.length_ms
     AND OLD.started_at IS NOT DISTINCT FROM NEW.started_at THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.first_activity_at IS NOT NULL AND OLD.start_slot = NEW.start_slot
     AND OLD.length_bucket = NEW.length_bucket THEN
    UPDATE slot_totals SET total_ms = total_ms + (NEW.length_ms - OLD.length_ms)
    WHERE slot = NEW.start_slot AND project = NEW.project;
    UPDATE slot_buckets SET total_ms = total_ms + (NEW.length_ms - OLD.length_ms)
    WHERE slot = NEW.start_slot AND project = NEW.project AND bucket = NEW.length_bucket;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.first_activity_at IS NOT NULL THEN
    PERFORM add_to_aggregates(OLD, -1);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.first_activity_at IS NOT NULL THEN
    PERFORM add_to_aggregates(NEW, 1);
  END IF;
  RETURN NULL;
END $$;

-- As queries/foldSpans.ts storeSpans: stores a batch's spans (JSON [[start, end], ...], non-empty)
-- into session sid's merged spans, given its idle gaps as stored; returns the active time added,
-- the idle gaps to write and the longest of them. The run's rows are changed in place: the usual
-- batch moves the end of the last span only, a HOT update. Loops over the few spans involved
-- are plain expressions, where each SQL statement would cost an executor start.
DROP FUNCTION store_spans(text, jsonb, text);
CREATE FUNCTION store_spans(sid text, spans jsonb, stored_gaps text,
  OUT added_active_ms bigint, OUT idle_gaps text, OUT longest_idle_ms bigint)
LANGUAGE plpgsql AS $$
DECLARE
  span_starts bigint[] := '{}';
  span_ends bigint[] := '{}';
  lo bigint;
  hi bigint;
  run_starts bigint[];
  run_ends bigint[];
  merged record;
  n integer;
  k integer;
  j integer;
  stored jsonb := coalesce(stored_gaps::jsonb, '[]');
  gap_from bigint;
  gap_to bigint;
  before text[] := '{}';
  within text[] := '{}';
  after text[] := '{}';
  removed bigint[] := '{}';
  inserted_starts bigint[] := '{}';
  inserted_ends bigint[] := '{}';
BEGIN
  FOR k IN 0 .. jsonb_array_length(spans) - 1 LOOP
    span_starts := span_starts || (spans->k->>0)::bigint;
    span_ends := span_ends || (spans->k->>1)::bigint;
    lo := least(lo, span_starts[k + 1]);
    hi := greatest(hi, span_ends[k + 1]);
  END LOOP;
  lo := lo - {{ACTIVE_IDLE_MS}};
  hi := hi + {{ACTIVE_IDLE_MS}};
  SELECT coalesce(array_agg(start_ts ORDER BY start_ts), '{}'), coalesce(array_agg(end_ts ORDER BY start_ts), '{}')
  INTO run_starts, run_ends
  FROM (
    (SELECT start_ts, end_ts FROM activity_spans WHERE session_id = sid AND start_ts < lo ORDER BY start_ts DESC LIMIT 2)
    UNION ALL
    SELECT start_ts, end_ts FROM activity_spans WHERE session_id = sid AND start_ts BETWEEN lo AND hi
    UNION ALL
    (SELECT start_ts, end_ts FROM activity_spans WHERE session_id = sid AND start_ts > hi ORDER BY start_ts LIMIT 1)
  ) AS run;
  SELECT * INTO merged FROM merge_spans(run_starts || span_starts, run_ends || span_ends);
  n := cardinality(merged.merged_starts);

  added_active_ms := 0;
  FOR k IN 1 .. n LOOP
    added_active_ms := added_active_ms + merged.merged_ends[k] - merged.merged_starts[k];
    IF k > 1 AND merged.merged_starts[k] - merged.merged_ends[k - 1] > {{IDLE_GAP_MS}} THEN
      within := within || ('[' || merged.merged_ends[k - 1] || ',' || merged.merged_starts[k] || ']');
      longest_idle_ms := greatest(longest_idle_ms, merged.merged_starts[k] - merged.merged_ends[k - 1]);
    END IF;
    j := array_position(run_starts, merged.merged_starts[k]);
    IF j IS NULL THEN
      inserted_starts := inserted_starts || merged.merged_starts[k];
      inserted_ends := inserted_ends || merged.merged_ends[k];
    ELSIF run_ends[j] <> merged.merged_ends[k] THEN
      UPDATE activity_spans SET end_ts = merged.merged_ends[k] WHERE session_id = sid AND start_ts = merged.merged_starts[k];
    END IF;
  END LOOP;
  FOR k IN 1 .. coalesce(cardinality(run_starts), 0) LOOP
    added_active_ms := added_active_ms - (run_ends[k] - run_starts[k]);
    IF array_position(merged.merged_starts, run_starts[k]) IS NULL THEN
      removed := removed || run_starts[k];
    END IF;
  END LOOP;
  IF cardinality(removed) > 0 THEN
    DELETE FROM activity_spans WHERE session_id = sid AND start_ts = ANY(removed);
  END IF;
  IF cardinality(inserted_starts) > 0 THEN
    INSERT INTO activity_spans (session_id, start_ts, end_ts) SELECT sid, s, e FROM unnest(inserted_starts, inserted_ends) AS t(s, e);
  END IF;

  -- The stored gaps outside the merged run stay (they are in order); those within it are the run's own.
  FOR k IN 0 .. jsonb_array_length(stored) - 1 LOOP
    gap_from := (stored->k->>0)::bigint;
    gap_to := (stored->k->>1)::bigint;
    IF gap_to <= merged.merged_starts[1] THEN
      before := before || ('[' || gap_from || ',' || gap_to || ']');
    ELSIF gap_from >= merged.merged_ends[n] THEN
      after := after || ('[' || gap_from || ',' || gap_to || ']');
    ELSE
      CONTINUE;
    END IF;
    longest_idle_ms := greatest(longest_idle_ms, gap_to - gap_from);
  END LOOP;
  longest_idle_ms := coalesce(longest_idle_ms, 0);
  IF cardinality(before) + cardinality(within) + cardinality(after) > 0 THEN
    idle_gaps := '[' || array_to_string(before || within || after, ',') || ']';
  END IF;
END $$;

-- As 008's, each batch stored as queries/appendBatch.ts stores one now: a window's first batch
-- counts it, the session is locked and read, its spans and signal times folded, and its row
-- written once.
CREATE OR REPLACE FUNCTION append_batches(batches jsonb, data bytea, sizes integer[]) RETURNS boolean[] LANGUAGE plpgsql AS $$
DECLARE
  b jsonb;
  i integer;
  recording_at integer := 1;
  sid text;
  added_windows integer;
  page_url text;
  page_url_id bigint;
  stored_gaps text;
  stored_longest bigint;
  stored_signals text;
  fold record;
  stored boolean[] := '{}';
BEGIN
  FOR b, i IN SELECT value, ordinality FROM jsonb_array_elements(batches) WITH ORDINALITY LOOP
    sid := b->>'sessionId';
    INSERT INTO chunks (session_id, window_id, seq, first_ts, last_ts, event_count, received_at, clock_offset_ms, data, verdict)
    VALUES (sid, b->>'windowId', (b->>'seq')::integer, (b->>'firstTs')::bigint, (b->>'lastTs')::bigint,
      (b->>'eventCount')::integer, (b->>'receivedAt')::bigint, (b->>'clockOffsetMs')::bigint, substring(data FROM recording_at FOR sizes[i]), b->>'verdict')
    ON CONFLICT DO NOTHING;
    recording_at := recording_at + sizes[i];
    IF NOT FOUND THEN
      stored := stored || false;
      CONTINUE;
    END IF;
    INSERT INTO session_windows (session_id, window_id, first_ts) VALUES (sid, b->>'windowId', (b->>'firstTs')::bigint)
    ON CONFLICT DO NOTHING;
    added_windows := CASE WHEN FOUND THEN 1 ELSE 0 END;
    IF added_windows = 0 THEN
      UPDATE session_windows SET first_ts = (b->>'firstTs')::bigint
      WHERE session_id = sid AND window_id = b->>'windowId' AND first_ts > (b->>'firstTs')::bigint;
    END IF;
    FOR page_url IN SELECT jsonb_array_elements_text(b->'urls') LOOP
      -- Read first, as urlIdOf: an upsert would lock a known URL's row against every other node.
      SELECT id INTO page_url_id FROM urls WHERE url = page_url;
      IF NOT FOUND THEN
        INSERT INTO urls (url) VALUES (page_url) ON CONFLICT DO NOTHING RETURNING id INTO page_url_id;
        IF NOT FOUND THEN
          SELECT id INTO STRICT page_url_id FROM urls WHERE url = page_url;
        END IF;
      END IF;
      INSERT INTO session_pages (url_id, session_id) VALUES (page_url_id, sid) ON CONFLICT DO NOTHING;
    END LOOP;
    IF jsonb_array_length(b->'trackNames') > 0 THEN
      INSERT INTO session_events (name, session_id)
      SELECT name, sid FROM jsonb_array_elements_text(b->'trackNames') WITH ORDINALITY AS t(name, k) ORDER BY k
      ON CONFLICT DO NOTHING;
    END IF;
    PERFORM lock_session(sid);
    SELECT s.idle_gaps, s.longest_idle_ms, s.signal_times INTO stored_gaps, stored_longest, stored_signals FROM sessions s WHERE s.id = sid;
    IF jsonb_array_length(b->'spans') > 0 THEN
      SELECT * INTO fold FROM store_spans(sid, b->'spans', stored_gaps);
    ELSE
      SELECT 0 AS added_active_ms, stored_gaps AS idle_gaps, coalesce(stored_longest, 0) AS longest_idle_ms INTO fold;
    END IF;
    IF jsonb_array_length(b->'signalTimes') > 0 THEN
      stored_signals := kept_signal_times(stored_signals, b->'signalTimes');
    END IF;
    INSERT INTO sessions (id, project, device_id, user_id, user_traits, user_agent, timeout_ms, clock_offset_ms,
      first_activity_at, last_activity_at, event_count, error_count, bytes, pages, windows, active_ms, idle_gaps, longest_idle_ms,
      dropped_batches, entry_at, entry_url, exit_at, exit_url, rage_clicks, dead_clicks, error_clicks, signal_times, created_at)
    VALUES (sid, b->>'project', b->>'deviceId', b->>'userId', b->>'userTraits', b->>'userAgent', (b->>'timeoutMs')::bigint,
      (b->>'clockOffsetMs')::bigint, (b->>'firstActivityAt')::bigint, (b->>'lastActivityAt')::bigint,
      (b->>'eventCount')::bigint, (b->>'errorCount')::bigint, (b->>'bytes')::bigint, (b->>'pages')::bigint,
      added_windows, fold.added_active_ms, fold.idle_gaps, fold.longest_idle_ms,
      (b->>'droppedBatches')::bigint, (b->>'entryAt')::bigint, b->>'entryUrl', (b->>'exitAt')::bigint, b->>'exitUrl',
      (b->>'rageClicks')::bigint, (b->>'deadClicks')::bigint, (b->>'errorClicks')::bigint, stored_signals, (b->>'receivedAt')::bigint)
    ON CONFLICT (id) DO UPDATE SET
      user_traits = CASE WHEN excluded.user_id IS NOT NULL THEN excluded.user_traits ELSE sessions.user_traits END,
      user_id = COALESCE(excluded.user_id, sessions.user_id),
      user_agent = COALESCE(sessions.user_agent, excluded.user_agent),
      first_activity_at = CASE WHEN sessions.first_activity_at IS NULL OR excluded.first_activity_at < sessions.first_activity_at
        THEN excluded.first_activity_at ELSE sessions.first_activity_at END,
      last_activity_at = CASE WHEN sessions.last_activity_at IS NULL OR excluded.last_activity_at > sessions.last_activity_at
        THEN excluded.last_activity_at ELSE sessions.last_activity_at END,
      event_count = sessions.event_count + excluded.event_count,
      error_count = sessions.error_count + excluded.error_count,
      bytes = sessions.bytes + excluded.bytes,
      pages = sessions.pages + excluded.pages,
      windows = sessions.windows + excluded.windows,
      active_ms = sessions.active_ms + excluded.active_ms,
      idle_gaps = excluded.idle_gaps,
      longest_idle_ms = excluded.longest_idle_ms,
      dropped_batches = sessions.dropped_batches + excluded.dropped_batches,
      rage_clicks = sessions.rage_clicks + excluded.rage_clicks,
      dead_clicks = sessions.dead_clicks + excluded.dead_clicks,
      error_clicks = sessions.error_clicks + excluded.error_clicks,
      signal_times = excluded.signal_times,
      entry_url = CASE WHEN sessions.entry_at IS NULL OR excluded.entry_at < sessions.entry_at
        THEN excluded.entry_url ELSE sessions.entry_url END,
      entry_at = CASE WHEN sessions.entry_at IS NULL OR excluded.entry_at < sessions.entry_at
        THEN excluded.entry_at ELSE sessions.entry_at END,
      exit_url = CASE WHEN sessions.exit_at IS NULL OR excluded.exit_at >= sessions.exit_at
        THEN excluded.exit_url ELSE sessions.exit_url END,
      exit_at = CASE WHEN sessions.exit_at IS NULL OR excluded.exit_at >= sessions.exit_at
        THEN excluded.exit_at ELSE sessions.exit_at END;
    stored := stored || true;
  END LOOP;
  RETURN stored;
END $$;
