/** Starts rrweb's record with our privacy defaults and opt-in plugins; returns its controls. */
import { record } from 'rrweb';
import type { eventWithTime, RecordPlugin } from '@rrweb/types';
import { getRecordConsolePlugin } from '@rrweb/rrweb-plugin-console-record';
import { getRecordNetworkPlugin } from '@rrweb/rrweb-plugin-network-record';
import type { RecorderOptions } from './options';
import { redactBody } from './redactBody';

export interface Recording {
  stop(): void;
  takeFullSnapshot(): void;
  addCustomEvent(tag: string, payload: unknown): void;
}

/** Headers whose values never leave the page, whatever the options. */
const REDACTED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

function redact(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return headers;
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    clean[name] = REDACTED_HEADERS.has(name.toLowerCase()) ? '[redacted]' : value;
  }
  return clean;
}

function plugins(options: RecorderOptions): RecordPlugin[] {
  const list: RecordPlugin[] = [];
  if (options.console) list.push(getRecordConsolePlugin());
  if (options.network) {
    const body = (text: string | null | undefined) => redactBody(text, options.networkBodyMaxChars);
    list.push(
      getRecordNetworkPlugin({
        // Headers are recorded only so the plugin wraps fetch/XHR and learns each request's
        // method; sensitive ones are redacted below. Bodies only when the site asked for them.
        recordHeaders: true,
        recordBody: options.networkBodies,
        transformRequestFn: (request) =>
          request.name.startsWith(options.ingestUrl)
            ? undefined
            : {
                ...request,
                requestHeaders: redact(request.requestHeaders),
                responseHeaders: redact(request.responseHeaders),
                requestBody: options.networkBodies ? body(request.requestBody) : undefined,
                responseBody: options.networkBodies ? body(request.responseBody) : undefined,
              },
      }) as RecordPlugin,
    );
  }
  return list;
}

/** Runs `fn`; a failure goes to `onError` instead of up into the host page's code. */
function guarded<A extends unknown[]>(fn: (...args: A) => void, onError: (error: unknown) => void): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch (error) {
      onError(error);
    }
  };
}

/**
 * Records the page; `emit` gets every event. Failures of rrweb and of `emit` (which rrweb
 * calls from the page's own event and mutation callbacks) go to `onError`, never to the page.
 */
export function startRecording(
  options: RecorderOptions,
  emit: (event: eventWithTime) => void,
  onError: (error: unknown) => void,
): Recording {
  let stop: (() => void) | undefined;
  try {
    stop = record({
      emit: guarded(emit, onError),
      maskAllInputs: options.maskInputs,
      // Password fields are masked whatever maskInputs says, also once a script (a "show
      // password" toggle) turned them into text: rrweb flags them data-rr-is-password.
      maskInputOptions: { password: true },
      blockSelector: options.blockSelector,
      maskTextSelector: options.maskTextSelector,
      userTriggeredOnInput: true,
      sampling: { scroll: 150, input: 'last', media: 800 },
      plugins: plugins(options),
      errorHandler: (error) => {
        onError(error);
        return true;
      },
    });
  } catch (error) {
    onError(error);
  }
  return {
    stop: guarded(() => stop?.(), onError),
    takeFullSnapshot: guarded(() => record.takeFullSnapshot(), onError),
    addCustomEvent: guarded((tag: string, payload: unknown) => record.addCustomEvent(tag, payload), onError),
  };
}
