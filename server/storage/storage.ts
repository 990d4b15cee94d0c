/**
 * The storage interface: everything the routes need, nothing about SQL. One SQL storage
 * implements it over SQLite (embedded, the default) or PostgreSQL (shared by several server
 * nodes); every call is asynchronous because a network database answers later.
 */
import type { SessionFilters, SessionPage, SessionSort, SessionSummary } from '../../shared/api';
import type { LengthSource, StoredLengths } from '../../shared/lengthSource';
import type { RecordedSession, SessionRules, Span } from '../../shared/session';
import type { SignalCounts } from '../../shared/signals';
import type { IngestBatch } from '../../shared/wire';
import { decodeCursor } from './cursor';
import type { ShareStore } from './queries/shares';

/** What one batch contributes to its session, as storage folds it in. */
interface BatchSummary {
  firstTs: number;
  lastTs: number;
  eventCount: number;
  errorCount: number;
  /** Activity spans, on the client's clock, in order. */
  spans: Span[];
  /** Page views in order: the first and last are the session's entry and exit candidates. */
  pageViews: { at: number; url: string }[];
  userId: string | null;
  userTraits: Record<string, unknown> | null;
  /** Names passed to track() in this batch. */
  trackNames: string[];
  /** Frustration signals recorded in this batch. */
  signals: SignalCounts;
  /** Their click times, on the client's clock, sorted. */
  signalTimes: number[];
}

/** One accepted batch, ready to store. */
export interface BatchRecord
  extends Pick<IngestBatch, 'project' | 'sessionId' | 'windowId' | 'deviceId' | 'seq' | 'sessionTimeoutMs'> {
  userAgent: string | null;
  receivedAt: number;
  /** Server receive time − client send time: added to client times to get server times. */
  clockOffsetMs: number;
  summary: BatchSummary;
  /** The batch's JSON text, stored gzipped and later replayed: as the client gzipped it, or to compress. */
  recording: { gzip: Buffer } | { json: Buffer };
  /** Whether the server computed `summary` from the events; if not, a worker checks it later (ChunkToCheck). */
  eventsRead: boolean;
  /** Batches the recorder dropped (queue full, refused) since its last accepted one. */
  droppedBatches: number;
}

/** Filters, order and page of a session listing. `from`/`to` bound the start time (server clock). */
export interface SessionQuery extends SessionFilters {
  sort: SessionSort;
  order: 'asc' | 'desc';
  limit: number;
  /** Where the page starts: a `nextCursor` of an earlier page, opaque (see isCursor). */
  cursor: string | null;
}

/** What the check of a chunk found: a batch of events as summarised, not one, or one its summary misstates. */
export type ChunkVerdict = 'ok' | 'corrupt' | 'lying';

/** Where a chunk is: its idempotency key. */
export interface ChunkKey {
  sessionId: string;
  windowId: string;
  seq: number;
}

/** A chunk whose events nobody has read yet, with what its client's summary claimed of them. */
export interface ChunkToCheck extends ChunkKey {
  firstTs: number;
  lastTs: number;
  eventCount: number;
  data: Buffer;
}

/** One stored chunk: the batch it came from, as stored (its bytes, in `encoding`). */
export interface StoredChunk {
  windowId: string;
  seq: number;
  encoding: 'gzip';
  /** What its check found; null while it is not checked yet. */
  verdict: ChunkVerdict | null;
  /** The batch JSON ({ events, … }), compressed in `encoding`. */
  data: Buffer;
}

/** One stored chunk's events, decoded. */
export interface ChunkEvents {
  windowId: string;
  seq: number;
  events: unknown[];
}

/** What a retroactive timeout changes among the sessions of a project and start-time range. */
export interface TimeoutChanges {
  /** The stored sessions, as the maintained aggregates count them. */
  stored: StoredLengths;
  /** How many of them hold the time of a frustration signal. */
  frustrated: number;
  /**
   * Those the timeout merges with a neighbour or splits, device by device: every other one
   * stays as it is stored.
   */
  changed: ChangedDevice[];
}

/**
 * One device's changed sessions as numbers, in order of first activity: CHANGED_STRIDE per
 * session (first activity; length and flags packed in one number, see CHANGED_FLAG_VALUES;
 * clock offset). Most sessions a timeout changes only merge whole, and these numbers re-split
 * them without their idle gaps.
 */
export interface ChangedDevice {
  sessions: number[];
  /** The same sessions in full, in the same order, as resessionize takes them. */
  recorded(): RecordedSession[];
}

/** How many numbers of ChangedDevice.sessions describe one session. */
export const CHANGED_STRIDE = 3;

/** Bits of a changed session's flags: it holds a frustration signal, it has idle gaps, one is longer than the timeout. */
export const CHANGED_FLAGS = { frustrated: 1, idle: 2, splits: 4 } as const;

/**
 * A changed session's length and flags travel as one number, length × CHANGED_FLAG_VALUES + flags:
 * a number fewer per session for the database to print and JavaScript to parse, half a million
 * times for a long timeout. The SQL spelling of the packing is its own (timeoutChanges).
 */
export const CHANGED_FLAG_VALUES = 8;

/** The length and flags of a changed session's packed number (lengths are never negative). */
export function unpackLength(packed: number): { lengthMs: number; flags: number } {
  const flags = packed % CHANGED_FLAG_VALUES;
  return { lengthMs: (packed - flags) / CHANGED_FLAG_VALUES, flags };
}

/** Whether `text` is a cursor this storage made (a `nextCursor`), so a listing can start from it. */
export function isCursor(text: string): boolean {
  return decodeCursor(text) !== null;
}

export interface Storage {
  /** Stores a batch and folds it into its session, atomically; `stored` is false for a repeat. */
  appendBatch(batch: BatchRecord): Promise<{ stored: boolean }>;
  listSessions(query: SessionQuery, now: number): Promise<SessionPage>;
  /** Every session the query matches, a page (`query.limit` rows) at a time, without a total. */
  scanSessions(query: SessionQuery, now: number): AsyncIterable<SessionSummary[]>;
  /** How many sessions the filters match. */
  countSessions(filters: SessionFilters, now: number): Promise<number>;
  /** The lengths of the sessions the filters match, for statistics. */
  lengthSource(filters: SessionFilters, now: number): Promise<LengthSource>;
  /** The sessions the filters match as re-sessionising needs them, by project, device, start. */
  recordedSessions(filters: SessionFilters, now: number): Promise<Iterable<RecordedSession>>;
  /**
   * What re-splitting under `rules` changes, when the filters only name a project and a start-time
   * range; null otherwise (re-split recordedSessions then).
   */
  timeoutChanges(filters: SessionFilters, rules: SessionRules): Promise<TimeoutChanges | null>;
  getSession(id: string, now: number): Promise<SessionSummary | null>;
  /** The session's chunks as stored, ordered by window (first seen first), then sequence number. */
  readChunks(id: string): AsyncIterable<StoredChunk>;
  /** The events of the session's chunks, in readChunks' order, but those that cannot be read. */
  readEvents(id: string): AsyncIterable<ChunkEvents>;
  /** Up to `limit` chunks not checked yet, oldest first. */
  uncheckedChunks(limit: number): Promise<ChunkToCheck[]>;
  /** Records what the checks of chunks found. */
  setVerdicts(verdicts: readonly (ChunkKey & { verdict: ChunkVerdict })[]): Promise<void>;
  /** Removes the session, its recording and its share links; false when there was none. */
  deleteSession(id: string): Promise<boolean>;
  /** The sessions' share links. */
  readonly shares: ShareStore;
  close(): Promise<void>;
  /**
   * Retention: deletes up to `limit` sessions, with their recordings, that ended before
   * `cutoffMs` (server clock; a session without activity by when it was created), in one short
   * transaction. Returns how many went; fewer than `limit` means none is left.
   */
  deleteSessionsEndedBefore(cutoffMs: number, limit: number): Promise<number>;
  /**
   * Only on a database shared by several server nodes: the admin token all of them use, the
   * one `generated` offers stored by whichever node asks first.
   */
  sharedAdminToken?(generated: string): Promise<string>;
}

/**
 * The database cannot be reached (down, restarting, failing over, out of connections): the
 * request may succeed if sent again, so clients are told to retry rather than given up on.
 */
export class StorageUnavailableError extends Error {}
