/**
 * The recorder's envelope bodies (shared/batchEnvelope.ts), a chunk of its own: the summary
 * code would push recorder.js over its budget, so the entry loads this once the page has
 * loaded and is idle, and sends plain gzip batches until then (or if it never loads).
 */
import { encodeEnvelope } from '../shared/batchEnvelope';
import { summarizeBatch, type BatchSummary } from '../shared/summarizeBatch';
import type { IngestBatch, WireEvent } from '../shared/wire';

/** The summary of a batch's serialised events; none when it fails (told to `onError`): the batch then goes as plain gzip. */
export function summarize(eventsJson: readonly string[], onError: (error: unknown) => void): BatchSummary | undefined {
  try {
    return summarizeBatch(eventsJson.map((json) => JSON.parse(json) as WireEvent));
  } catch (error) {
    onError(error);
  }
}

/** The envelope of a batch: its fields and summary as the head, then `gzipped`, the whole batch JSON. */
export function envelopeBody(fields: Omit<IngestBatch, 'events'>, summary: BatchSummary, gzipped: Uint8Array): Uint8Array {
  return encodeEnvelope({ ...fields, summary }, gzipped);
}
