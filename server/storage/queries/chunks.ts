/**
 * Stored chunks: the SQL that reads them back and records what their checks found, and the
 * reading of one chunk's events where the server still inflates them (the NDJSON stream).
 */
import { gunzipSync } from 'node:zlib';
import { decodeRelativeIds } from '../../../shared/relativeIds';
import { DEFAULT_LIMITS } from '../../http/limits';
import { changes, type Work } from '../sql';
import type { ChunkKey, ChunkVerdict } from '../storage';

/** Up to :limit chunks not checked yet, oldest first, with what their summaries claimed. */
export const UNCHECKED_CHUNKS = `
SELECT session_id AS "sessionId", window_id AS "windowId", seq, first_ts AS "firstTs", last_ts AS "lastTs",
  event_count AS "eventCount", data
FROM chunks WHERE verdict IS NULL ORDER BY received_at LIMIT :limit`;

/** A window's chunks after :after, in order, :limit at a time. */
export const WINDOW_CHUNKS = `
SELECT seq, data, verdict FROM chunks WHERE session_id = :id AND window_id = :windowId AND seq > :after
ORDER BY seq LIMIT :limit`;

/** Records each chunk's verdict. */
export function* setVerdicts(verdicts: readonly (ChunkKey & { verdict: ChunkVerdict })[]): Work<void> {
  for (const { sessionId, windowId, seq, verdict } of verdicts) {
    yield* changes('UPDATE chunks SET verdict = :verdict WHERE session_id = :sessionId AND window_id = :windowId AND seq = :seq', {
      sessionId,
      windowId,
      seq,
      verdict,
    });
  }
}

/**
 * The events of a chunk, or null when they cannot be read: inflated within the inflate limit,
 * as ingest inflates bodies, since a chunk from an envelope was not inflated at ingest; its
 * relative ids made absolute.
 */
export function readableEvents(data: Buffer): unknown[] | null {
  try {
    const text = gunzipSync(data, { maxOutputLength: DEFAULT_LIMITS.maxInflatedBytes }).toString('utf8');
    const { events } = JSON.parse(decodeRelativeIds(text, DEFAULT_LIMITS.maxInflatedBytes)) as { events?: unknown };
    return Array.isArray(events) ? events : null;
  } catch {
    return null;
  }
}
