/**
 * The envelope head as the recorder sends it, checked without zod: zod's checks and the objects
 * they build were a tenth of the main thread's work per envelope. It accepts only heads that
 * envelopeHeadSchema accepts (no unknown keys, no user traits to measure), filled in as zod fills
 * them (a left-out summary field is at its default), with the same bounds, named by the same
 * constants; anything else goes to zod, which decides and words the error
 * (test/unit/plainEnvelopeHead.test.ts holds the two side by side, at every bound).
 */
import type { z } from 'zod';
import { ASSET_HASH_PATTERN } from '../../shared/capturedAssets';
import { MAX_SESSION_MS } from '../../shared/constants';
import { MAX_LABEL_CHARS, MAX_URL_CHARS, SUMMARY_DEFAULTS } from '../../shared/summarizeBatch';
import { UUID_PATTERN } from '../../shared/uuid';
import {
  DEVICE_ID_PATTERN,
  MAX_EVENTS_PER_BATCH,
  MAX_PROJECT_CHARS,
  MAX_USER_AGENT_CHARS,
  MIN_SESSION_TIMEOUT_MS,
} from './batchSchema';
import type { envelopeHeadSchema } from './envelopeSchema';

type EnvelopeHead = z.infer<typeof envelopeHeadSchema>;

const HEAD_KEYS = new Set(['project', 'sessionId', 'windowId', 'deviceId', 'seq', 'sentAt', 'sessionTimeoutMs', 'userAgent', 'droppedBatches', 'summary']);
/** The summary's fields; all but the first three may be left out, meaning their default (SUMMARY_DEFAULTS). */
const SUMMARY_KEYS = new Set(['firstTs', 'lastTs', 'eventCount', ...Object.keys(SUMMARY_DEFAULTS)]);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isInt = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
const isTime = (value: unknown): value is number => isInt(value, 1, Number.MAX_SAFE_INTEGER);
const isCount = (value: unknown, min = 0): boolean => isInt(value, min, MAX_EVENTS_PER_BATCH);
const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;
const isList = (value: unknown, each: (item: unknown) => boolean): boolean =>
  Array.isArray(value) && value.length <= MAX_EVENTS_PER_BATCH && value.every(each);
const hasExactly = (value: Record<string, unknown>, keys: readonly string[]): boolean =>
  Object.keys(value).length === keys.length && keys.every((key) => Object.hasOwn(value, key));

const isSpan = (span: unknown): boolean => Array.isArray(span) && span.length === 2 && isTime(span[0]) && isTime(span[1]) && span[0] <= span[1];
const isPageView = (view: unknown): boolean => isRecord(view) && hasExactly(view, ['at', 'url']) && isTime(view.at) && isText(view.url, MAX_URL_CHARS);

/** `summary` with its left-out fields at their default, when it is plain; null otherwise. */
function plainSummary(summary: unknown): EnvelopeHead['summary'] | null {
  if (!isRecord(summary)) return null;
  for (const key in summary) if (!SUMMARY_KEYS.has(key)) return null;
  // Defaults built anew: the stored summary must not share arrays between requests.
  const {
    firstTs,
    lastTs,
    eventCount,
    errorCount = 0,
    spans = [],
    pageViews = [],
    userId = null,
    userTraits = null,
    trackNames = [],
    signals = { rage: 0, dead: 0, error: 0 },
    signalTimes = [],
    assetHashes = [],
  } = summary;
  const plain =
    isTime(firstTs) &&
    isTime(lastTs) &&
    firstTs <= lastTs &&
    isCount(eventCount, 1) &&
    isCount(errorCount) &&
    isList(spans, isSpan) &&
    isList(pageViews, isPageView) &&
    (userId === null || isText(userId, MAX_LABEL_CHARS)) &&
    userTraits === null &&
    isList(trackNames, (name) => isText(name, MAX_LABEL_CHARS)) &&
    isRecord(signals) &&
    hasExactly(signals, ['rage', 'dead', 'error']) &&
    isCount(signals.rage) &&
    isCount(signals.dead) &&
    isCount(signals.error) &&
    isList(signalTimes, isTime) &&
    isList(assetHashes, (hash) => typeof hash === 'string' && ASSET_HASH_PATTERN.test(hash));
  return plain
    ? ({ firstTs, lastTs, eventCount, errorCount, spans, pageViews, userId, userTraits, trackNames, signals, signalTimes, assetHashes } as EnvelopeHead['summary'])
    : null;
}

/** `value` as an envelope head when it is one in the plain form above; null to leave it to envelopeHeadSchema. */
export function plainEnvelopeHead(value: unknown): EnvelopeHead | null {
  if (!isRecord(value)) return null;
  for (const key in value) if (!HEAD_KEYS.has(key)) return null;
  const { project, sessionId, windowId, deviceId, seq, sentAt, sessionTimeoutMs, userAgent, droppedBatches, summary } = value;
  const plain =
    typeof project === 'string' &&
    project.length >= 1 &&
    project.length <= MAX_PROJECT_CHARS &&
    typeof sessionId === 'string' &&
    UUID_PATTERN.test(sessionId) &&
    typeof windowId === 'string' &&
    UUID_PATTERN.test(windowId) &&
    typeof deviceId === 'string' &&
    DEVICE_ID_PATTERN.test(deviceId) &&
    isInt(seq, 0, Number.MAX_SAFE_INTEGER) &&
    isTime(sentAt) &&
    isInt(sessionTimeoutMs, MIN_SESSION_TIMEOUT_MS, MAX_SESSION_MS) &&
    (userAgent === undefined || isText(userAgent, MAX_USER_AGENT_CHARS)) &&
    (droppedBatches === undefined || isInt(droppedBatches, 0, Number.MAX_SAFE_INTEGER));
  const filled = plain ? plainSummary(summary) : null;
  return filled ? ({ ...value, summary: filled } as EnvelopeHead) : null;
}
