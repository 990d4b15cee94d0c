/**
 * The ingest body that spares the server inflating and parsing the events: a magic, the length
 * of a small JSON head (the batch's fields and its summary, see summarizeBatch.ts, less the
 * summary fields at their default), the head, then gzip of `{"events":[…]}` (the fields are in
 * the head only), which the server stores as it came. One plain POST body, so it travels with fetch keepalive and sendBeacon (text/plain, no custom header, no preflight).
 */
import { withoutDefaults, type BatchSummary } from './summarizeBatch';
import type { IngestBatch } from './wire';

/** First bytes of an envelope: neither JSON nor gzip starts so. */
const MAGIC = [0x52, 0x50, 0x45, 0x31]; // "RPE1"
/** Magic, then the head's length as 4 bytes big-endian. */
const PREFIX_BYTES = MAGIC.length + 4;

/** The envelope's head: the batch but its events, and what they contribute to the session. */
export interface EnvelopeHead extends Omit<IngestBatch, 'events'> {
  summary: BatchSummary;
}

/** The body: the head (its summary without default fields) and `gzipped`, `{"events":[…]}` compressed. */
export function encodeEnvelope(head: EnvelopeHead, gzipped: Uint8Array): Uint8Array {
  const headBytes = new TextEncoder().encode(JSON.stringify({ ...head, summary: withoutDefaults(head.summary) }));
  const body = new Uint8Array(PREFIX_BYTES + headBytes.length + gzipped.length);
  body.set(MAGIC);
  new DataView(body.buffer).setUint32(MAGIC.length, headBytes.length);
  body.set(headBytes, PREFIX_BYTES);
  body.set(gzipped, PREFIX_BYTES + headBytes.length);
  return body;
}

/**
 * The head's text and the compressed batch of an envelope; null when `body` is not one (a JSON
 * or gzip batch), or 'truncated' when its head runs past its end.
 */
export function openEnvelope(body: Uint8Array): { head: string; gzipped: Uint8Array } | null | 'truncated' {
  if (body.length < PREFIX_BYTES || MAGIC.some((byte, i) => body[i] !== byte)) return null;
  const headLength = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(MAGIC.length);
  if (PREFIX_BYTES + headLength > body.length) return 'truncated';
  return {
    head: new TextDecoder().decode(body.subarray(PREFIX_BYTES, PREFIX_BYTES + headLength)),
    gzipped: body.subarray(PREFIX_BYTES + headLength),
  };
}
