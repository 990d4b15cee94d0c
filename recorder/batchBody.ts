/**
 * A batch's body as two gzip members, which inflate as one (RFC 1952 §2.2): a small head with
 * the fields that change per attempt (send time, drop count), then the events, compressed
 * once, off the main thread, and kept so that retries, storage and page-hide cost nothing.
 */
import type { IngestBatch } from '../shared/wire';
import { storedGzip } from './storedGzip';

/** Everything of a batch but its events, which travel pre-compressed, and its send time. */
export type BatchHeader = Omit<IngestBatch, 'events' | 'sentAt' | 'droppedBatches'>;

const encoder = new TextEncoder();

/** The text to compress once per batch: the events array and the object's closing brace. */
export function eventsText(eventsJson: readonly string[]): string {
  return `[${eventsJson.join(',')}]}`;
}

/** The batch's fields as sent now: the header, the send time and the drop count, if any. */
export function batchFields(header: BatchHeader, sentAt: number, droppedBatches: number): Omit<IngestBatch, 'events'> {
  const fields: Omit<IngestBatch, 'events'> = { ...header, sentAt };
  if (droppedBatches > 0) fields.droppedBatches = droppedBatches;
  return fields;
}

/** The head member: `{...header, sentAt, droppedBatches?, "events":`, stored (it is small). */
export function headMember(header: BatchHeader, sentAt: number, droppedBatches: number): Uint8Array {
  return storedGzip(encoder.encode(`${JSON.stringify(batchFields(header, sentAt, droppedBatches)).slice(0, -1)},"events":`));
}

/** An events member made now, uncompressed: for page hide, when there is no time to compress. */
export function eventsMemberNow(text: string): Uint8Array {
  return storedGzip(encoder.encode(text));
}

/** The whole body: the head member followed by the events member. */
export function batchBody(head: Uint8Array, events: Uint8Array): Uint8Array {
  const body = new Uint8Array(head.length + events.length);
  body.set(head);
  body.set(events, head.length);
  return body;
}
