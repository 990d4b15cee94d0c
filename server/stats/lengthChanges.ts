/** What a retroactive timeout does to the stored sessions' lengths, gathered as retimedSource reads it. */
import { LENGTH_BUCKET_EDGES, lengthBucketIndex, SLOT_MS, type SlotTotal } from '../../shared/lengthSource';

/**
 * Stored sessions taken out and re-split ones put in: sessions and summed length per slot and
 * per length bucket, and each bucket's lengths of either kind (a percentile reads one bucket's).
 * Kept as totals rather than one object per session: a long timeout changes half a million.
 */
export class LengthChanges {
  /** Keyed by slot number (start ÷ SLOT_MS): a small integer, which a Map hashes several times faster than a time. */
  private readonly bySlot = new Map<number, SlotTotal>();
  /** Per bucket (LENGTH_BUCKET_EDGES' index): sessions put in less those taken out, and the lengths of either kind. */
  private readonly counts = LENGTH_BUCKET_EDGES.map(() => 0);
  private readonly taken = LENGTH_BUCKET_EDGES.map((): number[] => []);
  private readonly put = LENGTH_BUCKET_EDGES.map((): number[] => []);

  /** A stored session taken out (`sign` −1), or one the timeout makes put in (+1). */
  add(sign: -1 | 1, startedAt: number, lengthMs: number): void {
    const slot = Math.floor(startedAt / SLOT_MS);
    const total = this.bySlot.get(slot);
    if (total) {
      total.sessions += sign;
      total.totalMs += sign * lengthMs;
    } else {
      this.bySlot.set(slot, { slot: slot * SLOT_MS, sessions: sign, totalMs: sign * lengthMs });
    }
    const bucket = lengthBucketIndex(lengthMs);
    this.counts[bucket] += sign;
    (sign < 0 ? this.taken : this.put)[bucket].push(lengthMs);
  }

  /** Per slot, the sessions put in less those taken out, and the same of their lengths. */
  slots(): Iterable<SlotTotal> {
    return this.bySlot.values();
  }

  /** Per bucket (its lower edge) with a session taken out or put in, the sessions put in less those taken out. */
  buckets(): { bucket: number; sessions: number }[] {
    return LENGTH_BUCKET_EDGES.map((bucket, i) => ({ bucket, sessions: this.counts[i] })).filter(
      (_bucket, i) => this.taken[i].length > 0 || this.put[i].length > 0,
    );
  }

  /** The lengths in `bucket` (its lower edge) taken out (−1) or put in (+1), ascending. */
  lengthsIn(sign: -1 | 1, bucket: number): number[] {
    const lengths = (sign < 0 ? this.taken : this.put)[lengthBucketIndex(bucket)];
    // A typed array sorts numerically in native code, several times faster than sort((a, b) => a - b).
    return Array.from(Float64Array.from(lengths).sort());
  }
}
