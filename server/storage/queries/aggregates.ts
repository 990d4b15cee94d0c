/**
 * Reads the aggregates the migrations maintain with triggers (slot_totals, day_buckets,
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
  type StoredLengths,
} from '../../../shared/lengthSource';
import type { SqlDriver } from '../sql';

const DAY_MS = 86_400_000;

/** The aggregate reads, over a driver. */
export class Aggregates {
  constructor(private readonly db: SqlDriver) {}

  /** How many sessions of `project` (all when undefined) started in [from, to) with a length in [minMs, maxMs]. */
  async count(project: string | undefined, from?: number, to?: number, minMs = 0, maxMs = Infinity): Promise<number> {
    const range = new AggregateRange(project, from, to);
    const sum = (rows: { sessions: number }[]) => rows.reduce((n, row) => n + row.sessions, 0);
    if (minMs > 0 || maxMs !== Infinity) return sum(await this.boundedBuckets(range, minMs, maxMs));
    // Summed in the database: a month is 2 880 slot rows, slow to carry over a network connection.
    const [whole] = await this.db.rows<{ sessions: number | null }>(
      `SELECT sum(sessions) AS sessions FROM slot_totals WHERE slot >= :from AND slot < :to${range.byProject}`,
      { ...range.slots.inner, ...range.projectParam },
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
    const rank = `SELECT length_ms AS n FROM sessions WHERE first_activity_at IS NOT NULL AND length_bucket = :bucket
       AND length_ms >= :minMs AND length_ms <= :maxMs AND started_at >= :start AND started_at < :end${range.byProject}
       ORDER BY length_ms LIMIT 1 OFFSET :k`;
    return histogramSource(slots, buckets, async (bucket, k) => {
      const [row] = await this.db.rows<{ n: number }>(rank, { bucket, minMs, maxMs: max, ...range.bounds, ...range.projectParam, k });
      return row.n;
    });
  }

  /** The aggregates of the sessions of `project` (all when undefined) started in [from, to), as a retroactive timeout corrects them. */
  async stored(project: string | undefined, from?: number, to?: number): Promise<StoredLengths> {
    const range = new AggregateRange(project, from, to);
    const [slots, buckets] = await Promise.all([this.slotTotals(range), this.bucketCounts(range)]);
    // One text of numbers, sorted here: a percentile may need a hundred thousand lengths, slow to
    // carry as rows, and an aggregate keeps no order unless told to sort again.
    const smallest = `SELECT ${this.db.dialect.numberList('n')} AS list FROM (SELECT length_ms AS n FROM sessions
       WHERE first_activity_at IS NOT NULL AND length_bucket = :bucket AND started_at >= :start AND started_at < :end${range.byProject}
       ORDER BY length_ms LIMIT :limit) AS smallest`;
    return {
      slots,
      buckets: [...buckets].map(([bucket, sessions]) => ({ bucket, sessions })),
      smallestInBucket: async (bucket, limit) => {
        const [{ list }] = await this.db.rows<{ list: string }>(smallest, { bucket, limit, ...range.bounds, ...range.projectParam });
        return list === '' ? [] : [...Float64Array.from(list.split(','), Number).sort()];
      },
    };
  }

  /**
   * Sessions per length bucket with a length in [minMs, maxMs]: whole buckets from the
   * aggregates, the one or two buckets the bounds cut through counted from sessions_by_bucket.
   */
  private async boundedBuckets(range: AggregateRange, minMs: number, maxMs: number): Promise<(BucketCount & { cut: boolean })[]> {
    const cut = `SELECT count(*) AS n FROM sessions WHERE first_activity_at IS NOT NULL AND length_bucket = :bucket
       AND length_ms >= :minMs AND length_ms <= :maxMs AND started_at >= :start AND started_at < :end${range.byProject}`;
    const buckets = [...(await this.bucketCounts(range))].sort((a, b) => a[0] - b[0]);
    const result: (BucketCount & { cut: boolean })[] = [];
    for (const [i, [bucket, sessions]] of buckets.entries()) {
      // Lengths in a bucket lie below the next bucket present.
      const below = buckets[i + 1]?.[0] ?? Infinity;
      if (bucket > maxMs || below <= minMs) continue;
      if (bucket >= minMs && below - 1 <= maxMs) result.push({ bucket, sessions, cut: false });
      else {
        const max = Math.min(maxMs, Number.MAX_SAFE_INTEGER);
        const [row] = await this.db.rows<{ n: number }>(cut, { bucket, minMs, maxMs: max, ...range.bounds, ...range.projectParam });
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
        ...(await this.db.rows<SlotTotal>(
          `SELECT slot, sum(sessions) AS sessions, sum(total_ms) AS "totalMs" FROM slot_buckets
           WHERE slot >= :from AND slot < :to AND bucket >= :lowest AND bucket <= :highest${range.byProject} GROUP BY slot`,
          { ...inner, lowest: whole[0].bucket, highest: whole[whole.length - 1].bucket, ...range.projectParam },
        )),
      );
    }
    const sessionsBetween = (condition: string) =>
      `SELECT start_slot AS slot, count(*) AS sessions, sum(length_ms) AS "totalMs" FROM sessions
         WHERE first_activity_at IS NOT NULL AND ${condition} AND length_ms >= :minMs AND length_ms <= :maxMs
         AND started_at >= :from AND started_at < :to${range.byProject} GROUP BY 1`;
    const cutBucket = sessionsBetween('length_bucket = :bucket');
    for (const { bucket } of buckets.filter((b) => b.cut)) {
      rows.push(...(await this.db.rows<SlotTotal>(cutBucket, { bucket, minMs, maxMs, ...inner, ...range.projectParam })));
    }
    const partial = sessionsBetween('1 = 1');
    for (const edge of edges) {
      rows.push(...(await this.db.rows<SlotTotal>(partial, { minMs, maxMs, ...edge, ...range.projectParam })));
    }
    return rows;
  }

  /** Sessions per length bucket: whole days, then whole slots, then the partial slots counted. */
  private async bucketCounts(range: AggregateRange): Promise<Map<number, number>> {
    const days = alignRange(range.slots.inner.from, range.slots.inner.to, DAY_MS);
    const rows = await this.db.rows<BucketCount>(
      `SELECT bucket, sum(sessions) AS sessions FROM day_buckets WHERE day >= :from AND day < :to${range.byProject} GROUP BY bucket`,
      { ...days.inner, ...range.projectParam },
    );
    const slotBuckets = `SELECT bucket, sum(sessions) AS sessions FROM slot_buckets
      WHERE slot >= :from AND slot < :to${range.byProject} GROUP BY bucket`;
    for (const edge of days.edges) {
      rows.push(...(await this.db.rows<BucketCount>(slotBuckets, { ...edge, ...range.projectParam })));
    }
    rows.push(...(await this.partialSlots(range)));
    const counts = new Map<number, number>();
    for (const row of rows) if (row.sessions > 0) counts.set(row.bucket, (counts.get(row.bucket) ?? 0) + row.sessions);
    return counts;
  }

  /** Sessions and summed length per slot: whole slots from slot_totals, partial ones counted. */
  private async slotTotals(range: AggregateRange): Promise<SlotTotal[]> {
    const rows = await this.db.rows<SlotTotal>(
      `SELECT slot, sessions, total_ms AS "totalMs" FROM slot_totals WHERE slot >= :from AND slot < :to${range.byProject}`,
      { ...range.slots.inner, ...range.projectParam },
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
        FROM sessions WHERE first_activity_at IS NOT NULL AND started_at >= :from AND started_at < :to${range.byProject} GROUP BY 1, 2`;
      const rows: (SlotTotal & BucketCount)[] = [];
      for (const edge of range.slots.edges) {
        rows.push(...(await this.db.rows<SlotTotal & BucketCount>(read, { ...edge, ...range.projectParam })));
      }
      return rows;
    })();
    return range.partial;
  }
}

/** A start-time range (unbounded ends allowed) and project, as the aggregate queries take them. */
class AggregateRange {
  /** The start and end, as :start and :end. */
  readonly bounds: { start: number; end: number };
  readonly slots: AlignedRange;
  readonly byProject: string;
  /** The project, as :project when given. */
  readonly projectParam: { project?: string };
  /** The partial slots' rows, read once (see Aggregates.partialSlots). */
  partial: Promise<(SlotTotal & BucketCount)[]> | null = null;

  constructor(project: string | undefined, from?: number, to?: number) {
    this.bounds = { start: from ?? -Number.MAX_SAFE_INTEGER, end: to ?? Number.MAX_SAFE_INTEGER };
    this.slots = alignRange(this.bounds.start, this.bounds.end, SLOT_MS);
    this.byProject = project === undefined ? '' : ' AND project = :project';
    this.projectParam = project === undefined ? {} : { project };
  }
}
