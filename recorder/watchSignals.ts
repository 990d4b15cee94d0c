/**
 * Feeds the page's clicks and uncaught errors, and the changes rrweb records, to the
 * frustration rules (shared/signals.ts), and reports each signal found. Started at the first
 * click (see startSignals.ts).
 */
import { createSignalTracker, DEAD_CLICK_MS, type Signal, type SignalPayload } from '../shared/signals';
import { describeTarget } from './describeTarget';
import type { RecorderOptions } from './options';

/**
 * What may be dead when clicked (product §8). Selects and text areas are left out: a click
 * opens their picker or focuses them for typing, never a dead click.
 */
const INTERACTIVE = 'a[href],button,input,summary,[role=button],[role=link],[role=tab],[role=menuitem],[role=checkbox],[onclick]';
/** Inputs a click presses rather than focuses for typing. */
const PRESSED = /^(button|submit|reset|image|checkbox|radio)$/;

/** The interactive element a click may be dead on, or null when it may not be (product §8). */
function deadCandidate(event: MouseEvent, target: Element): Element | null {
  // A script's click handler cannot be seen from here; the pointer cursor a page gives what
  // it made clickable is the cheap tell (an inherited style, so read once, on the target).
  const element = target.closest(INTERACTIVE) ?? (getComputedStyle(target).cursor === 'pointer' ? target : null);
  // Modified or non-primary clicks open a new tab or window; so do links with a target.
  const opens = event.button || event.ctrlKey || event.metaKey || event.shiftKey;
  const link = element instanceof HTMLAnchorElement && (element.hasAttribute('download') || !['', '_self'].includes(element.target));
  const field = element instanceof HTMLInputElement && !PRESSED.test(element.type);
  return !element || opens || link || field ? null : element;
}

/** What the page did, each at the time it happened (it may be handed over later). */
export interface SignalWatch {
  click(event: MouseEvent, at: number): void;
  error(event: ErrorEvent | PromiseRejectionEvent, at: number): void;
  /** The page changed (the DOM, a scroll, an input, a navigation): the clicks before are not dead. */
  change(at: number): void;
  stop(): void;
}

/** Starts the rules; `report` gets each signal's payload. Nothing here throws into the page. */
export function watchSignals(
  options: RecorderOptions,
  report: (payload: SignalPayload) => void,
  onError: (error: unknown) => void,
): SignalWatch {
  const tracker = createSignalTracker<Element>();
  let stopped = false;
  const send = (signals: Signal<Element>[], message?: string) => {
    try {
      for (const { kind, click } of signals) report({ kind, at: click.at, ...describeTarget(click.target, options), message });
    } catch (error) {
      onError(error);
    }
  };
  const tick = () => send(stopped ? [] : tracker.tick(Date.now()));
  return {
    click(event, at) {
      const target = event.target as Element;
      const element = deadCandidate(event, target);
      if (element) setTimeout(tick, at + DEAD_CLICK_MS - Date.now());
      send(tracker.click({ at, x: event.clientX, y: event.clientY, target: element ?? target, deadCandidate: !!element }));
    },
    error(event, at) {
      const reason = 'reason' in event ? event.reason : (event.error ?? event.message);
      send(tracker.error(at), options.console ? String(reason?.message ?? reason).slice(0, 500) : undefined);
    },
    change: (at) => tracker.change(at),
    stop() {
      stopped = true;
    },
  };
}
