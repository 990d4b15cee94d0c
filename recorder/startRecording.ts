/**
 * Starts rrweb's record with our privacy defaults and opt-in plugins; returns its controls.
 * The console and network plugins and the canvas recording are chunks of their own, downloaded
 * only by pages that ask for them; recording starts once they are here. An observer of our own
 * is one more entry in the plugin list (a RecordPlugin's observer returns its teardown, as
 * rrweb's do).
 */
import { record } from '@rrweb/record';
import type { eventWithTime, RecordPlugin } from '@rrweb/types';
import { watchAssets } from './assets/watchAssets';
import type { RecorderOptions } from './options';
import type { Fetch } from './workerJobs';

export interface Recording {
  stop(): void;
  takeFullSnapshot(): void;
  addCustomEvent(tag: string, payload: unknown): void;
}

async function consolePlugin(): Promise<RecordPlugin> {
  const { getRecordConsolePlugin } = await import('@rrweb/rrweb-plugin-console-record');
  return getRecordConsolePlugin();
}

async function networkPlugin(options: RecorderOptions): Promise<RecordPlugin> {
  const { createNetworkPlugin } = await import('./networkPlugin');
  return createNetworkPlugin(options);
}

/** The plugins the options ask for; one that fails to load is reported and left out. */
async function loadPlugins(options: RecorderOptions, onError: (error: unknown) => void): Promise<RecordPlugin[]> {
  const wanted: Promise<RecordPlugin>[] = [];
  if (options.console) wanted.push(consolePlugin());
  if (options.network) wanted.push(networkPlugin(options));
  const loaded = await Promise.allSettled(wanted);
  return loaded.flatMap((result) => {
    if (result.status === 'fulfilled') return [result.value];
    onError(result.reason);
    return [];
  });
}

/**
 * How canvases are recorded: `canvas` is record()'s recordCanvas, false for none, and `manager`
 * its CanvasManager option. The snippet's build makes record() call recordCanvas to take a
 * canvas's pixels in a snapshot (build/rrwebRecordPatches.ts): it is then the chunk's function.
 */
interface CanvasRecording {
  canvas: boolean | ((...args: never) => void);
  manager?: unknown;
}

/**
 * rrweb's canvas recording, from a chunk of its own (canvasManager.ts); true and no manager where
 * record() has its own. A chunk that fails to load is reported, and the page is recorded without canvases.
 */
async function loadCanvas(onError: (error: unknown) => void): Promise<CanvasRecording> {
  try {
    const chunk = await import('./canvasManager');
    return { canvas: chunk.snapshotCanvas ?? true, manager: chunk.CanvasManager };
  } catch (error) {
    onError(error);
    return { canvas: false };
  }
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
 * Records the page; `emit` gets every event and `onStart` is called once rrweb took its first
 * snapshot (at once when no plugin is to be loaded). Failures of rrweb and of `emit` (which
 * rrweb calls from the page's own event and mutation callbacks) go to `onError`, never to
 * the page. Custom events added before the start are recorded at the start. `fetch` makes the
 * asset capture's requests.
 */
export function startRecording(
  options: RecorderOptions,
  emit: (event: eventWithTime) => void,
  onError: (error: unknown) => void,
  onStart: () => void,
  fetch: Fetch,
): Recording {
  let stop: (() => void) | undefined;
  let stopped = false;
  let early: [string, unknown][] | null = [];
  const assets = watchAssets(options, onError, fetch);
  const start = (plugins: RecordPlugin[], { canvas, manager }: CanvasRecording) => {
    if (stopped) return;
    try {
      // The snippet's build drops what rrweb runs only with slimDOMOptions, hooks, collectFonts,
      // recordCrossOriginIframes or inlineImages (build/rrwebRecordPatches.ts): none is given.
      stop = record({
        emit: guarded((event: eventWithTime) => {
          emit(event);
          assets.seen(event);
        }, onError),
        maskAllInputs: options.maskInputs,
        // Password fields are masked whatever maskInputs says, also once a script (a "show
        // password" toggle) turned them into text: rrweb flags them data-rr-is-password.
        maskInputOptions: { password: true },
        blockSelector: options.blockSelector,
        maskTextSelector: options.maskTextSelector,
        userTriggeredOnInput: true,
        sampling: { scroll: 150, input: 'last', media: 800, ...(canvas ? { canvas: options.canvasFps } : {}) },
        plugins,
        recordCanvas: canvas as boolean,
        ...(manager ? { CanvasManager: manager } : {}),
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
    const added = early ?? [];
    early = null;
    for (const [tag, payload] of added) guarded(() => record.addCustomEvent(tag, payload), onError)();
    if (stop) assets.start((tag, payload) => record.addCustomEvent(tag, payload));
    onStart();
  };
  if (options.console || options.network || options.recordCanvas) {
    const canvas = options.recordCanvas ? loadCanvas(onError) : { canvas: false };
    void Promise.all([loadPlugins(options, onError), canvas]).then(([plugins, loaded]) => start(plugins, loaded));
  } else start([], { canvas: false });
  return {
    stop: guarded(() => {
      stopped = true;
      assets.stop();
      stop?.();
    }, onError),
    takeFullSnapshot: guarded(() => {
      if (!early) record.takeFullSnapshot();
    }, onError),
    addCustomEvent: guarded((tag: string, payload: unknown) => {
      if (early) early.push([tag, payload]);
      else record.addCustomEvent(tag, payload);
    }, onError),
  };
}
