/** Builds ingest batches the way the recorder does, and posts them. */
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { EventType, IncrementalSource } from '@rrweb/types';
import { DEFAULT_LIMITS } from '../../server/http/limits';
import { encodeEnvelope, openEnvelope, type EnvelopeHead } from '../../shared/batchEnvelope';
import { SESSION_TIMEOUT_MS } from '../../shared/constants';
import { decodeRelativeIds } from '../../shared/relativeIds';
import { summarizeBatch } from '../../shared/summarizeBatch';
import type { BatchRecord } from '../../server/storage/storage';
import type { Span } from '../../shared/session';
import type { IngestBatch, WireEvent } from '../../shared/wire';

export const T0 = Date.parse('2026-11-23T11:00:00Z');

export const metaEvent = (t: number, href = 'https://shop.test/'): WireEvent => ({
  type: EventType.Meta,
  timestamp: t,
  data: { href, width: 1280, height: 800 },
});
export const clickEvent = (t: number): WireEvent => ({
  type: EventType.IncrementalSnapshot,
  timestamp: t,
  data: { source: IncrementalSource.MouseInteraction, type: 2, id: 5, x: 10, y: 10 },
});
export const mutationEvent = (t: number): WireEvent => ({
  type: EventType.IncrementalSnapshot,
  timestamp: t,
  data: { source: IncrementalSource.Mutation, texts: [], attributes: [], removes: [], adds: [] },
});

/** A valid batch; `overrides` replace its fields. */
export function makeBatch(overrides: Partial<IngestBatch> = {}): IngestBatch {
  return {
    project: 'demo',
    sessionId: randomUUID(),
    windowId: randomUUID(),
    deviceId: randomUUID(),
    seq: 0,
    sentAt: Date.now(),
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    userAgent: 'test-agent',
    events: [metaEvent(T0), clickEvent(T0 + 1_000)],
    ...overrides,
  };
}

/** POSTs a body to /api/ingest; objects are sent as gzipped JSON like the snippet sends them. */
export function postIngest(
  serverUrl: string,
  body: IngestBatch | string | Buffer,
  headers: Record<string, string> = {},
): Promise<Response> {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : gzipSync(JSON.stringify(body));
  return fetch(`${serverUrl}/api/ingest`, {
    method: 'POST',
    body: payload as BodyInit,
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers },
  });
}

/** The batch as the envelope body the recorder sends: its summary beside its gzipped JSON. */
export function envelopeOf(batch: IngestBatch): Buffer {
  const { events, ...fields } = batch;
  return Buffer.from(encodeEnvelope({ ...fields, summary: summarizeBatch(events) }, gzipSync(JSON.stringify(batch))));
}

/** The gzip part of a recorder's request body: an envelope's, or the whole body. */
export function gzipOfBody(body: Buffer): Buffer {
  const envelope = openEnvelope(body, inflateRawSync);
  if (envelope === 'truncated') throw new Error('the envelope head runs past the end of the body');
  return envelope ? Buffer.from(envelope.gzipped) : body;
}

/**
 * The batch a recorder's request body carries, its relative ids made absolute
 * (shared/relativeIds.ts): an envelope's fields come from its head, its gzip holding the events only.
 */
export function batchOfBody(body: Buffer): IngestBatch {
  const inflated = JSON.parse(decodeRelativeIds(gunzipSync(gzipOfBody(body)).toString('utf8'), DEFAULT_LIMITS.maxInflatedBytes)) as IngestBatch;
  const envelope = openEnvelope(body, inflateRawSync);
  if (!envelope || envelope === 'truncated') return inflated;
  const { summary: _summary, ...fields } = JSON.parse(envelope.head) as EnvelopeHead;
  return { ...fields, ...inflated };
}

/** A gzipped recording with no events, for storage tests that only look at what a batch's summary folds in. */
export const EMPTY_RECORDING = gzipSync('{"events":[]}');

/**
 * A batch as storage receives it (`BatchRecord`), summarised as activity `spans` only: one event
 * per span, no pages, users or signals, its recording EMPTY_RECORDING.
 */
export function spansRecord(sessionId: string, windowId: string, seq: number, spans: Span[]): BatchRecord {
  return {
    project: 'demo',
    sessionId,
    windowId,
    deviceId: sessionId,
    seq,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    userAgent: null,
    receivedAt: T0,
    clockOffsetMs: 0,
    summary: {
      firstTs: spans[0][0],
      lastTs: spans[spans.length - 1][1],
      eventCount: spans.length,
      errorCount: 0,
      spans,
      pageViews: [],
      userId: null,
      userTraits: null,
      trackNames: [],
      signals: { rage: 0, dead: 0, error: 0 },
      signalTimes: [],
    },
    recording: { gzip: EMPTY_RECORDING },
    eventsRead: true,
    droppedBatches: 0,
  };
}
