-- Group commit in one round trip (issue 15): a group's batches stored by one call, each as
-- queries/appendBatch.ts stores one, whose statements depend on the ones before (the chunk's
-- conflict, URL ids, the neighbouring spans read under the session's row lock). The pure rules
-- it repeats (mergeSpans, idleGaps, activeTime, keptSignalTimes of shared/, foldSpans) are held
-- to the TypeScript by test/storage/appendBatches.test.ts, which stores the same batches both ways.

-- The merged activity spans [starts, ends] of spans, as shared/session.ts mergeSpans.
CREATE FUNCTION merge_spans(starts bigint[], ends bigint[], OUT merged_starts bigint[], OUT merged_ends bigint[])
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  span record;
  n integer := 0;
BEGIN
  merged_starts := '{}';
  merged_ends := '{}';
  FOR span IN SELECT s, e FROM unnest(starts, ends) AS t(s, e) ORDER BY s LOOP
    IF n > 0 AND span.s - merged_ends[n] <= {{ACTIVE_IDLE_MS}} THEN
      merged_ends[n] := greatest(merged_ends[n], span.e);
    ELSE
      n := n + 1;
      merged_starts[n] := span.s;
      merged_ends[n] := span.e;
    END IF;
  END LOOP;
END $$;

-- times, stored (JSON) and new, sorted and thinned as shared/signals.ts keptSignalTimes, as JSON.
CREATE FUNCTION kept_signal_times(stored text, added jsonb) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  t bigint;
  kept bigint[] := '{}';
BEGIN
  FOR t IN SELECT value::bigint FROM jsonb_array_elements_text(coalesce(stored::jsonb, '[]') || added) ORDER BY 1 LOOP
    IF cardinality(kept) = 0 OR t - kept[cardinality(kept)] > {{IDLE_GAP_MS}} THEN
      kept := kept || t;
    END IF;
  END LOOP;
  RETURN '[' || array_to_string(kept, ',') || ']';
END $$;

-- Stores a batch's spans (JSON [[start, end], ...], non-empty) into session sid's merged spans,
-- given its idle gaps as stored, as queries/foldSpans.ts storeSpans; returns the active time
-- added and the idle gaps to write. Runs under the session's row lock.
CREATE FUNCTION store_spans(sid text, spans jsonb, stored_gaps text, OUT added_active_ms bigint, OUT idle_gaps text)
LANGUAGE plpgsql AS $$
DECLARE
  lo bigint;
  hi bigint;
  run_starts bigint[];
  run_ends bigint[];
  merged record;
  n integer;
BEGIN
  SELECT min((span->>0)::bigint) - {{ACTIVE_IDLE_MS}}, max((span->>1)::bigint) + {{ACTIVE_IDLE_MS}} INTO lo, hi
  FROM jsonb_array_elements(spans) AS span;
  SELECT coalesce(array_agg(start_ts ORDER BY start_ts), '{}'), coalesce(array_agg(end_ts ORDER BY start_ts), '{}')
  INTO run_starts, run_ends
  FROM (
    (SELECT start_ts, end_ts FROM activity_spans WHERE session_id = sid AND start_ts < lo ORDER BY start_ts DESC LIMIT 2)
    UNION ALL
    SELECT start_ts, end_ts FROM activity_spans WHERE session_id = sid AND start_ts BETWEEN lo AND hi
    UNION ALL
    (SELECT start_ts, end_ts FROM activity_spans WHERE session_id = sid AND start_ts > hi ORDER BY start_ts LIMIT 1)
  ) AS run;
  SELECT * INTO merged FROM merge_spans(
    run_starts || ARRAY(SELECT (span->>0)::bigint FROM jsonb_array_elements(spans) WITH ORDINALITY AS t(span, i) ORDER BY i),
    run_ends || ARRAY(SELECT (span->>1)::bigint FROM jsonb_array_elements(spans) WITH ORDINALITY AS t(span, i) ORDER BY i));
  n := cardinality(merged.merged_starts);
  added_active_ms := (SELECT coalesce(sum(e - s), 0) FROM unnest(merged.merged_starts, merged.merged_ends) AS t(s, e))
    - (SELECT coalesce(sum(e - s), 0) FROM unnest(run_starts, run_ends) AS t(s, e));
  -- The gaps outside the merged run stay; those within it are the run's own.
  SELECT '[' || string_agg('[' || gap_from || ',' || gap_to || ']', ',' ORDER BY gap_from) || ']' INTO idle_gaps FROM (
    SELECT (gap->>0)::bigint AS gap_from, (gap->>1)::bigint AS gap_to FROM jsonb_array_elements(coalesce(stored_gaps::jsonb, '[]')) AS gap
    WHERE (gap->>1)::bigint <= merged.merged_starts[1] OR (gap->>0)::bigint >= merged.merged_ends[n]
    UNION ALL
    SELECT merged.merged_ends[k - 1], merged.merged_starts[k] FROM generate_series(2, n) AS k
    WHERE merged.merged_starts[k] - merged.merged_ends[k - 1] > {{IDLE_GAP_MS}}
  ) AS gaps;
  IF cardinality(run_starts) > 0 THEN
    DELETE FROM activity_spans WHERE session_id = sid AND start_ts BETWEEN run_starts[1] AND run_starts[cardinality(run_starts)];
  END IF;
  INSERT INTO activity_spans (session_id, start_ts, end_ts)
  SELECT sid, s, e FROM unnest(merged.merged_starts, merged.merged_ends) AS t(s, e);
END $$;

-- Stores each of batches (JSON objects: the parameters of queries/appendBatch.ts's statements,
-- with the batch's distinct urls and track names sorted) with its recording, the next sizes[i]
-- bytes of data (one binary parameter: an array of bytea travels as hex text, twice the bytes to
-- encode and parse); whether each was new (false for a repeat), in order. One statement: one
-- transaction, one WAL flush.
CREATE FUNCTION append_batches(batches jsonb, data bytea, sizes integer[]) RETURNS boolean[] LANGUAGE plpgsql AS $$
DECLARE
  b jsonb;
  i integer;
  recording_at integer := 1;
  sid text;
  page_url text;
  page_url_id bigint;
  stored_gaps text;
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
    ON CONFLICT (session_id, window_id) DO UPDATE SET first_ts = CASE
      WHEN excluded.first_ts < session_windows.first_ts THEN excluded.first_ts ELSE session_windows.first_ts END;
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
    INSERT INTO session_events (name, session_id)
    SELECT name, sid FROM jsonb_array_elements_text(b->'trackNames') WITH ORDINALITY AS t(name, k) ORDER BY k
    ON CONFLICT DO NOTHING;
    INSERT INTO sessions (id, project, device_id, user_id, user_traits, user_agent, timeout_ms, clock_offset_ms,
      first_activity_at, last_activity_at, event_count, error_count, bytes, pages, dropped_batches,
      entry_at, entry_url, exit_at, exit_url, rage_clicks, dead_clicks, error_clicks, created_at)
    VALUES (sid, b->>'project', b->>'deviceId', b->>'userId', b->>'userTraits', b->>'userAgent', (b->>'timeoutMs')::bigint,
      (b->>'clockOffsetMs')::bigint, (b->>'firstActivityAt')::bigint, (b->>'lastActivityAt')::bigint,
      (b->>'eventCount')::bigint, (b->>'errorCount')::bigint, (b->>'bytes')::bigint, (b->>'pages')::bigint,
      (b->>'droppedBatches')::bigint, (b->>'entryAt')::bigint, b->>'entryUrl', (b->>'exitAt')::bigint, b->>'exitUrl',
      (b->>'rageClicks')::bigint, (b->>'deadClicks')::bigint, (b->>'errorClicks')::bigint, (b->>'receivedAt')::bigint)
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
      dropped_batches = sessions.dropped_batches + excluded.dropped_batches,
      rage_clicks = sessions.rage_clicks + excluded.rage_clicks,
      dead_clicks = sessions.dead_clicks + excluded.dead_clicks,
      error_clicks = sessions.error_clicks + excluded.error_clicks,
      entry_url = CASE WHEN sessions.entry_at IS NULL OR excluded.entry_at < sessions.entry_at
        THEN excluded.entry_url ELSE sessions.entry_url END,
      entry_at = CASE WHEN sessions.entry_at IS NULL OR excluded.entry_at < sessions.entry_at
        THEN excluded.entry_at ELSE sessions.entry_at END,
      exit_url = CASE WHEN sessions.exit_at IS NULL OR excluded.exit_at >= sessions.exit_at
        THEN excluded.exit_url ELSE sessions.exit_url END,
      exit_at = CASE WHEN sessions.exit_at IS NULL OR excluded.exit_at >= sessions.exit_at
        THEN excluded.exit_at ELSE sessions.exit_at END
    RETURNING sessions.idle_gaps, sessions.signal_times INTO stored_gaps, stored_signals;
    IF jsonb_array_length(b->'signalTimes') > 0 THEN
      UPDATE sessions SET signal_times = kept_signal_times(stored_signals, b->'signalTimes') WHERE id = sid;
    END IF;
    IF jsonb_array_length(b->'spans') = 0 THEN
      UPDATE sessions SET windows = (SELECT count(*) FROM session_windows WHERE session_id = sid) WHERE id = sid;
    ELSE
      SELECT * INTO fold FROM store_spans(sid, b->'spans', stored_gaps);
      UPDATE sessions SET windows = (SELECT count(*) FROM session_windows WHERE session_id = sid),
        active_ms = active_ms + fold.added_active_ms, idle_gaps = fold.idle_gaps
      WHERE id = sid;
    END IF;
    stored := stored || true;
  END LOOP;
  RETURN stored;
END $$;
