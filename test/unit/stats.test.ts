import { describe, expect, it } from 'vitest';
import { DEFAULT_BUCKETS, pow2Buckets } from '../../server/stats/buckets';
import { dayFormatter, nextDay, perDay } from '../../server/stats/days';
import { alignRange, arraySource, histogramSource, SLOT_MS } from '../../shared/lengthSource';
import { buildStats, quantile } from '../../server/stats/sessionStats';

const SEC = 1_000;
const MIN = 60_000;
const day = (iso: string) => Date.parse(`${iso}Z`);
const options = { buckets: 'default' as const, tz: 'UTC' };

function sessions(lengths: number[], startedAt = day('2026-11-20T10:00:00')) {
  return lengths.map((lengthMs) => ({ startedAt, lengthMs }));
}

describe('quantile', () => {
  it.each([
    { lengths: [4, 1, 3, 2], p: 0.5, expected: 3 }, // even count: the mean of 2 and 3, rounded
    { lengths: [10, 20, 30, 40], p: 0.5, expected: 25 },
    { lengths: [7], p: 0.5, expected: 7 },
    { lengths: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 0.9, expected: 9 }, // rank 8.1 → 9 + 0.1
    { lengths: [0, 100], p: 0.9, expected: 90 },
  ])('p$p of $lengths is $expected', async ({ lengths, p, expected }) => {
    expect(await quantile(arraySource(sessions(lengths)), p)).toBe(expected);
  });

  it('is null when there is no session', async () => {
    expect(await quantile(arraySource([]), 0.5)).toBeNull();
  });
});

describe('buildStats', () => {
  it('computes count, average, median, p90, share under a minute and total by hand', async () => {
    const stats = await buildStats(arraySource(sessions([0, 30 * SEC, 90 * SEC, 10 * MIN])), options, 1);
    expect(stats).toMatchObject({
      count: 4,
      totalMs: 720 * SEC,
      averageMs: 180 * SEC,
      medianMs: 60 * SEC, // (30 s + 90 s) / 2
      p90Ms: 447 * SEC, // rank 2.7: 90 s + 0.7 × (600 s − 90 s) = 90 s + 357 s
      under1mShare: 0.5,
      frustratedShare: 0.25,
    });
  });

  it('answers an empty range with zero counts and null averages', async () => {
    const stats = await buildStats(arraySource([]), { ...options, from: day('2026-11-20T00:00:00'), to: day('2026-11-22T00:00:00') }, 0);
    expect(stats).toMatchObject({ count: 0, totalMs: 0, averageMs: null, medianMs: null, p90Ms: null, under1mShare: null, frustratedShare: null });
    expect(stats.distribution.map((b) => [b.label, b.count])).toEqual([
      ['0 s', 0], ['0–3 s', 0], ['3–10 s', 0], ['10–30 s', 0], ['30–60 s', 0],
      ['1–3 min', 0], ['3–10 min', 0], ['10–30 min', 0], ['30–60 min', 0], ['1 h+', 0],
    ]);
    expect(stats.perDay).toEqual([
      { day: '2026-11-20', sessions: 0, totalMs: 0, averageMs: null },
      { day: '2026-11-21', sessions: 0, totalMs: 0, averageMs: null },
    ]);
  });

  it('puts lengths exactly on an edge into the bucket that starts there', async () => {
    const lengths = [0, 1, 2_999, 3 * SEC, 59_999, 60 * SEC, 3_600 * SEC, 4_095_999, 4_096 * SEC];
    const stats = await buildStats(arraySource(sessions(lengths)), options, 0);
    const counts = Object.fromEntries(stats.distribution.map((b) => [b.label, b.count]));
    expect(counts).toEqual({
      '0 s': 1,
      '0–3 s': 2,
      '3–10 s': 1,
      '10–30 s': 0,
      '30–60 s': 1,
      '1–3 min': 1,
      '3–10 min': 0,
      '10–30 min': 0,
      '30–60 min': 0,
      '1 h+': 3,
    });
    const pow2 = await buildStats(arraySource(sessions(lengths)), { ...options, buckets: 'pow2' }, 0);
    expect(pow2.distribution.map((b) => [b.label, b.count])).toEqual([
      ['0–4096 s', 8],
      ['4096–8192 s', 1],
    ]);
  });

  it('gives the same answer from the histogram as from the sessions themselves', async () => {
    const lengths = [0, 0, 500, 2_500, 4_000, 45_000, 61_000, 200_000, 2_000_000];
    const rows = sessions(lengths);
    // The histogram a database would hold: buckets named by lower edges that include every shown edge.
    const edges = [0, 1, 1_000, 3_000, 10_000, 30_000, 60_000, 180_000, 600_000, 1_800_000, 3_600_000];
    const bucketOf = (ms: number) => edges.filter((e) => e <= ms).pop() as number;
    const byBucket = new Map<number, number[]>();
    for (const ms of lengths) byBucket.set(bucketOf(ms), [...(byBucket.get(bucketOf(ms)) ?? []), ms]);
    const source = histogramSource(
      [{ slot: rows[0].startedAt, sessions: lengths.length, totalMs: lengths.reduce((a, b) => a + b) }],
      [...byBucket].map(([bucket, values]) => ({ bucket, sessions: values.length })),
      (bucket, k) => (byBucket.get(bucket) as number[])[k],
    );
    expect(await buildStats(source, options, 0)).toEqual(await buildStats(arraySource(rows), options, 0));
  });
});

describe('buckets', () => {
  it('has PostHog’s ten buckets, contiguous from 0', () => {
    expect(DEFAULT_BUCKETS.map((b) => b.label)).toEqual([
      '0 s', '0–3 s', '3–10 s', '10–30 s', '30–60 s', '1–3 min', '3–10 min', '10–30 min', '30–60 min', '1 h+',
    ]);
    DEFAULT_BUCKETS.slice(1).forEach((b, i) => expect(b.fromMs).toBe(DEFAULT_BUCKETS[i].toMs));
  });

  it('doubles power-of-two buckets up to the one holding the longest session', () => {
    expect(pow2Buckets(0).map((b) => b.label)).toEqual(['0–4096 s']);
    expect(pow2Buckets(20_000 * SEC).map((b) => b.label)).toEqual(['0–4096 s', '4096–8192 s', '8192–16384 s', '16384–32768 s']);
  });
});

describe('days in a time zone', () => {
  it('formats and steps calendar days', () => {
    expect(dayFormatter('UTC')(day('2026-11-23T23:59:59'))).toBe('2026-11-23');
    expect(dayFormatter('Europe/Paris')(day('2026-11-23T23:30:00'))).toBe('2026-11-24');
    expect(dayFormatter('Asia/Kolkata')(day('2026-11-23T18:29:00'))).toBe('2026-11-23');
    expect(dayFormatter('Asia/Kolkata')(day('2026-11-23T18:30:00'))).toBe('2026-11-24');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });

  it('sums slots per local day and fills the days between with zeros', () => {
    const slots = [
      { slot: day('2026-11-20T22:00:00'), sessions: 2, totalMs: 4_000 },
      { slot: day('2026-11-20T23:15:00'), sessions: 1, totalMs: 1_000 }, // 00:15 in Paris
      { slot: day('2026-11-22T08:00:00'), sessions: 1, totalMs: 9_000 },
    ];
    expect(perDay(slots, 'UTC', {})).toEqual([
      { day: '2026-11-20', sessions: 3, totalMs: 5_000, averageMs: 1_667 },
      { day: '2026-11-21', sessions: 0, totalMs: 0, averageMs: null },
      { day: '2026-11-22', sessions: 1, totalMs: 9_000, averageMs: 9_000 },
    ]);
    expect(perDay(slots, 'Europe/Paris', {}).map((d) => [d.day, d.sessions])).toEqual([
      ['2026-11-20', 2],
      ['2026-11-21', 1],
      ['2026-11-22', 1],
    ]);
  });
});

describe('alignRange', () => {
  it('splits a range into whole slots and the partial ends', () => {
    const t = day('2026-11-20T10:00:00');
    expect(alignRange(t + 60_000, t + 3 * SLOT_MS + 5, SLOT_MS)).toEqual({
      inner: { from: t + SLOT_MS, to: t + 3 * SLOT_MS },
      edges: [
        { from: t + 60_000, to: t + SLOT_MS },
        { from: t + 3 * SLOT_MS, to: t + 3 * SLOT_MS + 5 },
      ],
    });
    expect(alignRange(t, t + SLOT_MS, SLOT_MS)).toEqual({ inner: { from: t, to: t + SLOT_MS }, edges: [] });
    expect(alignRange(t + 5, t + 10, SLOT_MS)).toEqual({ inner: { from: t + SLOT_MS, to: t + SLOT_MS }, edges: [{ from: t + 5, to: t + 10 }] });
  });
});
