/**
 * The recorder's public API, for bundlers (`import { init } from '<package>/recorder'`) and,
 * through snippet.ts, as window.SessionReplay. No call ever throws into the host page.
 */
import { createRecorder, type Recorder } from './createRecorder';
import { resolveOptions, type InitOptions } from './options';

export type { InitOptions } from './options';

let active: Recorder | null = null;

function guard<T>(fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    console.warn('[session-replay]', error);
    return fallback;
  }
}

/** Starts recording; a second call while recording is ignored. */
export function init(options: InitOptions): void {
  guard(undefined, () => {
    if (active) return;
    active = createRecorder(resolveOptions(options, location.href));
  });
}

/** Attaches a user id (and traits) to the current and later sessions of this page. */
export function identify(userId: string, traits?: Record<string, unknown>): void {
  guard(undefined, () => active?.identify(userId, traits));
}

/** Records a named custom event. */
export function track(name: string, props?: Record<string, unknown>): void {
  guard(undefined, () => active?.track(name, props));
}

/** The live session's id, or null when none is live or nothing records. */
export function getSessionId(): string | null {
  return guard(null, () => active?.getSessionId() ?? null);
}

/** Resolves once the server acknowledged every event recorded so far. */
export function flush(): Promise<void> {
  return guard(Promise.resolve(), () => active?.flush() ?? Promise.resolve());
}

/** Stops recording and sends what is left. */
export function stop(): void {
  guard(undefined, () => {
    active?.stop();
    active = null;
  });
}
