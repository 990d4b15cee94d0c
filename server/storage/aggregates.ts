/**
 * Reads the aggregates migration 002 maintains with triggers (slot_totals, day_buckets,
 * slot_buckets): counts and length distributions of the sessions started in a time range,
 * without reading every session.
 */
import type Database from 'better-sqlite3';
import {
  alignRange,
  histogramSource,
  SLOT_MS,
  type AlignedRange,
  type BucketCount,
  type LengthSource,
  type SlotTotal,
} from '../stats/lengthSource';

const DAY_MS = 86_400_000;

export class Aggregates {
  constructor(private readonly statement: (sql: string) => Database.Statement) {}

  /** How many sessions of `project` (all when undefined) started in [from, to) with a length in [minMs, maxMs]. */
  count(project: string | undefined, from?: number, to?: number, minMs = 0, maxMs = Infinity): number {
    const range = new AggregateRange(project, from, to);
    if (minMs <= 0 && maxMs === Infinity) return this.slotTotals(range).reduce((n, row) => n + row.sessions, 0);
    return this.boundedBuckets(range, minMs, maxMs).reduce((n, row) => n + row.sessions, 0);
  }

  /**
   * Lengths of the sessions started in [from, to) with a length in [minMs, maxMs], from the
   * maintained aggregates: whole days, then whole 15-minute slots, then the sessions themselves
   * for the partial slots at the ends. Length bounds read the buckets they cut from an index.
   */
  lengths(project: string | undefined, from?: number, to?: number, minMs = 0, maxMs = Infinity): LengthSource {
    const range = new AggregateRange(project, from, to);
    const bounded = minMs > 0 || maxMs !== Infinity;
    const max = Math.min(maxMs, Number.MAX_SAFE_INTEGER);
    const buckets = this.boundedBuckets(range, minMs, maxMs);
    const slots = bounded ? this.boundedSlots(range, buckets, minMs, max) : this.slotTotals(range);
    const rank = this.statement(
      `SELECT length_ms FROM sessions WHERE first_activity_at IS NOT NULL AND length_bucket = ? AND length_ms >= ?
       AND length_ms <= ? AND started_at >= ? AND started_at < ?${range.byProject} ORDER BY length_ms LIMIT 1 OFFSET ?`,
    ).pluck();
    return histogramSource(slots, buckets, (bucket, k) =>
      rank.get(bucket, minMs, max, range.start, range.end, ...range.projectParam, k) as number,
    );
  }

  /**
   * Sessions per length bucket with a length in [minMs, maxMs]: whole buckets from the
   * aggregates, the one or two buckets the bounds cut through counted from sessions_by_bucket.
   */
  private boundedBuckets(range: AggregateRange, minMs: number, maxMs: number): (BucketCount & { cut: boolean })[] {
    const cut = this.statement(
      `SELECT count(*) FROM sessions WHERE first_activity_at IS NOT NULL AND length_bucket = ? AND length_ms >= ?
       AND length_ms <= ? AND started_at >= ? AND started_at < ?${range.byProject}`,
    ).pluck();
    const buckets = [...this.bucketCounts(range)].sort((a, b) => a[0] - b[0]);
    const result: (BucketCount & { cut: boolean })[] = [];
    buckets.forEach(([bucket, sessions], i) => {
      // Lengths in a bucket lie below the next bucket present.
      const below = buckets[i + 1]?.[0] ?? Infinity;
      if (bucket > maxMs || below <= minMs) return;
      if (bucket >= minMs && below - 1 <= maxMs) result.push({ bucket, sessions, cut: false });
      else {
        const max = Math.min(maxMs, Number.MAX_SAFE_INTEGER);
        const inBounds = cut.get(bucket, minMs, max, range.start, range.end, ...range.projectParam) as number;
        result.push({ bucket, sessions: inBounds, cut: true });
      }
    });
    return result;
  }

  /**
   * Sessions and summed length per slot, of the sessions within length bounds: whole buckets of
   * whole slots from slot_buckets (the whole buckets lie between the cut ones), the cut buckets
   * and the partial slots from the sessions.
   */
  private boundedSlots(range: AggregateRange, buckets: (BucketCount & { cut: boolean })[], minMs: number, maxMs: number): SlotTotal[] {
    const { inner, edges } = range.slots;
    const whole = buckets.filter((b) => !b.cut);
    const rows: SlotTotal[] = [];
    if (whole.length > 0) {
      rows.push(
        ...(this.statement(
          `SELECT slot, sum(sessions) AS sessions, sum(total_ms) AS totalMs FROM slot_buckets
           WHERE slot >= ? AND slot < ? AND bucket >= ? AND bucket <= ?${range.byProject} GROUP BY slot`,
        ).all(inner.from, inner.to, whole[0].bucket, whole[whole.length - 1].bucket, ...range.projectParam) as SlotTotal[]),
      );
    }
    const sessionsBetween = (condition: string) =>
      this.statement(
        `SELECT start_slot AS slot, count(*) AS sessions, sum(length_ms) AS totalMs FROM sessions
         WHERE first_activity_at IS NOT NULL AND ${condition} AND length_ms >= ? AND length_ms <= ?
         AND started_at >= ? AND started_at < ?${range.byProject} GROUP BY 1`,
      );
    const cutBucket = sessionsBetween('length_bucket = ?');
    for (const { bucket } of buckets.filter((b) => b.cut)) {
      rows.push(...(cutBucket.all(bucket, minMs, maxMs, inner.from, inner.to, ...range.projectParam) as SlotTotal[]));
    }
    const partial = sessionsBetween('1');
    for (const edge of edges) rows.push(...(partial.all(minMs, maxMs, edge.from, edge.to, ...range.projectParam) as SlotTotal[]));
    return rows;
  }

  /** Sessions per length bucket: whole days, then whole slots, then the partial slots counted. */
  private bucketCounts(range: AggregateRange): Map<number, number> {
    const days = alignRange(range.slots.inner.from, range.slots.inner.to, DAY_MS);
    const rows = this.statement(
      `SELECT bucket, sum(sessions) AS sessions FROM day_buckets WHERE day >= ? AND day < ?${range.byProject} GROUP BY bucket`,
    ).all(days.inner.from, days.inner.to, ...range.projectParam) as BucketCount[];
    const slotBuckets = this.statement(
      `SELECT bucket, sum(sessions) AS sessions FROM slot_buckets WHERE slot >= ? AND slot < ?${range.byProject} GROUP BY bucket`,
    );
    for (const edge of days.edges) rows.push(...(slotBuckets.all(edge.from, edge.to, ...range.projectParam) as BucketCount[]));
    rows.push(...this.partialSlots(range));
    const counts = new Map<number, number>();
    for (const row of rows) if (row.sessions > 0) counts.set(row.bucket, (counts.get(row.bucket) ?? 0) + row.sessions);
    return counts;
  }

  /** Sessions and summed length per slot: whole slots from slot_totals, partial ones counted. */
  private slotTotals(range: AggregateRange): SlotTotal[] {
    const rows = this.statement(
      `SELECT slot, sessions, total_ms AS totalMs FROM slot_totals WHERE slot >= ? AND slot < ?${range.byProject}`,
    ).all(range.slots.inner.from, range.slots.inner.to, ...range.projectParam) as SlotTotal[];
    rows.push(...this.partialSlots(range));
    return rows;
  }

  /**
   * Sessions started in the partial slots at the range's ends, by slot and length bucket; read
   * once per range, since both the slot totals and the bucket counts need them.
   */
  private partialSlots(range: AggregateRange): (SlotTotal & BucketCount)[] {
    if (!range.partial) {
      const read = this.statement(
        `SELECT start_slot AS slot, length_bucket AS bucket, count(*) AS sessions, sum(length_ms) AS totalMs FROM sessions
         WHERE first_activity_at IS NOT NULL AND started_at >= ? AND started_at < ?${range.byProject} GROUP BY 1, 2`,
      );
      range.partial = range.slots.edges.flatMap(
        (edge) => read.all(edge.from, edge.to, ...range.projectParam) as (SlotTotal & BucketCount)[],
      );
    }
    return range.partial;
  }
}

/** A start-time range (unbounded ends allowed) and project, as the aggregate queries take them. */
class AggregateRange {
  readonly start: number;
  readonly end: number;
  readonly slots: AlignedRange;
  readonly byProject: string;
  readonly projectParam: string[];
  /** The partial slots' rows, once read (see Aggregates.partialSlots). */
  partial: (SlotTotal & BucketCount)[] | null = null;

  constructor(project: string | undefined, from?: number, to?: number) {
    this.start = from ?? -Number.MAX_SAFE_INTEGER;
    this.end = to ?? Number.MAX_SAFE_INTEGER;
    this.slots = alignRange(this.start, this.end, SLOT_MS);
    this.byProject = project === undefined ? '' : ' AND project = ?';
    this.projectParam = project === undefined ? [] : [project];
  }
}
