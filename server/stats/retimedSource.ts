/** Statistics under a retroactive timeout: the stored aggregates, corrected by the sessions it changes. */
import {
  histogramSource,
  lengthBucket,
  slotOf,
  type BucketCount,
  type LengthSource,
  type SlotTotal,
  type StoredLengths,
} from '../../shared/lengthSource';

/** A session's start (server clock) and length. */
interface Placed {
  startedAt: number;
  lengthMs: number;
}

/**
 * The stored sessions' lengths with `removed` (the stored sessions a timeout changes) taken out
 * and `added` (what the timeout makes of them) put in. Counts, totals and slots are the
 * aggregates corrected; the k-th length of a bucket is the database's smallest of that bucket,
 * less the removed ones, merged with the added ones: as exact as re-splitting every session.
 */
export function retimedSource(stored: StoredLengths, removed: readonly Placed[], added: readonly Placed[]): LengthSource {
  const slots: SlotTotal[] = [...stored.slots];
  const buckets: BucketCount[] = [...stored.buckets];
  for (const [sign, sessions] of [[-1, removed], [1, added]] as const) {
    for (const { startedAt, lengthMs } of sessions) {
      slots.push({ slot: slotOf(startedAt), sessions: sign, totalMs: sign * lengthMs });
      buckets.push({ bucket: lengthBucket(lengthMs), sessions: sign });
    }
  }
  const removedIn = sortedByBucket(removed);
  const addedIn = sortedByBucket(added);
  return histogramSource(slots, buckets, async (bucket, k) => {
    const out = removedIn.get(bucket) ?? [];
    // The k + 1 smallest left once the removed ones are out are among these.
    const kept = without(await stored.smallestInBucket(bucket, k + out.length + 1), out);
    return kthOfBoth(kept, addedIn.get(bucket) ?? [], k);
  });
}

/** The sessions' lengths per bucket, ascending. */
function sortedByBucket(sessions: readonly Placed[]): Map<number, number[]> {
  const lengths = new Map<number, number[]>();
  for (const { lengthMs } of sessions) {
    const bucket = lengthBucket(lengthMs);
    const list = lengths.get(bucket);
    if (list) list.push(lengthMs);
    else lengths.set(bucket, [lengthMs]);
  }
  for (const list of lengths.values()) list.sort((a, b) => a - b);
  return lengths;
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
