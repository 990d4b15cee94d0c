/**
 * The recorder's envelope bodies (shared/batchEnvelope.ts), and what lightens batches with
 * them: deflated heads, and stylesheets sent as their address (withoutCapturedCss.ts).
 */
import { encodeEnvelope, envelopeHeadBytes, frameEnvelope } from '../shared/batchEnvelope';
import { summarizeBatch, type BatchSummary } from '../shared/summarizeBatch';
import type { IngestBatch, WireEvent } from '../shared/wire';
import { batchBody } from './batchBody';
import { storedGzip } from './storedGzip';
import { FULL_SNAPSHOT_HEAD } from './withoutCapturedCss';

export { withoutCapturedCss } from './withoutCapturedCss';

const MUTATION_HEAD = '{"type":3,"data":{"source":0,';
const TIMESTAMP_TAIL = /"timestamp":(\d+)\}$/;

/**
 * A full snapshot or mutation as the summary sees it: only its type and time count there
 * (neither is activity, neither carries a fact), so the DOM between, megabytes at times, is not
 * parsed on the page's main thread; nor are the small mutations a live page makes many times a
 * second. Null when its text has another shape.
 */
function withoutDom(json: string): WireEvent | null {
  const type = json.startsWith(FULL_SNAPSHOT_HEAD) ? 2 : json.startsWith(MUTATION_HEAD) ? 3 : null;
  const time = TIMESTAMP_TAIL.exec(json.slice(-48));
  return type === null || time === null ? null : { type, timestamp: Number(time[1]) };
}

/** The summary of a batch's serialised events; none when it fails (told to `onError`): the batch then goes as plain gzip. */
export function summarize(eventsJson: readonly string[], onError: (error: unknown) => void): BatchSummary | undefined {
  try {
    return summarizeBatch(eventsJson.map((json) => withoutDom(json) ?? (JSON.parse(json) as WireEvent)));
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

/**
 * Raw deflate of `bytes` by the browser; rejects where its CompressionStream lacks the format.
 * A Response's body streams the bytes from memory: a Blob's stream() cost about five times more
 * of the main thread (about 1.2 ms a head against 0.2 ms, measured in Chromium), on every batch.
 */
async function deflateRaw(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Response(bytes).body!.pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The envelope of a send that can wait for it: as envelopeBody's, its head deflated (a third
 * smaller), or as JSON where the browser cannot deflate. A page hide, which cannot wait, sends
 * envelopeBody's.
 */
export async function deflatedEnvelopeBody(fields: Omit<IngestBatch, 'events'>, summary: BatchSummary, events: Uint8Array): Promise<Uint8Array> {
  const head = envelopeHeadBytes({ ...fields, summary });
  const gzipped = batchBody(EVENTS_HEAD, events);
  try {
    return frameEnvelope(await deflateRaw(head), gzipped, true);
  } catch {
    return frameEnvelope(head, gzipped, false);
  }
}
