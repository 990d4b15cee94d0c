/** The wire format between recorder and server. */

/** One rrweb event as it travels: the server reads only these fields. */
export interface WireEvent {
  type: number;
  timestamp: number;
  data?: unknown;
}

/** What the recorder POSTs to /api/ingest (as JSON, usually gzipped). */
export interface IngestBatch {
  project: string;
  sessionId: string;
  windowId: string;
  deviceId: string;
  /** Per-window sequence number, starting at 0; (sessionId, windowId, seq) is the idempotency key. */
  seq: number;
  /** Client clock when the batch was (first) sent, ms since the epoch. */
  sentAt: number;
  /** The inactivity timeout the recorder split sessions with. */
  sessionTimeoutMs: number;
  userAgent?: string;
  /**
   * Batches this browser dropped (its bounded queue overflowed, or the server refused them for
   * good) and had not yet reported; absent when none.
   */
  droppedBatches?: number;
  events: WireEvent[];
}

/** The server's answer to an accepted batch. */
export interface IngestAck {
  ok: true;
  /** False when the batch had been stored before (a retry). */
  stored: boolean;
}
