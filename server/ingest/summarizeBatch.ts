/** What one batch contributes to its session's aggregates, computed from its events. */
import { EventType } from '@rrweb/types';
import { ACTIVE_IDLE_MS, CONSOLE_PLUGIN, CUSTOM_EVENT } from '../../shared/constants';
import { activitySpan, activitySpans, type Span } from '../../shared/session';
import type { WireEvent } from '../../shared/wire';

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
  /** The last user id set by identify() in this batch, if any. */
  userId: string | null;
}

interface EventData {
  href?: unknown;
  tag?: unknown;
  plugin?: unknown;
  payload?: { href?: unknown; level?: unknown; userId?: unknown };
}

/** Summarises a batch's events; they need not be sorted. */
export function summarizeBatch(events: readonly WireEvent[]): BatchSummary {
  const activity: number[] = [];
  const pageViews: PageView[] = [];
  let errorCount = 0;
  let userId: string | null = null;
  let userIdAt = -Infinity;
  let firstTs = Infinity;
  let lastTs = -Infinity;
  for (const event of events) {
    firstTs = Math.min(firstTs, event.timestamp);
    lastTs = Math.max(lastTs, event.timestamp);
    const span = activitySpan(event);
    if (span) activity.push(...new Set(span));
    const data = (event.data ?? {}) as EventData;
    if (event.type === EventType.Meta && typeof data.href === 'string') {
      pageViews.push({ at: event.timestamp, url: data.href });
    } else if (event.type === EventType.Custom) {
      if (data.tag === CUSTOM_EVENT.pageview && typeof data.payload?.href === 'string') {
        pageViews.push({ at: event.timestamp, url: data.payload.href });
      } else if (data.tag === CUSTOM_EVENT.identify && event.timestamp >= userIdAt) {
        userId = typeof data.payload?.userId === 'string' ? data.payload.userId : null;
        userIdAt = event.timestamp;
      }
    } else if (event.type === EventType.Plugin && data.plugin === CONSOLE_PLUGIN && data.payload?.level === 'error') {
      errorCount++;
    }
  }
  activity.sort((a, b) => a - b);
  pageViews.sort((a, b) => a.at - b.at);
  return {
    firstTs,
    lastTs,
    eventCount: events.length,
    errorCount,
    spans: activitySpans(activity, ACTIVE_IDLE_MS),
    pageViews,
    userId,
  };
}
