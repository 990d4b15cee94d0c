/**
 * The ingest body that spares the server inflating and parsing the events: a magic, the length
 * of a small head, the head (JSON of the batch's fields and its summary, see summarizeBatch.ts,
 * less the summary fields at their default; or raw deflate of that JSON), then gzip of
 * `{"events":[…]}` (the fields are in the head only), which the server stores as it came. One
 * plain POST body, so it travels with fetch keepalive and sendBeacon (text/plain, no custom
 * header, no preflight).
 */
import { withoutDefaults, type BatchSummary } from './summarizeBatch';
import type { IngestBatch } from './wire';

/** First bytes of an envelope whose head is JSON text: neither JSON nor gzip starts so. */
const MAGIC = [0x52, 0x50, 0x45, 0x31]; // "RPE1"
/**
 * First bytes of an envelope whose head is raw deflate (RFC 1951) of that JSON: a request's
 * head is mostly ids and times, which deflate to about 60 % (some 130 bytes a request).
 */
const DEFLATED_MAGIC = [0x52, 0x50, 0x45, 0x32]; // "RPE2"
/** Magic, then the head's length as 4 bytes big-endian. */
const PREFIX_BYTES = MAGIC.length + 4;

/** The envelope's head: the batch but its events, and what they contribute to the session. */
export interface EnvelopeHead extends Omit<IngestBatch, 'events'> {
  summary: BatchSummary;
}

/** The head's JSON as it travels: its summary without default fields. */
export function envelopeHeadBytes(head: EnvelopeHead): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify({ ...head, summary: withoutDefaults(head.summary) }));
}

/** The body: `headBytes` (JSON, or raw deflate of it when `deflated`) and `gzipped`, `{"events":[…]}` compressed. */
export function frameEnvelope(headBytes: Uint8Array, gzipped: Uint8Array, deflated: boolean): Uint8Array {
  const body = new Uint8Array(PREFIX_BYTES + headBytes.length + gzipped.length);
  body.set(deflated ? DEFLATED_MAGIC : MAGIC);
  new DataView(body.buffer).setUint32(MAGIC.length, headBytes.length);
  body.set(headBytes, PREFIX_BYTES);
  body.set(gzipped, PREFIX_BYTES + headBytes.length);
  return body;
}

/** The body with its head as JSON text: what can be made at once. */
export function encodeEnvelope(head: EnvelopeHead, gzipped: Uint8Array): Uint8Array {
  return frameEnvelope(envelopeHeadBytes(head), gzipped, false);
}

const startsWith = (body: Uint8Array, magic: readonly number[]) => magic.every((byte, i) => body[i] === byte);

/**
 * The head's text and the compressed batch of an envelope, a deflated head inflated by
 * `inflateRaw` (which may throw, e.g. past a size limit); null when `body` is not an envelope (a
 * JSON or gzip batch), or 'truncated' when its head runs past its end.
 */
export function openEnvelope(
  body: Uint8Array,
  inflateRaw: (deflated: Uint8Array) => Uint8Array,
): { head: string; gzipped: Uint8Array } | null | 'truncated' {
  const deflated = startsWith(body, DEFLATED_MAGIC);
  if (body.length < PREFIX_BYTES || (!deflated && !startsWith(body, MAGIC))) return null;
  const headLength = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(MAGIC.length);
  if (PREFIX_BYTES + headLength > body.length) return 'truncated';
  const head = body.subarray(PREFIX_BYTES, PREFIX_BYTES + headLength);
  return {
    head: new TextDecoder().decode(deflated ? inflateRaw(head) : head),
    gzipped: body.subarray(PREFIX_BYTES + headLength),
  };
}
