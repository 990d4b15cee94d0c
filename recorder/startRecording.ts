/** Starts rrweb's record with our privacy defaults and opt-in plugins; returns its controls. */
import { record } from 'rrweb';
import { EventType, type eventWithTime, type RecordPlugin } from '@rrweb/types';
import { getRecordConsolePlugin } from '@rrweb/rrweb-plugin-console-record';
import { getRecordNetworkPlugin } from '@rrweb/rrweb-plugin-network-record';
import type { AssetCapture } from './assets/startAssetCapture';
import { CUSTOM_EVENT } from '../shared/constants';
import type { RecorderOptions } from './options';
import { redactBody } from './redactBody';

export interface Recording {
  stop(): void;
  takeFullSnapshot(): void;
  addCustomEvent(tag: string, payload: unknown): void;
}

/** A page's new stylesheets and images have usually loaded this long after a navigation inside it. */
const NAVIGATION_SETTLE_MS = 2_000;

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
  // Taken before rrweb's network plugin wraps fetch: asset capture is not the page's traffic.
  const pageFetch = window.fetch.bind(window);
  let assets: AssetCapture | undefined;
  let snapshots = 0;
  const emitAndWatch = (event: eventWithTime) => {
    emit(event);
    // After the first, a full snapshot starts a new session, whose recording needs the map too.
    if (event.type === EventType.FullSnapshot && snapshots++ > 0) setTimeout(() => assets?.snapshotTaken());
    // A navigation inside the page may have brought new stylesheets; they load in a moment.
    if (event.type === EventType.Custom && event.data.tag === CUSTOM_EVENT.pageview) setTimeout(() => assets?.scan(), NAVIGATION_SETTLE_MS);
  };
  try {
    stop = record({
      emit: guarded(emitAndWatch, onError),
      maskAllInputs: options.maskInputs,
      // Password fields are masked whatever maskInputs says, also once a script (a "show
      // password" toggle) turned them into text: rrweb flags them data-rr-is-password.
      maskInputOptions: { password: true },
      blockSelector: options.blockSelector,
      maskTextSelector: options.maskTextSelector,
      userTriggeredOnInput: true,
      sampling: { scroll: 150, input: 'last', media: 800, ...(options.recordCanvas ? { canvas: options.canvasFps } : {}) },
      plugins: plugins(options),
      recordCanvas: options.recordCanvas,
      // WebP is several times smaller than PNG; browsers without it fall back to PNG.
      dataURLOptions: { type: 'image/webp', quality: 0.6 },
      errorHandler: (error) => {
        onError(error);
        return true;
      },
    });
  } catch (error) {
    onError(error);
  }
  if (options.captureAssets !== 'none') {
    import('./assets/startAssetCapture')
      .then(({ startAssetCapture }) => {
        if (!stop) return;
        assets = startAssetCapture({
          mode: options.captureAssets === 'all' ? 'all' : 'styles',
          api: options.ingestUrl.replace(/ingest$/, ''),
          project: options.project,
          blockSelector: options.blockSelector,
          fetch: pageFetch,
          addCustomEvent: (tag, payload) => record.addCustomEvent(tag, payload),
          onError,
        });
      })
      .catch(onError);
  }
  return {
    stop: guarded(() => {
      assets?.stop();
      stop?.();
      stop = undefined;
    }, onError),
    takeFullSnapshot: guarded(() => record.takeFullSnapshot(), onError),
    addCustomEvent: guarded((tag: string, payload: unknown) => record.addCustomEvent(tag, payload), onError),
  };
}
