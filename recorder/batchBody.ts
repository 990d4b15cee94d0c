/**
 * A batch's body as two gzip members, which inflate as one (RFC 1952 §2.2): a small head with
 * the fields that change per attempt (send time, drop count), then the events, compressed
 * once, off the main thread, and kept so that retries, storage and page-hide cost nothing.
 */
import { gzipSync, strToU8 } from 'fflate';
import type { IngestBatch } from '../shared/wire';

/** Everything of a batch but its events, which travel pre-compressed, and its send time. */
export type BatchHeader = Omit<IngestBatch, 'events' | 'sentAt' | 'droppedBatches'>;

/** The bytes to compress once per batch: the events array and the object's closing brace. */
export function eventsText(eventsJson: readonly string[]): Uint8Array {
  return strToU8(`[${eventsJson.join(',')}]}`);
}

/** The head member: `{...header, sentAt, droppedBatches?, "events":` gzipped. */
export function headMember(header: BatchHeader, sentAt: number, droppedBatches: number): Uint8Array {
  const head: Omit<IngestBatch, 'events'> = { ...header, sentAt };
  if (droppedBatches > 0) head.droppedBatches = droppedBatches;
  return gzipSync(strToU8(`${JSON.stringify(head).slice(0, -1)},"events":`));
}

/** The whole body: the head member followed by the events member. */
export function batchBody(head: Uint8Array, events: Uint8Array): Uint8Array {
  const body = new Uint8Array(head.length + events.length);
  body.set(head);
  body.set(events, head.length);
  return body;
}
