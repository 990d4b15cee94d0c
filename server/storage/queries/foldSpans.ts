/**
 * Folding a batch's activity spans into its session from the neighbouring stored spans only:
 * activity_spans holds each session's spans merged (disjoint, more than ACTIVE_IDLE_MS apart),
 * so the spans a batch can merge with, and the idle gaps it can change, lie within a few rows
 * of its own time range, however long the session. Batches may arrive in any order.
 */
import { ACTIVE_IDLE_MS, IDLE_GAP_MS } from '../../../shared/constants';
import { activeTime, idleGaps, mergeSpans, type Span } from '../../../shared/session';
import { changes, tuples, type Work } from '../sql';

/**
 * The stored spans around [:lo, :hi], in order: the two starting before it (the latest may
 * reach into it, the one before bounds the gap in front), those starting within it, and the
 * first starting after it (bounding the gap behind). A contiguous run of the session's spans.
 */
const NEIGHBOURING_SPANS = `
SELECT start_ts, end_ts FROM (SELECT start_ts, end_ts FROM activity_spans
  WHERE session_id = :sessionId AND start_ts < :lo ORDER BY start_ts DESC LIMIT 2) earlier
UNION ALL
SELECT start_ts, end_ts FROM activity_spans WHERE session_id = :sessionId AND start_ts BETWEEN :lo AND :hi
UNION ALL
SELECT start_ts, end_ts FROM (SELECT start_ts, end_ts FROM activity_spans
  WHERE session_id = :sessionId AND start_ts > :hi ORDER BY start_ts LIMIT 1) later`;

const DELETE_SPAN = 'DELETE FROM activity_spans WHERE session_id = :sessionId AND start_ts = :start';
const EXTEND_SPAN = 'UPDATE activity_spans SET end_ts = :end WHERE session_id = :sessionId AND start_ts = :start';

/** Spans per insert statement: far below SQLite's 32 766 parameters, few distinct statements. */
const SPANS_PER_INSERT = 100;

/** What folding new spans into a run of stored ones changes. */
export interface Fold {
  /** The run and the new spans merged: it replaces the run. */
  merged: Span[];
  /** Active time added to the session. */
  addedActiveMs: number;
  /** The session's idle gaps afterwards. */
  gaps: Span[];
}

/**
 * Folds `added` into `run`, a contiguous run of the session's stored merged spans
 * around them, given the session's idle gaps `oldGaps`: only the gaps within the run change.
 */
export function foldSpans(run: readonly Span[], added: readonly Span[], oldGaps: readonly Span[]): Fold {
  const merged = mergeSpans([...run, ...added], ACTIVE_IDLE_MS);
  const from = merged[0][0];
  const to = merged[merged.length - 1][1];
  const kept = oldGaps.filter(([gapFrom, gapTo]) => gapTo <= from || gapFrom >= to);
  const gaps = [...kept, ...idleGaps(merged, IDLE_GAP_MS)].sort((a, b) => a[0] - b[0]);
  return { merged, addedActiveMs: activeTime(merged) - activeTime(run), gaps };
}

/** What turns the stored `run` into `merged`: the spans to insert, those whose end moved, the starts of those merged away. */
function spanWrites(run: readonly Span[], merged: readonly Span[]): { inserted: Span[]; extended: Span[]; removed: number[] } {
  const stored = new Map(run);
  const inserted: Span[] = [];
  const extended: Span[] = [];
  for (const [start, end] of merged) {
    const storedEnd = stored.get(start);
    if (storedEnd === undefined) inserted.push([start, end]);
    else if (storedEnd !== end) extended.push([start, end]);
    stored.delete(start);
  }
  return { inserted, extended, removed: [...stored.keys()] };
}

/** A session's active time added by a batch, and its idle gaps afterwards as stored (JSON, null for none) with the longest. */
export interface StoredFold {
  addedActiveMs: number;
  idleGaps: string | null;
  longestIdleMs: number;
}

/**
 * Stores `spans` (a batch's, non-empty) into the session's merged spans, given its idle gaps as
 * stored (JSON, null for none). The run's rows are changed in place rather than replaced: the
 * usual batch only moves the end of the session's last span, an update of an unindexed column.
 * Runs under the session's lock (see appendBatch), so a concurrent batch of the session (another
 * node's) is either all seen or not yet begun.
 */
export function* storeSpans(sessionId: string, spans: readonly Span[], storedGaps: string | null): Work<StoredFold> {
  const lo = Math.min(...spans.map(([start]) => start)) - ACTIVE_IDLE_MS;
  const hi = Math.max(...spans.map(([, end]) => end)) + ACTIVE_IDLE_MS;
  const run = yield* tuples<Span>(NEIGHBOURING_SPANS, { sessionId, lo, hi });
  run.sort((a, b) => a[0] - b[0]);
  const { merged, addedActiveMs, gaps } = foldSpans(run, spans, storedGaps === null ? [] : (JSON.parse(storedGaps) as Span[]));
  const { inserted, extended, removed } = spanWrites(run, merged);
  for (const start of removed) yield* changes(DELETE_SPAN, { sessionId, start });
  for (const [start, end] of extended) yield* changes(EXTEND_SPAN, { sessionId, start, end });
  for (let i = 0; i < inserted.length; i += SPANS_PER_INSERT) {
    const group = inserted.slice(i, i + SPANS_PER_INSERT);
    const values = group.map((_span, j) => `(:sessionId, :start${j}, :end${j})`).join(', ');
    const params: Record<string, unknown> = { sessionId };
    group.forEach(([start, end], j) => Object.assign(params, { [`start${j}`]: start, [`end${j}`]: end }));
    yield* changes(`INSERT INTO activity_spans (session_id, start_ts, end_ts) VALUES ${values}`, params);
  }
  return {
    addedActiveMs,
    idleGaps: gaps.length > 0 ? JSON.stringify(gaps) : null,
    longestIdleMs: Math.max(0, ...gaps.map(([from, to]) => to - from)),
  };
}
