/** Collects serialised events of one session until a batch is due (by time or by size). */
import { BATCH_MAX_BYTES } from '../shared/constants';

/** A cut batch: its session and its events already serialised as JSON. */
export interface CutBatch {
  sessionId: string;
  eventsJson: string[];
  bytes: number;
}

export class Batcher {
  private sessionId: string | null = null;
  private events: string[] = [];
  private bytes = 0;

  /**
   * Adds an event of `sessionId`. Returns the batch that must be sent first: the previous
   * session's events when the session changed, or a full batch once it reaches the size cap.
   */
  add(sessionId: string, eventJson: string): CutBatch | null {
    const previous = this.sessionId !== sessionId ? this.cut() : null;
    this.sessionId = sessionId;
    this.events.push(eventJson);
    this.bytes += eventJson.length;
    return previous ?? (this.bytes >= BATCH_MAX_BYTES ? this.cut() : null);
  }

  /** Takes whatever is waiting, or null when nothing is. */
  cut(): CutBatch | null {
    if (this.sessionId === null || this.events.length === 0) return null;
    const batch = { sessionId: this.sessionId, eventsJson: this.events, bytes: this.bytes };
    this.events = [];
    this.bytes = 0;
    return batch;
  }
}
