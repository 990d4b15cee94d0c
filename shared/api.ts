/** Shapes of the read API, shared by the server and the player. */
import type { SignalKind } from './signals';

/** `live` while a session may still take events; `concluded` once it timed out. */
export type SessionStatus = 'live' | 'concluded';

/** One session as `GET /api/sessions` and `GET /api/sessions/:id` return it. */
export interface SessionSummary {
  id: string;
  project: string;
  deviceId: string;
  userId: string | null;
  /** Traits from the latest identify(userId, traits) call. */
  userTraits: Record<string, unknown> | null;
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
  /** Frustration signals (product §8): bursts of ≥ 3 clicks within 1 s within 30 px. */
  rageClicks: number;
  /** Clicks on interactive elements followed by 7 s without a DOM change, navigation or scroll. */
  deadClicks: number;
  /** Clicks followed within 1 s by an uncaught error or unhandled rejection. */
  errorClicks: number;
  /** Batches the recorder had to drop (its bounded queue overflowed, or the server refused them). */
  droppedBatches: number;
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
/** `frustration` orders by rageClicks + deadClicks + errorClicks. */
export const SESSION_SORTS = ['length', 'startedAt', 'endedAt', 'events', 'activeTime', 'frustration'] as const;
/** A sort key of the sessions list. */
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

/**
 * Filters `GET /api/sessions`, its exports and `GET /api/stats` accept, as query parameters.
 * Times are ms since the epoch or ISO 8601; `url` matches sessions that visited a page whose
 * URL contains it; `event` matches sessions where `track(name)` was called with that name;
 * `signal` (`signal=rage,dead`) keeps sessions with at least one of the signals named.
 */
export interface SessionFilters {
  project?: string;
  minLengthMs?: number;
  maxLengthMs?: number;
  from?: number;
  to?: number;
  userId?: string;
  deviceId?: string;
  url?: string;
  event?: string;
  hasErrors?: boolean;
  status?: SessionStatus;
  signal?: SignalKind[];
}

/** Bucket sets `GET /api/stats?buckets=` accepts. */
export const STATS_BUCKETS = ['default', 'pow2'] as const;
/** A bucket set of the length histogram. */
export type StatsBuckets = (typeof STATS_BUCKETS)[number];

/** One bar of the length distribution: lengths in [fromMs, toMs); `toMs` null is open-ended. */
export interface DistributionBucket {
  label: string;
  fromMs: number;
  toMs: number | null;
  count: number;
}

/** One calendar day (in the requested time zone) of sessions started that day. */
export interface DayStats {
  /** YYYY-MM-DD in the requested time zone. */
  day: string;
  sessions: number;
  totalMs: number;
  /** null when the day had no session. */
  averageMs: number | null;
}

/** `GET /api/stats` answer. Average, median, p90 and share are null when `count` is 0. */
export interface SessionStats {
  count: number;
  averageMs: number | null;
  medianMs: number | null;
  p90Ms: number | null;
  /** Share (0..1) of sessions shorter than one minute. */
  under1mShare: number | null;
  /** Share (0..1) of sessions with at least one rage, dead or error click. */
  frustratedShare: number | null;
  totalMs: number;
  distribution: DistributionBucket[];
  perDay: DayStats[];
}

/** `POST /api/sessions/:id/shares` answers with the new link; its `url` is shown this once. */
export interface CreatedShare {
  id: string;
  url: string;
  expiresAt: string;
}

/** One of a session's share links as `GET /api/sessions/:id/shares` lists it (without its secret). */
export interface ShareLink {
  id: string;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
}
