/** What a retroactive timeout does to the stored sessions' lengths, gathered as retimedSource reads it. */
import { lengthBucket, slotOf, type SlotTotal } from '../../shared/lengthSource';

/**
 * Stored sessions taken out and re-split ones put in: sessions and summed length per slot and
 * per length bucket, and each bucket's lengths of either kind (a percentile reads one bucket's).
 * Kept as totals rather than one object per session: a long timeout changes half a million.
 */
export class LengthChanges {
  readonly slots = new Map<number, SlotTotal>();
  readonly buckets = new Map<number, number>();
  private readonly lengths = { [-1]: new Map<number, number[]>(), [1]: new Map<number, number[]>() };

  /** A stored session taken out (`sign` −1), or one the timeout makes put in (+1). */
  add(sign: -1 | 1, startedAt: number, lengthMs: number): void {
    const slot = slotOf(startedAt);
    const total = this.slots.get(slot);
    if (total) {
      total.sessions += sign;
      total.totalMs += sign * lengthMs;
    } else {
      this.slots.set(slot, { slot, sessions: sign, totalMs: sign * lengthMs });
    }
    const bucket = lengthBucket(lengthMs);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + sign);
    const lengths = this.lengths[sign].get(bucket);
    if (lengths) lengths.push(lengthMs);
    else this.lengths[sign].set(bucket, [lengthMs]);
  }

  /** The lengths in `bucket` taken out (−1) or put in (+1), ascending. */
  lengthsIn(sign: -1 | 1, bucket: number): number[] {
    return (this.lengths[sign].get(bucket) ?? []).sort((a, b) => a - b);
  }
}
