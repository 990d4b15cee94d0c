/** Defaults and limits shared by the recorder and the server. Units are in the names. */

/** Inactivity after which a session ends (30 min, as Amplitude and PostHog web). */
export const SESSION_TIMEOUT_MS = 1_800_000;
/** A session is split once it spans this long (24 h). */
export const MAX_SESSION_MS = 86_400_000;
/** Gaps between activities shorter than this count as active time. */
export const ACTIVE_IDLE_MS = 5_000;
/**
 * Idle gaps longer than this are kept per session, so statistics can be recomputed under any
 * inactivity timeout at least this long without re-reading recordings.
 */
export const IDLE_GAP_MS = 60_000;

/** The recorder sends a batch at least this often while events are waiting. */
export const BATCH_INTERVAL_MS = 5_000;
/** A batch is cut once its serialised events reach this size. */
export const BATCH_MAX_BYTES = 512 * 1024;
/** Browsers refuse keepalive requests whose bodies add up past 64 KB. */
export const KEEPALIVE_MAX_BYTES = 64 * 1024;

/** Longest user id `identify()` passes on; the server refuses longer ones. */
export const MAX_USER_ID_LENGTH = 256;

/** Names of the custom rrweb events the recorder adds. */
export const CUSTOM_EVENT = {
  pageview: '$pageview',
  identify: '$identify',
  track: '$track',
  activity: '$activity',
  /** A frustration signal (rage, dead or error click): a SignalPayload (shared/signals.ts). */
  signal: '$signal',
  /** The recorder's own failure (rrweb on odd DOM, storage), counted: `{ count, message }`. */
  recorderError: '$recorder_error',
} as const;

/** The rrweb console plugin's name: its events carry console lines (shared/eventFacts.ts). */
export const CONSOLE_PLUGIN = 'rrweb/console@1';
/** The rrweb network plugin's name: its events carry requests (shared/eventFacts.ts). */
export const NETWORK_PLUGIN = 'rrweb/network@1';
