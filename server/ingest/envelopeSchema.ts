/**
 * The schema of an envelope's head (shared/batchEnvelope.ts): the batch's fields as batchSchema
 * has them, and a summary bounded as summarizeBatch bounds what it computes, since the client
 * that computed it is not trusted (a worker later checks it against the events). A summary field
 * left out is at its default (SUMMARY_DEFAULTS): recorders leave those out, older ones sent them
 * all (and none of assetHashes before captured assets).
 */
import { z } from 'zod';
import { ASSET_HASH_PATTERN } from '../../shared/capturedAssets';
import { MAX_LABEL_CHARS, MAX_TRAITS_CHARS, MAX_URL_CHARS, SUMMARY_DEFAULTS } from '../../shared/summarizeBatch';
import { batchSchema, MAX_EVENTS_PER_BATCH } from './batchSchema';

const time = z.number().int().positive();
const count = z.number().int().min(0).max(MAX_EVENTS_PER_BATCH);

const summarySchema = z
  .strictObject({
    firstTs: time,
    lastTs: time,
    eventCount: count.min(1),
    errorCount: count.default(SUMMARY_DEFAULTS.errorCount),
    spans: z
      .array(z.tuple([time, time]).refine(([start, end]) => start <= end, 'a span ends before it starts'))
      .max(MAX_EVENTS_PER_BATCH)
      .default([]),
    pageViews: z
      .array(z.strictObject({ at: time, url: z.string().max(MAX_URL_CHARS) }))
      .max(MAX_EVENTS_PER_BATCH)
      .default([]),
    userId: z.string().max(MAX_LABEL_CHARS).nullable().default(SUMMARY_DEFAULTS.userId),
    userTraits: z
      .record(z.string(), z.unknown())
      .nullable()
      .refine((traits) => traits === null || JSON.stringify(traits).length <= MAX_TRAITS_CHARS, `traits over ${MAX_TRAITS_CHARS} characters`)
      .default(SUMMARY_DEFAULTS.userTraits),
    trackNames: z.array(z.string().max(MAX_LABEL_CHARS)).max(MAX_EVENTS_PER_BATCH).default([]),
    signals: z.strictObject({ rage: count, dead: count, error: count }).default(SUMMARY_DEFAULTS.signals),
    signalTimes: z.array(time).max(MAX_EVENTS_PER_BATCH).default([]),
    assetHashes: z.array(z.string().regex(ASSET_HASH_PATTERN)).max(MAX_EVENTS_PER_BATCH).default([]),
  })
  .refine((summary) => summary.firstTs <= summary.lastTs, 'lastTs is before firstTs');

export const envelopeHeadSchema = batchSchema.omit({ events: true }).extend({ summary: summarySchema });
