/**
 * Session rules (product contract §2), pure: time and id generation come in as parameters,
 * so the recorder, the server and the unit tests apply exactly the same rules.
 */
import { EventType, IncrementalSource } from '@rrweb/types';
import { CUSTOM_EVENT } from './constants';
import type { WireEvent } from './wire';

/** When sessions end: after `timeoutMs` idle, or `maxSessionMs` after they started. */
export interface SessionRules {
  timeoutMs: number;
  maxSessionMs: number;
}

/** A session as the rules track it. */
export interface SessionState {
  id: string;
  /** Time of the session's first activity. */
  startedAt: number;
  /** Time of its latest activity. */
  lastActivityAt: number;
}

/** A [first, last] pair of activity times. */
export type Span = [number, number];

const ACTIVITY_SOURCES: ReadonlySet<number> = new Set([
  IncrementalSource.MouseMove,
  IncrementalSource.MouseInteraction,
  IncrementalSource.Scroll,
  IncrementalSource.ViewportResize,
  IncrementalSource.Input,
  IncrementalSource.TouchMove,
  IncrementalSource.Drag,
  IncrementalSource.Selection,
]);

const ACTIVITY_TAGS: ReadonlySet<string> = new Set([CUSTOM_EVENT.pageview, CUSTOM_EVENT.activity]);

/**
 * Whether an event is user activity: a page view or an interaction. DOM mutations, console
 * and network entries are recorded but are not activity, so a ticking clock cannot keep a
 * session alive.
 */
export function isActivity(event: WireEvent): boolean {
  const data = event.data as { source?: number; tag?: string; userTriggered?: boolean } | undefined;
  switch (event.type) {
    case EventType.Meta:
      return true;
    case EventType.Custom:
      return ACTIVITY_TAGS.has(data?.tag ?? '');
    case EventType.IncrementalSnapshot:
      // A value set by script is recorded with userTriggered: false; only typing is activity.
      if (data?.source === IncrementalSource.Input) return data.userTriggered !== false;
      return ACTIVITY_SOURCES.has(data?.source ?? -1);
    default:
      return false;
  }
}

const POSITION_SOURCES: ReadonlySet<number> = new Set([
  IncrementalSource.MouseMove,
  IncrementalSource.TouchMove,
  IncrementalSource.Drag,
]);

/**
 * When an activity event's activity happened, as [first, last]. rrweb flushes pointer moves
 * up to 500 ms after they happen and stamps each position with a (negative) offset from the
 * flush, so those events span their positions' real times; every other event is a moment.
 */
export function activitySpan(event: WireEvent): Span | null {
  if (!isActivity(event)) return null;
  const data = event.data as { source?: number; positions?: { timeOffset?: unknown }[] } | undefined;
  if (event.type === EventType.IncrementalSnapshot && POSITION_SOURCES.has(data?.source ?? -1)) {
    const offsets = (data?.positions ?? [])
      .map((p) => p.timeOffset)
      .filter((o): o is number => typeof o === 'number' && o <= 0);
    if (offsets.length > 0) return [event.timestamp + Math.min(...offsets), event.timestamp + Math.max(...offsets)];
  }
  return [event.timestamp, event.timestamp];
}

/** Whether a session can take no more activity at `now`: idle too long, or too long overall. */
export function isExpired(state: SessionState, now: number, rules: SessionRules): boolean {
  return now - state.lastActivityAt > rules.timeoutMs || now - state.startedAt >= rules.maxSessionMs;
}

/** Applies one activity at `now`: extends the session, or starts a new one when it expired. */
export function applyActivity(
  state: SessionState | null,
  now: number,
  rules: SessionRules,
  newId: () => string,
): { state: SessionState; started: boolean } {
  if (state === null || isExpired(state, now, rules)) {
    return { state: { id: newId(), startedAt: now, lastActivityAt: now }, started: true };
  }
  return { state: { ...state, lastActivityAt: Math.max(state.lastActivityAt, now) }, started: false };
}

/** Length = last activity − first activity; the idle tail is not counted. */
function sessionLength(state: Pick<SessionState, 'startedAt' | 'lastActivityAt'>): number {
  return Math.max(0, state.lastActivityAt - state.startedAt);
}

/** Groups sorted activity times into spans whose inner gaps are at most `idleMs`. */
export function activitySpans(times: readonly number[], idleMs: number): Span[] {
  const spans: Span[] = [];
  for (const t of times) {
    const last = spans[spans.length - 1];
    if (last && t - last[1] <= idleMs) last[1] = Math.max(last[1], t);
    else spans.push([t, t]);
  }
  return spans;
}

/** Merges spans in any order (batches from several windows) into sorted disjoint ones. */
export function mergeSpans(spans: readonly Span[], idleMs: number): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start - last[1] <= idleMs) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Active time: the sum of gaps between consecutive activities no longer than the idle threshold. */
export function activeTime(mergedSpans: readonly Span[]): number {
  return mergedSpans.reduce((sum, [start, end]) => sum + (end - start), 0);
}

/** The gaps longer than `gapMs` between consecutive merged spans (see mergeSpans). */
export function idleGaps(mergedSpans: readonly Span[], gapMs: number): Span[] {
  const gaps: Span[] = [];
  for (let i = 1; i < mergedSpans.length; i++) {
    const from = mergedSpans[i - 1][1];
    const to = mergedSpans[i][0];
    if (to - from > gapMs) gaps.push([from, to]);
  }
  return gaps;
}

/** A stored session as re-sessionising sees it: its activity on the client's clock. */
export interface RecordedSession {
  /** Sessions merge only with sessions of the same key (one project's device). */
  key: string;
  firstActivityAt: number;
  lastActivityAt: number;
  /** Its idle gaps longer than IDLE_GAP_MS, sorted. */
  idleGaps: readonly Span[];
  /** Client → server clock offset of the stored session. */
  clockOffsetMs: number;
  /** Times of its frustration signals' clicks, sorted. */
  signalTimes: readonly number[];
}

/** A session as it would have been under other rules. */
export interface Resessionized {
  startedAt: number;
  lastActivityAt: number;
  lengthMs: number;
  /** Offset of the stored session it starts in, to place it on the server's clock. */
  clockOffsetMs: number;
  /** Whether a frustration signal fell in it. */
  frustrated: boolean;
}

/**
 * Re-splits stored sessions as if they had been recorded under `rules` (Amplitude's custom
 * session definitions, applied retroactively). A shorter timeout splits sessions at their
 * idle gaps; a longer one merges consecutive sessions of the same key. Activity between two
 * kept idle gaps is never split, so timeouts must be at least IDLE_GAP_MS.
 *
 * `sessions` must come grouped by key and, within a key, by first activity: the database
 * reads them in that order from an index, so a million sessions stream through without sorting.
 */
export function resessionize(sessions: Iterable<RecordedSession>, rules: SessionRules): Resessionized[] {
  const result: Resessionized[] = [];
  let key: string | null = null;
  // The session being built, mutated in place: this runs once per stored session, a million times.
  let state: SessionState = { id: '', startedAt: 0, lastActivityAt: 0 };
  let current: Resessionized | null = null;
  const apply = (from: number, to: number, offset: number, frustrated: boolean) => {
    if (!current || isExpired(state, from, rules)) {
      state = { id: '', startedAt: from, lastActivityAt: from };
      current = { startedAt: from, lastActivityAt: from, lengthMs: 0, clockOffsetMs: offset, frustrated: false };
      result.push(current);
    }
    state.lastActivityAt = Math.max(state.lastActivityAt, to);
    current.lastActivityAt = state.lastActivityAt;
    current.lengthMs = sessionLength(state);
    if (frustrated) current.frustrated = true;
  };
  for (const session of sessions) {
    if (session.key !== key) {
      key = session.key;
      current = null;
    }
    // The session's stretches of activity: what is left between its idle gaps. A signal
    // belongs to the stretch it follows (a click is activity, so it falls inside one): the
    // stretch before the gap that ends after it.
    const times = session.signalTimes;
    let signal = 0;
    let start = session.firstActivityAt;
    for (const [from, to] of session.idleGaps) {
      const first = signal;
      while (signal < times.length && times[signal] < to) signal++;
      apply(start, from, session.clockOffsetMs, signal > first);
      start = to;
    }
    apply(start, session.lastActivityAt, session.clockOffsetMs, signal < times.length);
  }
  return result;
}
