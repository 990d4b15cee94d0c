/**
 * Frustration signals (product §8): rage clicks (as PostHog), dead clicks (as Sentry) and
 * error clicks (as Datadog). Pure rules: the recorder feeds them what the page did and when;
 * time is always a parameter. Targets are opaque (DOM elements in the page, strings in tests).
 */
import type { SignalKind } from './signalKinds';

export { isSignalKind, SIGNAL_KINDS, type SignalCounts, type SignalKind } from './signalKinds';

/** Clicks that make a rage click, within RAGE_WINDOW_MS and RAGE_RADIUS_PX. */
export const RAGE_CLICKS = 3;
export const RAGE_WINDOW_MS = 1_000;
export const RAGE_RADIUS_PX = 30;
/** A click on an interactive element with no DOM change, navigation or scroll for this long is dead. */
export const DEAD_CLICK_MS = 7_000;
/** An uncaught error or unhandled rejection this soon after a click makes it an error click. */
export const ERROR_CLICK_MS = 1_000;

export interface Click<T> {
  at: number;
  x: number;
  y: number;
  target: T;
  /** Whether it may be dead: an interactive element, not opening a tab, downloading or focusing a field. */
  deadCandidate: boolean;
}

/** A detected signal: the click it is about (for a rage click, the first of its fast clicks). */
export interface Signal<T> {
  kind: SignalKind;
  click: Click<T>;
}

export interface SignalTracker<T> {
  /** A click at `click.at`; returns a rage signal when it completes a burst. */
  click(click: Click<T>): Signal<T>[];
  /** The DOM changed, the page navigated or scrolled at `at`: earlier clicks are not dead. */
  change(at: number): void;
  /** An uncaught error or unhandled rejection at `at`: the latest click before it, if recent. */
  error(at: number): Signal<T>[];
  /** The dead clicks whose DEAD_CLICK_MS have passed by `now`. */
  tick(now: number): Signal<T>[];
}

/**
 * Tracks clicks against what followed them. A burst is a run of clicks, each within
 * RAGE_WINDOW_MS of the previous and RAGE_RADIUS_PX of the first; it is one rage click as soon
 * as RAGE_CLICKS of them fall within RAGE_WINDOW_MS. A click at the same ms and spot as the
 * previous one is that click forwarded (a label clicks its control): it joins no burst. A dead
 * element clicked again while its first click waits is one dead click; a click that is an
 * error click is not also dead.
 */
export function createSignalTracker<T>(): SignalTracker<T> {
  // A burst's first click (the centre of its radius) and its last RAGE_CLICKS clicks: a bot
  // clicking one spot for hours keeps no more than that.
  let burstStart: Click<T> | null = null;
  let burst: Click<T>[] = [];
  let burstSignalled = false;
  let pending: Click<T>[] = [];
  let lastClick: Click<T> | null = null;
  let lastErrorClick: Click<T> | null = null;

  return {
    click(click) {
      const previous = burst[burst.length - 1];
      const forwarded = previous !== undefined && previous.at === click.at && previous.x === click.x && previous.y === click.y;
      lastClick = click;
      if (click.deadCandidate && !pending.some((p) => p.target === click.target)) pending.push(click);
      if (forwarded) return [];
      const continues =
        previous !== undefined &&
        burstStart !== null &&
        click.at - previous.at <= RAGE_WINDOW_MS &&
        Math.hypot(click.x - burstStart.x, click.y - burstStart.y) <= RAGE_RADIUS_PX;
      if (continues) burst = [...burst.slice(1 - RAGE_CLICKS), click];
      else {
        burstStart = click;
        burst = [click];
        burstSignalled = false;
      }
      const recent = burst.length === RAGE_CLICKS ? burst[0] : undefined;
      if (burstSignalled || !recent || click.at - recent.at > RAGE_WINDOW_MS) return [];
      burstSignalled = true;
      return [{ kind: 'rage', click: recent }];
    },
    change(at) {
      pending = pending.filter((p) => p.at > at);
    },
    error(at) {
      const click = lastClick;
      if (!click || click === lastErrorClick || at < click.at || at - click.at > ERROR_CLICK_MS) return [];
      lastErrorClick = click;
      pending = pending.filter((p) => p !== click);
      return [{ kind: 'error', click }];
    },
    tick(now) {
      const due = pending.filter((p) => now - p.at >= DEAD_CLICK_MS);
      pending = pending.filter((p) => now - p.at < DEAD_CLICK_MS);
      return due.map((click) => ({ kind: 'dead', click }));
    },
  };
}

/** The payload of a `$signal` custom event, as the recorder records it. */
export interface SignalPayload {
  kind: SignalKind;
  /** When the click happened (the event itself is recorded when the signal is known). */
  at: number;
  selector: string;
  /** The element's visible text, masked as recorded text is. */
  label: string;
  /** The error's message, only when console capture is on. */
  message?: string;
}

/**
 * The signal times worth keeping for re-sessionising, from sorted `times`: each more than
 * `idleGapMs` after the last kept. A dropped time lies within `idleGapMs` of a kept one, and a
 * click is activity, so no idle gap (the only place a session is ever split) parts them: which
 * sessions hold a signal stays the same, while a session keeps at most one time a minute.
 */
export function keptSignalTimes(times: readonly number[], idleGapMs: number): number[] {
  const kept: number[] = [];
  for (const time of times) if (kept.length === 0 || time - kept[kept.length - 1] > idleGapMs) kept.push(time);
  return kept;
}
