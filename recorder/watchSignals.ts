/**
 * Feeds the page's clicks, changes and uncaught errors to the frustration rules
 * (shared/signals.ts) and reports each signal found. Independent of console capture: only the
 * error's message waits for it. Returns the teardown, as rrweb's observers do.
 */
import { createSignalTracker, type Signal, type SignalPayload } from '../shared/signals';
import { describeTarget } from './describeTarget';
import type { RecorderOptions } from './options';

/** What may be dead when clicked (product §8). */
const INTERACTIVE =
  'a[href],button,input,select,textarea,summary,[role=button],[role=link],[role=tab],[role=menuitem],[role=checkbox],[onclick]';
/** Inputs a click acts on rather than focuses for typing. */
const PRESSABLE_INPUTS = new Set(['button', 'submit', 'reset', 'image', 'checkbox', 'radio']);

/** A field that a click focuses for typing or opens a picker on: never a dead click. */
function isField(element: Element | null): boolean {
  if (!element) return false;
  if (element instanceof HTMLInputElement) return !PRESSABLE_INPUTS.has(element.type);
  return element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement || (element as HTMLElement).isContentEditable;
}

/** The interactive element a click may be dead on, or null when it may not be (product §8). */
function deadCandidate(event: MouseEvent): Element | null {
  const target = event.target instanceof Element ? event.target : null;
  // A script's click handler cannot be seen from here; the pointer cursor a page gives what
  // it made clickable is the cheap tell (an inherited style, so read once, on the target).
  const element = target?.closest(INTERACTIVE) ?? (target && getComputedStyle(target).cursor === 'pointer' ? target : null);
  // Modified or non-primary clicks open a new tab or window.
  if (!element || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  if (element instanceof HTMLAnchorElement && (element.hasAttribute('download') || (element.target && element.target !== '_self'))) {
    return null;
  }
  if (isField(target) || isField(element)) return null;
  return element;
}

function errorMessage(event: ErrorEvent | PromiseRejectionEvent): string {
  const reason: unknown = event instanceof ErrorEvent ? (event.error ?? event.message) : event.reason;
  return String((reason as Error)?.message ?? reason).slice(0, 500);
}

/** Watches the page; `report` gets each signal's payload. Handlers never throw into the page. */
export function watchSignals(
  options: RecorderOptions,
  report: (payload: SignalPayload) => void,
  onError: (error: unknown) => void,
): () => void {
  const tracker = createSignalTracker<Element>();
  let href = location.href;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watching = false;
  const send = (signals: Signal<Element>[], message?: string) => {
    for (const { kind, click } of signals) {
      report({ kind, at: click.at, ...describeTarget(click.target, options), message });
    }
  };
  const guarded =
    <E>(fn: (event: E) => void) =>
    (event: E) => {
      try {
        fn(event);
      } catch (error) {
        onError(error);
      }
    };

  const change = guarded(() => {
    tracker.change(Date.now());
    arm();
  });
  // Only watched while a click waits to be found dead: the page pays for nothing otherwise.
  const mutations = new MutationObserver(change);
  const arm = () => {
    clearTimeout(timer);
    const deadline = tracker.nextDeadline();
    if (deadline !== null && !watching) {
      mutations.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      watching = true;
    } else if (deadline === null && watching) {
      mutations.disconnect();
      watching = false;
    }
    if (deadline !== null) timer = setTimeout(tick, Math.max(0, deadline - Date.now()));
  };
  // A navigation by pushState or replaceState is a change too, seen as a new location at the
  // next click or tick: both come before any later click is counted, so it saves just the earlier ones.
  const navigated = () => {
    if (location.href === href) return;
    href = location.href;
    tracker.change(Date.now());
  };
  const tick = guarded(() => {
    navigated();
    send(tracker.tick(Date.now()));
    arm();
  });
  const onClick = guarded((event: MouseEvent) => {
    const element = deadCandidate(event);
    const target = element ?? (event.target instanceof Element ? event.target : document.documentElement);
    navigated();
    send(tracker.click({ at: Date.now(), x: event.clientX, y: event.clientY, target, deadCandidate: element !== null }));
    arm();
  });
  const onPageError = guarded((event: ErrorEvent | PromiseRejectionEvent) => {
    send(tracker.error(Date.now()), options.console ? errorMessage(event) : undefined);
    arm();
  });

  const capture = { capture: true, passive: true };
  const changes = ['scroll', 'input', 'change', 'hashchange', 'popstate'] as const;
  addEventListener('click', onClick, capture);
  for (const type of changes) addEventListener(type, change, capture);
  addEventListener('error', onPageError);
  addEventListener('unhandledrejection', onPageError);
  return () => {
    clearTimeout(timer);
    mutations.disconnect();
    removeEventListener('click', onClick, capture);
    for (const type of changes) removeEventListener(type, change, capture);
    removeEventListener('error', onPageError);
    removeEventListener('unhandledrejection', onPageError);
  };
}
