/**
 * What happened in one window's recording, as offsets from its first event (the replayer's
 * clock): console entries, requests, page views, custom events, inactive stretches and the
 * marks the timeline draws. Pure, so the replay page and the unit tests read events alike.
 */
import { ACTIVE_IDLE_MS } from '../../../shared/constants';
import { consoleText, eventFact, type NetworkRequest } from '../../../shared/eventFacts';
import { activitySpan, activitySpans, type Span } from '../../../shared/session';
import type { SignalKind } from '../../../shared/signals';
import type { WireEvent } from '../../../shared/wire';
import { describeSignal, readSignal, type SignalEntry } from './signalEntries';

/** A console line on the replay clock. */
export interface ConsoleEntry {
  at: number;
  level: string;
  text: string;
  trace: string[];
}

/** A request, when its batch was flushed. */
export interface NetworkEntry extends NetworkRequest {
  at: number;
}

/** A page the window showed, from `at` on. */
export interface PageEntry {
  at: number;
  url: string;
}

type MarkKind = 'page' | 'error' | 'custom' | 'signal';

/** A tick on the timeline under the replay. */
export interface TimelineMark {
  at: number;
  kind: MarkKind;
  label: string;
  /** Which frustration signal, for kind 'signal'. */
  signal?: SignalKind;
}

/** One window's recording, read for the replay page. */
export interface WindowTimeline {
  /** Timestamp of the window's first event: offset 0. */
  startTs: number;
  durationMs: number;
  console: ConsoleEntry[];
  network: NetworkEntry[];
  pages: PageEntry[];
  /** Stretches longer than ACTIVE_IDLE_MS without activity, as [from, to] offsets. */
  inactive: Span[];
  /** Where each burst of activity starts: the stops of shift+←/→. */
  activityStarts: number[];
  /** Rage, dead and error clicks, at their clicks. */
  signals: SignalEntry[];
  marks: TimelineMark[];
}

const byTime = <T extends { at: number }>(a: T, b: T): number => a.at - b.at;

/** Reads one window's events (in any order). */
export function describeWindow(events: readonly WireEvent[]): WindowTimeline {
  let startTs = Infinity;
  let endTs = -Infinity;
  for (const event of events) {
    startTs = Math.min(startTs, event.timestamp);
    endTs = Math.max(endTs, event.timestamp);
  }
  if (events.length === 0) startTs = endTs = 0;

  const consoleEntries: ConsoleEntry[] = [];
  const network: NetworkEntry[] = [];
  const pages: PageEntry[] = [];
  const custom: TimelineMark[] = [];
  const signals: SignalEntry[] = [];
  const activity: number[] = [];
  for (const event of events) {
    const at = event.timestamp - startTs;
    const span = activitySpan(event);
    if (span) activity.push(Math.max(span[0], startTs) - startTs, span[1] - startTs);
    const fact = eventFact(event);
    switch (fact?.kind) {
      case 'pageView':
        pages.push({ at, url: fact.url });
        break;
      case 'track':
        custom.push({ at, kind: 'custom', label: `track: ${fact.name ?? ''}` });
        break;
      case 'identify':
        custom.push({ at, kind: 'custom', label: `identify: ${fact.userId ?? ''}` });
        break;
      case 'signal':
        signals.push(readSignal(fact, startTs, at));
        break;
      case 'console':
        consoleEntries.push({ at, level: fact.level, text: consoleText(fact.args), trace: fact.trace });
        break;
      case 'network':
        for (const request of fact.requests) network.push({ at, ...request });
        break;
    }
  }

  consoleEntries.sort(byTime);
  network.sort(byTime);
  pages.sort(byTime);
  signals.sort(byTime);
  activity.sort((a, b) => a - b);
  const durationMs = endTs - startTs;
  const spans = activitySpans(activity, ACTIVE_IDLE_MS);
  const inactive = inactiveStretches(spans, durationMs);
  const marks: TimelineMark[] = [
    // The first page is where the recording starts, not a change.
    ...pages.slice(1).map((p): TimelineMark => ({ at: p.at, kind: 'page', label: `page: ${p.url}` })),
    ...consoleEntries
      .filter((c) => c.level === 'error')
      .map((c): TimelineMark => ({ at: c.at, kind: 'error', label: `error: ${c.text}` })),
    ...custom,
    ...signals.map((s): TimelineMark => ({ at: s.at, kind: 'signal', signal: s.kind, label: describeSignal(s) })),
  ].sort(byTime);
  return {
    startTs,
    durationMs,
    console: consoleEntries,
    network,
    pages,
    inactive,
    activityStarts: spans.map(([from]) => from),
    signals,
    marks,
  };
}

/** Gaps between activity spans, and an idle head or tail, longer than ACTIVE_IDLE_MS. */
export function inactiveStretches(spans: readonly Span[], durationMs: number): Span[] {
  const stretches: Span[] = [];
  let cursor = 0;
  for (const [from, to] of spans) {
    if (from - cursor > ACTIVE_IDLE_MS) stretches.push([cursor, from]);
    cursor = Math.max(cursor, to);
  }
  if (durationMs - cursor > ACTIVE_IDLE_MS) stretches.push([cursor, durationMs]);
  return stretches;
}

/** How many of the time-ordered `entries` are at or before `ms`. */
export function countUpTo(entries: readonly { at: number }[], ms: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (entries[mid].at <= ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Pressing shift+← twice should go back two bursts, so the current one is skipped within this. */
const PREVIOUS_GRACE_MS = 1_000;

/** The next burst of activity after `ms`, or null when none is left. */
export function nextActivity(starts: readonly number[], ms: number): number | null {
  return starts.find((start) => start > ms + 1) ?? null;
}

/** The burst of activity before the one playing at `ms`, or the start. */
export function previousActivity(starts: readonly number[], ms: number): number {
  const earlier = starts.filter((start) => start < ms - PREVIOUS_GRACE_MS);
  return earlier.length > 0 ? earlier[earlier.length - 1] : 0;
}
