/** How much a request body may weigh, on the wire and once inflated. */

export interface BodyLimits {
  maxBodyBytes: number;
  maxInflatedBytes: number;
}

/**
 * The recorder cuts batches at 512 KB of JSON, but one full snapshot of a heavy page is a
 * single event of several MB, and refusing it would lose the whole recording.
 */
export const DEFAULT_LIMITS: BodyLimits = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxInflatedBytes: 32 * 1024 * 1024,
};
