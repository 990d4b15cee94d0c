/**
 * Where statistics read session lengths from: a sorted array (filtered or re-sessionised
 * sessions) or the length histogram the database maintains. Both answer the same questions,
 * so one function turns either into the API's statistics.
 */

/** Statistics group start times by 15-minute slots: every time zone is a whole number of them. */
export const SLOT_MS = 900_000;

/**
 * Lower edges (ms) of the length histogram's buckets the database keeps: every edge of both
 * distributions the API shows (PostHog's and the power-of-two one), plus finer ones so a
 * percentile is found by reading one bucket's rows. A bounce (0 ms) has a bucket of its own.
 */
export const LENGTH_BUCKET_EDGES: readonly number[] = [
  0, 1, 1_000, 2_000, 3_000, 5_000, 10_000, 20_000, 30_000, 45_000, 60_000, 120_000, 180_000, 300_000, 600_000,
  1_200_000, 1_800_000, 2_700_000, 3_600_000, 4_096_000, 6_144_000, 8_192_000, 16_384_000, 32_768_000, 65_536_000,
  131_072_000, 262_144_000,
];

/** Sessions started in one slot (server clock). */
export interface SlotTotal {
  slot: number;
  sessions: number;
  totalMs: number;
}

export interface LengthSource {
  count: number;
  totalMs: number;
  /** Sessions whose length is in [fromMs, toMs); toMs null has no upper bound. */
  countBetween(fromMs: number, toMs: number | null): number;
  /** A length at least as large as any present's bucket, to size open-ended bucket sets. */
  maxLengthMs: number;
  /** The k-th smallest length, 0-based, for 0 ≤ k < count; a database may have to be asked. */
  lengthAt(k: number): Promise<number>;
  slots: SlotTotal[];
}

/** The start of the slot `ms` falls in. */
export const slotOf = (ms: number): number => Math.floor(ms / SLOT_MS) * SLOT_MS;

/** First index in sorted `values` whose value is ≥ `target`. */
function lowerBound(values: Float64Array, target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A source over individual sessions: `startedAt` on the server's clock. */
export function arraySource(sessions: Iterable<{ startedAt: number; lengthMs: number }>): LengthSource {
  const collected: number[] = [];
  const slots = new Map<number, SlotTotal>();
  let totalMs = 0;
  for (const { startedAt, lengthMs } of sessions) {
    collected.push(lengthMs);
    totalMs += lengthMs;
    const slot = slotOf(startedAt);
    const total = slots.get(slot);
    if (total) {
      total.sessions++;
      total.totalMs += lengthMs;
    } else {
      slots.set(slot, { slot, sessions: 1, totalMs: lengthMs });
    }
  }
  // A typed array sorts numerically in native code, several times faster than sort((a, b) => a - b).
  const lengths = Float64Array.from(collected).sort();
  return {
    count: lengths.length,
    totalMs,
    countBetween: (fromMs, toMs) =>
      (toMs === null ? lengths.length : lowerBound(lengths, toMs)) - lowerBound(lengths, fromMs),
    maxLengthMs: lengths[lengths.length - 1] ?? 0,
    lengthAt: async (k) => lengths[k],
    slots: [...slots.values()],
  };
}

/** Sessions of one length bucket, named by its lower edge (edges include every shown edge). */
export interface BucketCount {
  bucket: number;
  sessions: number;
}

/**
 * A source over maintained aggregates: sessions per slot and per length bucket.
 * `lengthInBucket(bucket, k)` reads the k-th smallest length of one bucket from the database.
 */
export function histogramSource(
  slotRows: readonly SlotTotal[],
  bucketRows: readonly BucketCount[],
  lengthInBucket: (bucket: number, k: number) => number | Promise<number>,
): LengthSource {
  const buckets = new Map<number, number>();
  for (const row of bucketRows) buckets.set(row.bucket, (buckets.get(row.bucket) ?? 0) + row.sessions);
  const sorted = [...buckets.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const slots = new Map<number, SlotTotal>();
  for (const row of slotRows) {
    const total = slots.get(row.slot) ?? { slot: row.slot, sessions: 0, totalMs: 0 };
    total.sessions += row.sessions;
    total.totalMs += row.totalMs;
    slots.set(row.slot, total);
  }
  const nonEmpty = [...slots.values()].filter((slot) => slot.sessions > 0);
  const count = sorted.reduce((sum, [, n]) => sum + n, 0);
  return {
    count,
    totalMs: nonEmpty.reduce((sum, slot) => sum + slot.totalMs, 0),
    countBetween: (fromMs, toMs) =>
      sorted.reduce((sum, [bucket, n]) => (bucket >= fromMs && (toMs === null || bucket < toMs) ? sum + n : sum), 0),
    maxLengthMs: sorted[sorted.length - 1]?.[0] ?? 0,
    lengthAt: async (k) => {
      let before = 0;
      for (const [bucket, n] of sorted) {
        if (k < before + n) return bucket === 0 ? 0 : lengthInBucket(bucket, k - before);
        before += n;
      }
      throw new RangeError(`no length at rank ${k} of ${count}`);
    },
    slots: nonEmpty,
  };
}

/** The index in LENGTH_BUCKET_EDGES of the bucket holding `lengthMs`, as the database computes it. */
export function lengthBucketIndex(lengthMs: number): number {
  let lo = 0;
  let hi = LENGTH_BUCKET_EDGES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (LENGTH_BUCKET_EDGES[mid] <= lengthMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Stored sessions as the maintained aggregates count them, for a retroactive timeout to correct. */
export interface StoredLengths {
  slots: SlotTotal[];
  buckets: BucketCount[];
  /** The `limit` smallest lengths in the bucket named `bucket`, ascending. */
  smallestInBucket(bucket: number, limit: number): Promise<number[]>;
}

/** A time range split into whole units of `unitMs` and the partial stretches at either end. */
export interface AlignedRange {
  /** Whole units: [from, to), from ≤ to. */
  inner: { from: number; to: number };
  /** The stretches before and after `inner`, possibly empty. */
  edges: { from: number; to: number }[];
}

/** Splits [from, to) at multiples of `unitMs`; the unbounded ends are ±Number.MAX_SAFE_INTEGER. */
export function alignRange(from: number, to: number, unitMs: number): AlignedRange {
  const up = (ms: number) => (Math.abs(ms) === Number.MAX_SAFE_INTEGER ? ms : Math.ceil(ms / unitMs) * unitMs);
  const down = (ms: number) => (Math.abs(ms) === Number.MAX_SAFE_INTEGER ? ms : Math.floor(ms / unitMs) * unitMs);
  const innerFrom = up(from);
  const innerTo = down(to);
  if (innerFrom >= innerTo) return { inner: { from: innerFrom, to: innerFrom }, edges: [{ from, to }] };
  return {
    inner: { from: innerFrom, to: innerTo },
    edges: [
      { from, to: innerFrom },
      { from: innerTo, to },
    ].filter((edge) => edge.from < edge.to),
  };
}
