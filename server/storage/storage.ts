/**
 * The storage interface: everything the routes need, nothing about SQL. SQLite implements it
 * today; a PostgreSQL implementation can sit behind the same interface.
 */
import type { SessionPage, SessionSort, SessionSummary } from '../../shared/api';
import type { IngestBatch } from '../../shared/wire';
import type { BatchSummary } from '../ingest/summarizeBatch';
import type { Cursor } from './cursor';

/** One accepted batch, ready to store. */
export interface BatchRecord
  extends Pick<IngestBatch, 'project' | 'sessionId' | 'windowId' | 'deviceId' | 'seq' | 'sessionTimeoutMs'> {
  userAgent: string | null;
  receivedAt: number;
  /** Server receive time − client send time: added to client times to get server times. */
  clockOffsetMs: number;
  summary: BatchSummary;
  /** The gzipped batch JSON as stored and later replayed. */
  gzip: Buffer;
}

/** Filters, order and page of a session listing. */
export interface SessionQuery {
  sort: SessionSort;
  order: 'asc' | 'desc';
  limit: number;
  cursor: Cursor | null;
  project?: string;
  minLengthMs?: number;
  maxLengthMs?: number;
  /** Started at or after, ms since the epoch (server clock). */
  from?: number;
  /** Started before, ms since the epoch. */
  to?: number;
  userId?: string;
  deviceId?: string;
  hasErrors?: boolean;
}

/** One stored chunk: the gzipped batch it came from. */
export interface StoredChunk {
  windowId: string;
  seq: number;
  gzip: Buffer;
}

export interface Storage {
  /** Stores a batch and folds it into its session, atomically; `stored` is false for a repeat. */
  appendBatch(batch: BatchRecord): { stored: boolean };
  listSessions(query: SessionQuery, now: number): SessionPage;
  getSession(id: string, now: number): SessionSummary | null;
  /** The session's chunks ordered by window (first seen first), then sequence number. */
  readChunks(id: string): Iterable<StoredChunk>;
  /** Removes the session and its recording; false when there was none. */
  deleteSession(id: string): boolean;
  close(): void;
}
