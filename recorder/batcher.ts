/**
 * Collects one session's events until a batch is due (by time or by size). Events are kept
 * as rrweb hands them over and serialised later, at idle time, never inside rrweb's callback
 * (which runs in the page's own event and mutation handlers).
 */
import { BATCH_MAX_BYTES } from '../shared/constants';

/** A cut batch: its session and its events serialised as JSON. */
export interface CutBatch {
  sessionId: string;
  eventsJson: string[];
  bytes: number;
}

export class Batcher {
  private sessionId: string | null = null;
  private raw: unknown[] = [];
  private json: string[] = [];
  private bytes = 0;

  /** @param onError an event that cannot be serialised (a BigInt in a payload) is dropped and reported here. */
  constructor(private readonly onError: (error: unknown) => void) {}

  /** Whether events wait to be serialised. */
  get hasRaw(): boolean {
    return this.raw.length > 0;
  }

  /**
   * Adds an event of `sessionId`. Returns the previous session's events when the session
   * changed: they must be sent first.
   */
  add(sessionId: string, event: unknown): CutBatch | null {
    const previous = this.sessionId !== sessionId ? this.cut() : null;
    this.sessionId = sessionId;
    this.raw.push(event);
    return previous;
  }

  /**
   * Serialises waiting events while `hasTime()` says so (at least one); returns a batch once
   * the serialised events reach the size cap.
   */
  serialise(hasTime: () => boolean): CutBatch | null {
    let done = 0;
    do {
      if (done >= this.raw.length) break;
      this.take(this.raw[done++]);
    } while (this.bytes < BATCH_MAX_BYTES && hasTime());
    this.raw.splice(0, done);
    return this.bytes >= BATCH_MAX_BYTES ? this.takeSerialised() : null;
  }

  /** Takes whatever is waiting, serialised, or null when nothing is. */
  cut(): CutBatch | null {
    // Swapped out first: reporting a failure adds an event, which goes to the next batch.
    const raw = this.raw;
    this.raw = [];
    for (const event of raw) this.take(event);
    return this.takeSerialised();
  }

  private takeSerialised(): CutBatch | null {
    if (this.sessionId === null || this.json.length === 0) return null;
    const batch = { sessionId: this.sessionId, eventsJson: this.json, bytes: this.bytes };
    this.json = [];
    this.bytes = 0;
    return batch;
  }

  private take(event: unknown): void {
    try {
      const json = JSON.stringify(event);
      this.json.push(json);
      this.bytes += json.length;
    } catch (error) {
      this.onError(error);
    }
  }
}
