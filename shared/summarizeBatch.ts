/**
 * What one batch contributes to its session's aggregates, computed from its events: by the
 * server from a batch it inflated, or by the recorder, which sends it beside the compressed
 * events (shared/batchEnvelope.ts) so the server need not inflate them.
 */
import { EventType } from '@rrweb/types';
import { assetMapIn } from './capturedAssets';
import { ACTIVE_IDLE_MS, CUSTOM_EVENT } from './constants';
import { eventFact } from './eventFacts';
import { activitySpan, activitySpans, type Span } from './session';
import type { SignalCounts } from './signalKinds';
import type { WireEvent } from './wire';

/** Caps on what a batch may put into the searchable session columns; recordings stay whole. */
export const MAX_LABEL_CHARS = 256;
export const MAX_URL_CHARS = 2_048;
export const MAX_TRAITS_CHARS = 4_096;
/** A signal's click time is trusted this far from its event's (a dead click is recorded 7 s after it). */
const MAX_SIGNAL_DELAY_MS = 60_000;

export interface PageView {
  at: number;
  url: string;
}

export interface BatchSummary {
  firstTs: number;
  lastTs: number;
  eventCount: number;
  errorCount: number;
  /** Activity grouped into spans with gaps of at most ACTIVE_IDLE_MS. */
  spans: Span[];
  pageViews: PageView[];
  /** The last user id set by identify() in this batch, if any, and the traits it came with. */
  userId: string | null;
  userTraits: Record<string, unknown> | null;
  /** Distinct names passed to track() in this batch. */
  trackNames: string[];
  /** Frustration signals recorded in this batch. */
  signals: SignalCounts;
  /** Their click times (client clock), sorted: retroactive timeouts tell which session each falls in. */
  signalTimes: number[];
  /** The captured assets the batch's `$assets` events name: kept as long as the session. */
  assetHashes: string[];
}

/**
 * What each field of a summary is when the batch holds nothing it counts. An envelope head leaves
 * such fields out (most batches have no page view, user, track, signal or error: about 150 bytes
 * a request) and the server reads a missing one as this.
 */
export const SUMMARY_DEFAULTS = {
  errorCount: 0,
  spans: [],
  pageViews: [],
  userId: null,
  userTraits: null,
  trackNames: [],
  signals: { rage: 0, dead: 0, error: 0 },
  signalTimes: [],
  assetHashes: [],
} as const satisfies Partial<BatchSummary>;

/** `summary` without the fields that equal their default (SUMMARY_DEFAULTS). */
export function withoutDefaults(summary: BatchSummary): Partial<BatchSummary> {
  const defaults: Record<string, unknown> = SUMMARY_DEFAULTS;
  return Object.fromEntries(Object.entries(summary).filter(([key, value]) => !(key in defaults) || JSON.stringify(value) !== JSON.stringify(defaults[key])));
}

/** Summarises a batch's events; they need not be sorted. */
export function summarizeBatch(events: readonly WireEvent[]): BatchSummary {
  const activity: number[] = [];
  const pageViews: PageView[] = [];
  let errorCount = 0;
  let userId: string | null = null;
  let userTraits: Record<string, unknown> | null = null;
  const trackNames = new Set<string>();
  const signals: SignalCounts = { rage: 0, dead: 0, error: 0 };
  const signalTimes: number[] = [];
  const assetHashes = new Set<string>();
  let userIdAt = -Infinity;
  let firstTs = Infinity;
  let lastTs = -Infinity;
  for (const event of events) {
    firstTs = Math.min(firstTs, event.timestamp);
    lastTs = Math.max(lastTs, event.timestamp);
    const custom = event.type === EventType.Custom ? (event.data as { tag?: unknown; payload?: unknown } | undefined) : undefined;
    if (custom?.tag === CUSTOM_EVENT.assets) for (const hash of Object.values(assetMapIn(custom.payload) ?? {})) assetHashes.add(hash);
    const span = activitySpan(event);
    if (span) activity.push(...new Set(span));
    const fact = eventFact(event);
    if (fact?.kind === 'pageView') {
      pageViews.push({ at: event.timestamp, url: fact.url.slice(0, MAX_URL_CHARS) });
    } else if (fact?.kind === 'identify' && event.timestamp >= userIdAt) {
      userId = fact.userId?.slice(0, MAX_LABEL_CHARS) ?? null;
      userTraits = smallRecord(fact.traits);
      userIdAt = event.timestamp;
    } else if (fact?.kind === 'track' && fact.name !== null) {
      trackNames.add(fact.name.slice(0, MAX_LABEL_CHARS));
    } else if (fact?.kind === 'signal') {
      signals[fact.signal]++;
      // A dead click is known 7 s after it; it happened at its click.
      const at = fact.at;
      signalTimes.push(at !== null && Number.isSafeInteger(at) && Math.abs(at - event.timestamp) <= MAX_SIGNAL_DELAY_MS ? at : event.timestamp);
    } else if (fact?.kind === 'console' && fact.level === 'error') {
      errorCount++;
    }
  }
  activity.sort((a, b) => a - b);
  pageViews.sort((a, b) => a.at - b.at);
  signalTimes.sort((a, b) => a - b);
  return {
    firstTs,
    lastTs,
    eventCount: events.length,
    errorCount,
    spans: activitySpans(activity, ACTIVE_IDLE_MS),
    pageViews,
    userId,
    userTraits,
    trackNames: [...trackNames],
    signals,
    signalTimes,
    assetHashes: [...assetHashes],
  };
}

/** Traits worth keeping next to the session: a plain object of at most MAX_TRAITS_CHARS as JSON. */
function smallRecord(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return JSON.stringify(value).length <= MAX_TRAITS_CHARS ? (value as Record<string, unknown>) : null;
}
