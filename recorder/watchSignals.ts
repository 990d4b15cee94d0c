/**
 * Feeds the page's clicks and uncaught errors, and the changes rrweb records, to the
 * frustration rules (shared/signals.ts), and reports each signal found. Independent of console
 * capture: only the error's message waits for it. Changes come from rrweb's own observers
 * (`seen`), so the page pays for no second MutationObserver and the snippet stays small.
 */
import type { eventWithTime } from '@rrweb/types';
import { createSignalTracker, DEAD_CLICK_MS, isPageChange, type Signal, type SignalPayload } from '../shared/signals';
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

/** What the recorder drives: every recorded event goes to `seen`. */
export interface SignalWatch {
  seen(event: eventWithTime): void;
  stop(): void;
}

/** Watches the page; `report` gets each signal's payload. Handlers never throw into the page. */
export function watchSignals(
  options: RecorderOptions,
  report: (payload: SignalPayload) => void,
  onError: (error: unknown) => void,
): SignalWatch {
  const tracker = createSignalTracker<Element>();
  let stopped = false;
  const guarded =
    <E>(fn: (event: E) => Signal<Element>[], message?: (event: E) => string) =>
    (event: E) => {
      try {
        for (const { kind, click } of fn(event)) {
          report({ kind, at: click.at, ...describeTarget(click.target, options), message: message?.(event) });
        }
      } catch (error) {
        onError(error);
      }
    };
  const tick = guarded(() => (stopped ? [] : tracker.tick(Date.now())));
  const onClick = guarded((event: MouseEvent) => {
    const target = event.target instanceof Element ? event.target : document.documentElement;
    const element = deadCandidate(event, target);
    if (element) setTimeout(tick, DEAD_CLICK_MS);
    return tracker.click({ at: Date.now(), x: event.clientX, y: event.clientY, target: element ?? target, deadCandidate: !!element });
  });
  const onPageError = guarded(
    () => tracker.error(Date.now()),
    options.console
      ? (event: ErrorEvent | PromiseRejectionEvent) => {
          const reason = 'reason' in event ? event.reason : (event.error ?? event.message);
          return String(reason?.message ?? reason).slice(0, 500);
        }
      : undefined,
  );

  addEventListener('click', onClick, true);
  addEventListener('error', onPageError);
  addEventListener('unhandledrejection', onPageError);
  return {
    seen: (event) => {
      if (isPageChange(event)) tracker.change(event.timestamp);
    },
    stop() {
      stopped = true;
      removeEventListener('click', onClick, true);
      removeEventListener('error', onPageError);
      removeEventListener('unhandledrejection', onPageError);
    },
  };
}
