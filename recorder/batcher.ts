/**
 * Collects one session's events until a batch is due (by time or by size). Events are kept
 * as rrweb hands them over and serialised later, at idle time, never inside rrweb's callback
 * (which runs in the page's own event and mutation handlers). The full snapshot of a big
 * page is serialised in slices (slicedJson.ts, a chunk), so it never takes one long task of ours.
 */
import { BATCH_MAX_BYTES } from '../shared/constants';
import type { SlicedJson } from './slicedJson';

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
  /** The first waiting event's JSON as far as it is written, when it is large. */
  private slices: SlicedJson | null = null;
  /** The sliced writer: a promise while its chunk loads, null when it failed to (large events are then written whole). */
  private writer?: typeof SlicedJson | Promise<void> | null;

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
   * Serialises waiting events while `hasTime()` says so (at least one step); returns a batch
   * once the serialised events reach the size cap. When the batch is `due` (its timer fired),
   * every small event is serialised and all that is serialised is taken; a large event is
   * still written only while `hasTime()`, and it and what follows wait for the next batch.
   */
  serialise(hasTime: () => boolean, due?: boolean): CutBatch | null {
    while (this.raw.length > 0 && this.takeFirst(hasTime) && (due || (this.bytes < BATCH_MAX_BYTES && hasTime())));
    return due || this.bytes >= BATCH_MAX_BYTES ? this.takeSerialised() : null;
  }

  /** Takes whatever is waiting, serialised at once, or null when nothing is. */
  cut(): CutBatch | null {
    this.slices = null;
    // Reporting a failure adds an event: the loop takes it too.
    while (this.raw.length > 0) this.takeFirst();
    return this.takeSerialised();
  }

  private takeSerialised(): CutBatch | null {
    if (this.sessionId === null || this.json.length === 0) return null;
    const batch = { sessionId: this.sessionId, eventsJson: this.json, bytes: this.bytes };
    this.json = [];
    this.bytes = 0;
    return batch;
  }

  /**
   * Serialises the first waiting event, a large one a slice at a time while `hasTime()`; false
   * while it is unfinished. Without `hasTime`, the event is written whole, at once.
   */
  private takeFirst(hasTime?: () => boolean): boolean {
    const event = this.raw[0];
    try {
      // A full snapshot grows with the page: over 2 000 elements (written in place, to keep the
      // snippet within its budget), one would take a long task to serialise at once. Indexing
      // the live collection stops the count at the 2 001st element; its length walks them all.
      if (hasTime && !this.slices && this.writer !== null && (event as { type?: number }).type === 2 && document.getElementsByTagName('*')[2e3]) {
        if (typeof this.writer !== 'function') return this.loadWriter();
        this.slices = new this.writer(event);
      }
      if (this.slices && !this.slices.write(hasTime!)) return false;
      this.push(this.slices ? this.slices.text() : JSON.stringify(event));
    } catch (error) {
      this.onError(error);
    }
    this.slices = null;
    this.raw.shift();
    return true;
  }

  /** Loads the sliced writer (once); false: the event waits for it, and serialise() calls go on without it meanwhile. */
  private loadWriter(): false {
    // A chunk that cannot load (a network error, a CSP allowing recorder.js alone) leaves large events written whole.
    this.writer ??= import('./slicedJson').then(
      (module) => void (this.writer = module.SlicedJson),
      () => void (this.writer = null),
    );
    return false;
  }

  private push(json: string): void {
    this.json.push(json);
    this.bytes += json.length;
  }
}
