/**
 * Collects one session's events until a batch is due (by time or by size). Events are kept
 * as rrweb hands them over and serialised later, at idle time, never inside rrweb's callback
 * (which runs in the page's own event and mutation handlers). A large event (the full
 * snapshot of a big page) is serialised in slices, so it never takes one long task of ours.
 */
import { BATCH_MAX_BYTES } from '../shared/constants';
import { weighJson } from './weighJson';
import type { SlicedJson } from './slicedJson';

/** A cut batch: its session and its events serialised as JSON. */
export interface CutBatch {
  sessionId: string;
  eventsJson: string[];
  bytes: number;
}

/** So many waiting events are worth an idle callback of their own; fewer wait for the batch timer. */
const SERIALISE_AFTER_EVENTS = 64;

export class Batcher {
  private sessionId: string | null = null;
  private raw: unknown[] = [];
  private json: string[] = [];
  private bytes = 0;
  /** The first waiting event's JSON as far as it is written, when it is large. */
  private slices: SlicedJson | null = null;
  /** The sliced writer: a promise while its chunk loads, null when it failed to (large events are then written whole). */
  private writer?: typeof SlicedJson | Promise<void> | null;

  /**
   * @param onError an event that cannot be serialised (a BigInt in a payload) is dropped and reported here.
   * @param onWriter called once the sliced writer for large events has loaded (or failed to): waiting events can go on.
   */
  constructor(
    private readonly onError: (error: unknown) => void,
    private readonly onWriter: () => void,
  ) {}

  /** Whether waiting events are worth serialising before the batch is due: many of them, or a full snapshot (not while the writer loads). */
  get wantsIdleTime(): boolean {
    if (this.writer instanceof Promise) return false;
    return this.raw.length >= SERIALISE_AFTER_EVENTS || this.raw.some((event) => (event as { type?: unknown } | null)?.type === 2);
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
  serialise(hasTime: () => boolean, due = false): CutBatch | null {
    while (this.raw.length > 0 && this.takeFirst(hasTime) && (due || (this.bytes < BATCH_MAX_BYTES && hasTime())));
    return due || this.bytes >= BATCH_MAX_BYTES ? this.takeSerialised() : null;
  }

  /** Takes whatever is waiting, serialised at once, or null when nothing is. */
  cut(): CutBatch | null {
    this.slices = null;
    // Reporting a failure adds an event: the loop, which reads the array as it grows, takes it too.
    for (const event of this.raw) {
      try {
        this.push(JSON.stringify(event));
      } catch (error) {
        this.onError(error);
      }
    }
    this.raw = [];
    return this.takeSerialised();
  }

  private takeSerialised(): CutBatch | null {
    if (this.sessionId === null || this.json.length === 0) return null;
    const batch = { sessionId: this.sessionId, eventsJson: this.json, bytes: this.bytes };
    this.json = [];
    this.bytes = 0;
    return batch;
  }

  /** Serialises the first waiting event, a large one a slice at a time; false while it is unfinished. */
  private takeFirst(hasTime: () => boolean): boolean {
    const event = this.raw[0];
    try {
      if (!this.slices && this.writer !== null && weighJson(event) < 0) {
        if (typeof this.writer !== 'function') return this.loadWriter();
        this.slices = new this.writer(event, weighJson);
      }
      if (this.slices && !this.slices.write(hasTime)) return false;
      this.push(this.slices ? this.slices.text() : JSON.stringify(event));
    } catch (error) {
      this.onError(error);
    }
    this.slices = null;
    this.raw.shift();
    return true;
  }

  /** Loads the sliced writer (once); false, the event waiting for it. */
  private loadWriter(): false {
    this.writer ??= import('./slicedJson')
      .then(
        (module) => void (this.writer = module.SlicedJson),
        (error: unknown) => {
          this.writer = null;
          this.onError(error);
        },
      )
      .then(this.onWriter);
    return false;
  }

  private push(json: string): void {
    this.json.push(json);
    this.bytes += json.length;
  }
}
