/** Shapes of the read API, shared by the server and the player. */

export type SessionStatus = 'live' | 'concluded';

/** One session as `GET /api/sessions` and `GET /api/sessions/:id` return it. */
export interface SessionSummary {
  id: string;
  project: string;
  deviceId: string;
  userId: string | null;
  /** ISO 8601, server clock: the first activity, corrected for the client's clock skew. */
  startedAt: string;
  /** ISO 8601: the last activity (a session ends at its last activity, not after the idle tail). */
  endedAt: string;
  /** Last activity − first activity, on the client's clock. */
  lengthMs: number;
  /** Sum of gaps between activities shorter than ACTIVE_IDLE_MS. */
  activeMs: number;
  windows: number;
  pages: number;
  entryUrl: string | null;
  exitUrl: string | null;
  eventCount: number;
  errorCount: number;
  /** Compressed bytes stored for the recording. */
  bytes: number;
  status: SessionStatus;
  userAgent: string | null;
}

/** `GET /api/sessions` answer. */
export interface SessionPage {
  sessions: SessionSummary[];
  total: number;
  nextCursor: string | null;
}

/** The sort keys `GET /api/sessions?sort=` accepts. */
export const SESSION_SORTS = ['length', 'startedAt', 'endedAt', 'events'] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];

/**
 * One line of `GET /api/sessions/:id/events` (NDJSON): one stored chunk of one window,
 * lines ordered by window (first seen first) then sequence number.
 */
export interface EventChunk {
  windowId: string;
  seq: number;
  events: { type: number; timestamp: number; data?: unknown }[];
}
