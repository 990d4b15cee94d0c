/**
 * An ingest body read into what storage folds in: an envelope's head validated and its events
 * kept compressed, unread (shared/batchEnvelope.ts), or a JSON batch (plain or gzip, as older
 * snippets send) parsed (its relative ids made absolute, shared/relativeIds.ts), validated and
 * summarised here. Anything malformed is a 400 naming it.
 */
import { inflateRawSync } from 'node:zlib';
import type { z } from 'zod';
import { openEnvelope } from '../../shared/batchEnvelope';
import { decodeRelativeIds } from '../../shared/relativeIds';
import { summarizeBatch, type BatchSummary } from '../../shared/summarizeBatch';
import type { IngestBatch } from '../../shared/wire';
import { HttpError } from '../http/errors';
import type { BodyLimits } from '../http/limits';
import type { RawBody } from '../http/readBody';
import { batchSchema, describeIssue } from './batchSchema';
import { envelopeHeadSchema } from './envelopeSchema';
import { plainEnvelopeHead } from './plainEnvelopeHead';

/** A batch accepted for storage. */
export interface AcceptedBatch {
  fields: Omit<IngestBatch, 'events'>;
  summary: BatchSummary;
  /** The batch JSON as stored: gzip as it came, or the JSON text for storage to compress. */
  recording: { gzip: Buffer } | { json: Buffer };
  /** Whether the summary was computed here from the events, rather than sent by the client. */
  eventsRead: boolean;
}

/**
 * Reads `body` as an envelope or a JSON batch, whose decoded text may reach `maxInflatedBytes`;
 * a deflated envelope head may inflate to `maxBodyBytes`, what a plain one may weigh.
 */
export function acceptBatch(body: RawBody, { maxBodyBytes, maxInflatedBytes }: BodyLimits): AcceptedBatch {
  const envelope = openEnvelope(body.raw, (deflated) => inflatedHead(deflated, maxBodyBytes));
  if (envelope === 'truncated') throw new HttpError(400, 'invalid_batch', 'body: the envelope head runs past the end of the body');
  if (envelope) {
    const head = parseJson(envelope.head);
    const { summary, ...fields } = plainEnvelopeHead(head) ?? validated(envelopeHeadSchema, head);
    const gzip = Buffer.from(envelope.gzipped.buffer, envelope.gzipped.byteOffset, envelope.gzipped.byteLength);
    if (gzip[0] !== 0x1f || gzip[1] !== 0x8b) throw new HttpError(400, 'bad_gzip', 'the events after the envelope head are not gzip');
    return { fields, summary, recording: { gzip }, eventsRead: false };
  }
  const { events, ...fields } = validated(batchSchema, parseJson(decodedText(body.json.toString('utf8'), maxInflatedBytes)));
  return { fields, summary: summarizeBatch(events), recording: body.gzipped ? { gzip: body.raw } : { json: body.json }, eventsRead: true };
}

function inflatedHead(deflated: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return inflateRawSync(deflated, { maxOutputLength: maxBytes });
  } catch {
    throw new HttpError(400, 'invalid_batch', `body: the envelope head is not raw deflate of at most ${maxBytes} bytes`);
  }
}

function decodedText(text: string, maxInflatedBytes: number): string {
  try {
    return decodeRelativeIds(text, maxInflatedBytes);
  } catch (error) {
    throw new HttpError(400, 'invalid_batch', `body: ${(error as Error).message}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'malformed_json', 'body is not valid JSON');
  }
}

function validated<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'invalid_batch', describeIssue(parsed.error));
  return parsed.data;
}
