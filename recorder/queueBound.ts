/** The bound on waiting batches: past it the oldest go first, so a long outage keeps its most recent part. */

/** Most batches kept waiting (about 8 minutes of recording at one batch every 5 s). */
export const MAX_QUEUED_BATCHES = 100;
/** Most compressed bytes kept waiting. */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/**
 * How many of the oldest of `sizes` (compressed bytes, oldest first) must be dropped so the rest
 * fit both bounds. The newest is always kept: it is the only copy of what just happened.
 */
export function queueExcess(sizes: readonly number[], maxBatches = MAX_QUEUED_BATCHES, maxBytes = MAX_QUEUED_BYTES): number {
  let bytes = sizes.reduce((sum, size) => sum + size, 0);
  let drop = 0;
  while (drop < sizes.length - 1 && (sizes.length - drop > maxBatches || bytes > maxBytes)) {
    bytes -= sizes[drop];
    drop++;
  }
  return drop;
}
