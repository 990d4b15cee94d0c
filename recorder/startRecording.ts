/** Starts rrweb's record with our privacy defaults and opt-in plugins; returns its controls. */
import { record } from 'rrweb';
import type { eventWithTime, RecordPlugin } from '@rrweb/types';
import { getRecordConsolePlugin } from '@rrweb/rrweb-plugin-console-record';
import { getRecordNetworkPlugin } from '@rrweb/rrweb-plugin-network-record';
import type { RecorderOptions } from './options';

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
    list.push(
      getRecordNetworkPlugin({
        // Headers are recorded only so the plugin wraps fetch/XHR and learns each request's
        // method; sensitive ones are redacted below and bodies are never recorded.
        recordHeaders: true,
        recordBody: false,
        transformRequestFn: (request) =>
          request.name.startsWith(options.ingestUrl)
            ? undefined
            : { ...request, requestHeaders: redact(request.requestHeaders), responseHeaders: redact(request.responseHeaders) },
      }) as RecordPlugin,
    );
  }
  return list;
}

/** Records the page; `emit` gets every event; rrweb's own failures go to `onError`, not the page. */
export function startRecording(
  options: RecorderOptions,
  emit: (event: eventWithTime) => void,
  onError: (error: unknown) => void,
): Recording {
  const stop = record({
    emit,
    maskAllInputs: options.maskInputs,
    maskInputOptions: { password: true },
    blockSelector: options.blockSelector,
    userTriggeredOnInput: true,
    sampling: { scroll: 150, input: 'last', media: 800 },
    plugins: plugins(options),
    errorHandler: (error) => {
      onError(error);
      return true;
    },
  });
  return {
    stop: () => stop?.(),
    takeFullSnapshot: () => record.takeFullSnapshot(),
    addCustomEvent: (tag, payload) => record.addCustomEvent(tag, payload),
  };
}
