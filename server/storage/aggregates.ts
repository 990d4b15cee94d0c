/**
 * Reads the aggregates migration 002 maintains with triggers (slot_totals, day_buckets,
 * slot_buckets): counts and length distributions of the sessions started in a time range,
 * without reading every session.
 */
import {
  alignRange,
  histogramSource,
  SLOT_MS,
  type AlignedRange,
  type BucketCount,
  type LengthSource,
  type SlotTotal,
} from '../stats/lengthSource';
import type { SqlReader } from './sqlReader';

const DAY_MS = 86_400_000;

export class Aggregates {
  constructor(private readonly db: SqlReader) {}

  /** How many sessions of `project` (all when undefined) started in [from, to) with a length in [minMs, maxMs]. */
  async count(project: string | undefined, from?: number, to?: number, minMs = 0, maxMs = Infinity): Promise<number> {
    const range = new AggregateRange(project, from, to);
    const sum = (rows: { sessions: number }[]) => rows.reduce((n, row) => n + row.sessions, 0);
    if (minMs > 0 || maxMs !== Infinity) return sum(await this.boundedBuckets(range, minMs, maxMs));
    // Summed in the database: a month is 2 880 slot rows, slow to carry over a network connection.
    const [whole] = await this.db.all<{ sessions: number | null }>(
      `SELECT sum(sessions) AS sessions FROM slot_totals WHERE slot >= ? AND slot < ?${range.byProject}`,
      [range.slots.inner.from, range.slots.inner.to, ...range.projectParam],
    );
    return (whole.sessions ?? 0) + sum(await this.partialSlots(range));
  }

  /**
   * Lengths of the sessions started in [from, to) with a length in [minMs, maxMs], from the
   * maintained aggregates: whole days, then whole 15-minute slots, then the sessions themselves
   * for the partial slots at the ends. Length bounds read the buckets they cut from an index.
   */
  async lengths(project: string | undefined, from?: number, to?: number, minMs = 0, maxMs = Infinity): Promise<LengthSource> {
    const range = new AggregateRange(project, from, to);
    const bounded = minMs > 0 || maxMs !== Infinity;
    const max = Math.min(maxMs, Number.MAX_SAFE_INTEGER);
    const buckets = await this.boundedBuckets(range, minMs, maxMs);
    const slots = bounded ? await this.boundedSlots(range, buckets, minMs, max) : await this.slotTotals(range);
    const rank = `SELECT length_ms AS n FROM sessions WHERE first_activity_at IS NOT NULL AND length_bucket = ? AND length_ms >= ?
       AND length_ms <= ? AND started_at >= ? AND started_at < ?${range.byProject} ORDER BY length_ms LIMIT 1 OFFSET ?`;
    return histogramSource(slots, buckets, async (bucket, k) => {
      const [row] = await this.db.all<{ n: number }>(rank, [bucket, minMs, max, range.start, range.end, ...range.projectParam, k]);
      return row.n;
    });
  }

  /**
   * Sessions per length bucket with a length in [minMs, maxMs]: whole buckets from the
   * aggregates, the one or two buckets the bounds cut through counted from sessions_by_bucket.
   */
  private async boundedBuckets(range: AggregateRange, minMs: number, maxMs: number): Promise<(BucketCount & { cut: boolean })[]> {
    const cut = `SELECT count(*) AS n FROM sessions WHERE first_activity_at IS NOT NULL AND length_bucket = ? AND length_ms >= ?
       AND length_ms <= ? AND started_at >= ? AND started_at < ?${range.byProject}`;
    const buckets = [...(await this.bucketCounts(range))].sort((a, b) => a[0] - b[0]);
    const result: (BucketCount & { cut: boolean })[] = [];
    for (const [i, [bucket, sessions]] of buckets.entries()) {
      // Lengths in a bucket lie below the next bucket present.
      const below = buckets[i + 1]?.[0] ?? Infinity;
      if (bucket > maxMs || below <= minMs) continue;
      if (bucket >= minMs && below - 1 <= maxMs) result.push({ bucket, sessions, cut: false });
      else {
        const max = Math.min(maxMs, Number.MAX_SAFE_INTEGER);
        const [row] = await this.db.all<{ n: number }>(cut, [bucket, minMs, max, range.start, range.end, ...range.projectParam]);
        result.push({ bucket, sessions: row.n, cut: true });
      }
    }
    return result;
  }

  /**
   * Sessions and summed length per slot, of the sessions within length bounds: whole buckets of
   * whole slots from slot_buckets (the whole buckets lie between the cut ones), the cut buckets
   * and the partial slots from the sessions.
   */
  private async boundedSlots(
    range: AggregateRange,
    buckets: (BucketCount & { cut: boolean })[],
    minMs: number,
    maxMs: number,
  ): Promise<SlotTotal[]> {
    const { inner, edges } = range.slots;
    const whole = buckets.filter((b) => !b.cut);
    const rows: SlotTotal[] = [];
    if (whole.length > 0) {
      rows.push(
        ...(await this.db.all<SlotTotal>(
          `SELECT slot, sum(sessions) AS sessions, sum(total_ms) AS "totalMs" FROM slot_buckets
           WHERE slot >= ? AND slot < ? AND bucket >= ? AND bucket <= ?${range.byProject} GROUP BY slot`,
          [inner.from, inner.to, whole[0].bucket, whole[whole.length - 1].bucket, ...range.projectParam],
        )),
      );
    }
    const sessionsBetween = (condition: string) =>
      `SELECT start_slot AS slot, count(*) AS sessions, sum(length_ms) AS "totalMs" FROM sessions
         WHERE first_activity_at IS NOT NULL AND ${condition} AND length_ms >= ? AND length_ms <= ?
         AND started_at >= ? AND started_at < ?${range.byProject} GROUP BY 1`;
    const cutBucket = sessionsBetween('length_bucket = ?');
    for (const { bucket } of buckets.filter((b) => b.cut)) {
      rows.push(...(await this.db.all<SlotTotal>(cutBucket, [bucket, minMs, maxMs, inner.from, inner.to, ...range.projectParam])));
    }
    const partial = sessionsBetween('1 = 1');
    for (const edge of edges) {
      rows.push(...(await this.db.all<SlotTotal>(partial, [minMs, maxMs, edge.from, edge.to, ...range.projectParam])));
    }
    return rows;
  }

  /** Sessions per length bucket: whole days, then whole slots, then the partial slots counted. */
  private async bucketCounts(range: AggregateRange): Promise<Map<number, number>> {
    const days = alignRange(range.slots.inner.from, range.slots.inner.to, DAY_MS);
    const rows = await this.db.all<BucketCount>(
      `SELECT bucket, sum(sessions) AS sessions FROM day_buckets WHERE day >= ? AND day < ?${range.byProject} GROUP BY bucket`,
      [days.inner.from, days.inner.to, ...range.projectParam],
    );
    const slotBuckets = `SELECT bucket, sum(sessions) AS sessions FROM slot_buckets
      WHERE slot >= ? AND slot < ?${range.byProject} GROUP BY bucket`;
    for (const edge of days.edges) {
      rows.push(...(await this.db.all<BucketCount>(slotBuckets, [edge.from, edge.to, ...range.projectParam])));
    }
    rows.push(...(await this.partialSlots(range)));
    const counts = new Map<number, number>();
    for (const row of rows) if (row.sessions > 0) counts.set(row.bucket, (counts.get(row.bucket) ?? 0) + row.sessions);
    return counts;
  }

  /** Sessions and summed length per slot: whole slots from slot_totals, partial ones counted. */
  private async slotTotals(range: AggregateRange): Promise<SlotTotal[]> {
    const rows = await this.db.all<SlotTotal>(
      `SELECT slot, sessions, total_ms AS "totalMs" FROM slot_totals WHERE slot >= ? AND slot < ?${range.byProject}`,
      [range.slots.inner.from, range.slots.inner.to, ...range.projectParam],
    );
    rows.push(...(await this.partialSlots(range)));
    return rows;
  }

  /**
   * Sessions started in the partial slots at the range's ends, by slot and length bucket; read
   * once per range, since both the slot totals and the bucket counts need them.
   */
  private partialSlots(range: AggregateRange): Promise<(SlotTotal & BucketCount)[]> {
    range.partial ??= (async () => {
      const read = `SELECT start_slot AS slot, length_bucket AS bucket, count(*) AS sessions, sum(length_ms) AS "totalMs"
        FROM sessions WHERE first_activity_at IS NOT NULL AND started_at >= ? AND started_at < ?${range.byProject} GROUP BY 1, 2`;
      const rows: (SlotTotal & BucketCount)[] = [];
      for (const edge of range.slots.edges) {
        rows.push(...(await this.db.all<SlotTotal & BucketCount>(read, [edge.from, edge.to, ...range.projectParam])));
      }
      return rows;
    })();
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
  /** The partial slots' rows, read once (see Aggregates.partialSlots). */
  partial: Promise<(SlotTotal & BucketCount)[]> | null = null;

  constructor(project: string | undefined, from?: number, to?: number) {
    this.start = from ?? -Number.MAX_SAFE_INTEGER;
    this.end = to ?? Number.MAX_SAFE_INTEGER;
    this.slots = alignRange(this.start, this.end, SLOT_MS);
    this.byProject = project === undefined ? '' : ' AND project = ?';
    this.projectParam = project === undefined ? [] : [project];
  }
}
