/**
 * The recorder's hook for captured assets: loads the capture (its own chunk where the build
 * makes chunks) once rrweb records, and tells it when a new session's snapshot or a navigation
 * inside the page calls for the map again or for a new look at the page.
 */
import { EventType, type eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT } from '../../shared/constants';
import type { RecorderOptions } from '../options';
import type { AssetCapture } from './startAssetCapture';

/** A page's new stylesheets and images have usually loaded this long after a navigation inside it. */
const NAVIGATION_SETTLE_MS = 2_000;

export interface AssetWatch {
  /** Every event rrweb emits, after it went on. */
  seen(event: eventWithTime): void;
  /** rrweb records: the capture may start. */
  start(addCustomEvent: (tag: string, payload: unknown) => void): void;
  stop(): void;
}

/** Call before rrweb starts: the page's fetch is taken before rrweb's network plugin wraps it. */
export function watchAssets(options: RecorderOptions, onError: (error: unknown) => void): AssetWatch {
  const pageFetch = window.fetch.bind(window);
  let capture: AssetCapture | undefined;
  let snapshots = 0;
  let stopped = false;
  return {
    seen(event) {
      // After the first, a full snapshot starts a new session, whose recording needs the map too.
      if (event.type === EventType.FullSnapshot && snapshots++ > 0) setTimeout(() => capture?.snapshotTaken());
      if (event.type === EventType.Custom && event.data.tag === CUSTOM_EVENT.pageview) setTimeout(() => capture?.scan(), NAVIGATION_SETTLE_MS);
    },
    start(addCustomEvent) {
      if (options.captureAssets === 'none') return;
      import('./startAssetCapture')
        .then(({ startAssetCapture }) => {
          if (stopped) return;
          capture = startAssetCapture({
            mode: options.captureAssets === 'all' ? 'all' : 'styles',
            api: options.ingestUrl.replace(/ingest$/, ''),
            project: options.project,
            blockSelector: options.blockSelector,
            fetch: pageFetch,
            addCustomEvent,
            onError,
          });
        })
        .catch(onError);
    },
    stop() {
      stopped = true;
      capture?.stop();
    },
  };
}
