/**
 * The recorder's envelope bodies (shared/batchEnvelope.ts), a chunk of its own: the summary
 * code would push recorder.js over its budget, so the entry loads this once the page has
 * loaded and is idle, and sends plain gzip batches until then (or if it never loads).
 */
import { encodeEnvelope } from '../shared/batchEnvelope';
import { summarizeBatch, type BatchSummary } from '../shared/summarizeBatch';
import type { IngestBatch, WireEvent } from '../shared/wire';
import { batchBody } from './batchBody';
import { storedGzip } from './storedGzip';

/** The summary of a batch's serialised events; none when it fails (told to `onError`): the batch then goes as plain gzip. */
export function summarize(eventsJson: readonly string[], onError: (error: unknown) => void): BatchSummary | undefined {
  try {
    return summarizeBatch(eventsJson.map((json) => JSON.parse(json) as WireEvent));
  } catch (error) {
    onError(error);
  }
}

/**
 * Opens the stored batch `{"events":[…]}`: the fields travel once, in the envelope's head, rather
 * than again in a head member that readers of the stored chunk never look at.
 */
const EVENTS_HEAD = storedGzip(new TextEncoder().encode('{"events":'));

/**
 * The envelope of a batch: its fields and summary as the head, then the gzip the server stores,
 * `{"events":[…]}` from `events`, the compressed events member (batchBody.ts).
 */
export function envelopeBody(fields: Omit<IngestBatch, 'events'>, summary: BatchSummary, events: Uint8Array): Uint8Array {
  return encodeEnvelope({ ...fields, summary }, batchBody(EVENTS_HEAD, events));
}
