/** Statistics under a retroactive timeout: the stored aggregates, corrected by the sessions it changes. */
import { histogramSource, lengthBucket, slotOf, type LengthSource, type SlotTotal, type StoredLengths } from '../../shared/lengthSource';

/** A session's start (server clock) and length. */
export interface Placed {
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
  const slots = new Map<number, SlotTotal>();
  const toSlot = (slot: number, sessions: number, totalMs: number) => {
    const total = slots.get(slot);
    if (total) {
      total.sessions += sessions;
      total.totalMs += totalMs;
    } else {
      slots.set(slot, { slot, sessions, totalMs });
    }
  };
  const buckets = new Map<number, number>();
  const toBucket = (bucket: number, sessions: number) => buckets.set(bucket, (buckets.get(bucket) ?? 0) + sessions);
  for (const { slot, sessions, totalMs } of stored.slots) toSlot(slot, sessions, totalMs);
  for (const { bucket, sessions } of stored.buckets) toBucket(bucket, sessions);
  for (const [sign, sessions] of [[-1, removed], [1, added]] as const) {
    for (const { startedAt, lengthMs } of sessions) {
      toSlot(slotOf(startedAt), sign, sign * lengthMs);
      toBucket(lengthBucket(lengthMs), sign);
    }
  }
  const bucketRows = [...buckets].map(([bucket, sessions]) => ({ bucket, sessions }));
  // A percentile between two ranks asks a bucket twice.
  const removedIn = lengthsIn(removed);
  const addedIn = lengthsIn(added);
  return histogramSource([...slots.values()], bucketRows, async (bucket, k) => {
    const out = removedIn(bucket);
    // The k + 1 smallest left once the removed ones are out are among these.
    const kept = without(await stored.smallestInBucket(bucket, k + out.length + 1), out);
    return kthOfBoth(kept, addedIn(bucket), k);
  });
}

/** The lengths of `sessions` in a bucket, ascending, each bucket's found once. */
function lengthsIn(sessions: readonly Placed[]): (bucket: number) => number[] {
  const found = new Map<number, number[]>();
  return (bucket) => {
    let lengths = found.get(bucket);
    if (!lengths) {
      lengths = [];
      for (const { lengthMs } of sessions) if (lengthBucket(lengthMs) === bucket) lengths.push(lengthMs);
      lengths.sort((a, b) => a - b);
      found.set(bucket, lengths);
    }
    return lengths;
  };
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
