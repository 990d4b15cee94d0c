/** Statistics under a retroactive timeout: the stored aggregates, corrected by the sessions it changes. */
import { histogramSource, type LengthSource, type SlotTotal, type StoredLengths } from '../../shared/lengthSource';
import type { LengthChanges } from './lengthChanges';

/**
 * The stored sessions' lengths with the stored sessions a timeout changes taken out and what it
 * makes of them put in (`changes`). Counts, totals and slots are the aggregates corrected; the
 * k-th length of a bucket is the database's smallest of that bucket, less the removed ones,
 * merged with the added ones: as exact as re-splitting every session.
 */
export function retimedSource(stored: StoredLengths, changes: LengthChanges): LengthSource {
  const slots = new Map<number, SlotTotal>();
  for (const total of [...stored.slots, ...changes.slots()]) {
    const sum = slots.get(total.slot);
    if (sum) {
      sum.sessions += total.sessions;
      sum.totalMs += total.totalMs;
    } else {
      slots.set(total.slot, { ...total });
    }
  }
  const buckets = new Map(changes.buckets().map(({ bucket, sessions }) => [bucket, sessions]));
  for (const { bucket, sessions } of stored.buckets) buckets.set(bucket, (buckets.get(bucket) ?? 0) + sessions);
  const bucketRows = [...buckets].map(([bucket, sessions]) => ({ bucket, sessions }));
  // A percentile between two ranks asks a bucket twice.
  return histogramSource([...slots.values()], bucketRows, async (bucket, k) => {
    const out = changes.lengthsIn(-1, bucket);
    // The k + 1 smallest left once the removed ones are out are among these.
    const kept = without(await stored.smallestInBucket(bucket, k + out.length + 1), out);
    return kthOfBoth(kept, changes.lengthsIn(1, bucket), k);
  });
}

/** Ascending `values` less one occurrence of each of ascending `taken` (those it holds). */
function without(values: readonly number[], taken: readonly number[]): number[] {
  const kept: number[] = [];
  let t = 0;
  for (const value of values) {
    while (t < taken.length && taken[t] < value) t++;
    if (t < taken.length && taken[t] === value) t++;
    else kept.push(value);
  }
  return kept;
}

/** The k-th smallest (0-based) of two ascending lists together. */
function kthOfBoth(a: readonly number[], b: readonly number[], k: number): number {
  let i = 0;
  let j = 0;
  for (;;) {
    const fromA = j >= b.length || (i < a.length && a[i] <= b[j]);
    const value = fromA ? a[i++] : b[j++];
    if (i + j > k) return value;
  }
}
