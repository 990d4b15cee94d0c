/**
 * The recorder's hook for captured assets: loads the capture (its own chunk where the build
 * makes chunks) once rrweb records, and tells it when a new session's snapshot calls for the map
 * again, or a navigation inside the page or inserted stylesheets (images with `all`) for a new
 * look at the page. The capture's chunk shares no module with the snippet's entry (which, a
 * classic script, can export none to it): the event's name is given it from here.
 */
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT } from '../../shared/constants';
import type { RecorderOptions } from '../options';
import type { AssetCapture } from './startAssetCapture';

/** A page's new stylesheets and images have usually loaded this long after a navigation inside it or their insertion. */
const SETTLE_MS = 2_000;

/** Elements whose insertion may bring assets: stylesheets always, what shows images with `all`. */
const STYLE_TAGS = new Set(['link', 'style']);
const IMAGE_TAGS = new Set(['img', 'picture', 'source', 'video', 'use']);

/** Whether a mutation added elements that may bring assets not captured yet. */
function addsAssets(event: eventWithTime, images: boolean): boolean {
  if (event.type !== EventType.IncrementalSnapshot || event.data.source !== IncrementalSource.Mutation) return false;
  return event.data.adds.some(({ node }) => {
    const tag = (node as { tagName?: string }).tagName;
    return tag !== undefined && (STYLE_TAGS.has(tag) || (images && IMAGE_TAGS.has(tag)));
  });
}

/** The hook startRecording drives. */
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
  let scanTimer: ReturnType<typeof setTimeout> | undefined;
  // One look at the page once a burst of insertions or a navigation has settled.
  const scanSoon = () => {
    clearTimeout(scanTimer);
    scanTimer = setTimeout(() => capture?.scan(), SETTLE_MS);
  };
  return {
    seen(event) {
      // After the first, a full snapshot starts a new session, whose recording needs the map too.
      if (event.type === EventType.FullSnapshot && snapshots++ > 0) setTimeout(() => capture?.snapshotTaken());
      if (event.type === EventType.Custom && event.data.tag === CUSTOM_EVENT.pageview) scanSoon();
      else if (capture && addsAssets(event, options.captureAssets === 'all')) scanSoon();
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
            recordMap: (assets) => addCustomEvent(CUSTOM_EVENT.assets, { assets }),
            onError,
          });
        })
        .catch(onError);
    },
    stop() {
      stopped = true;
      clearTimeout(scanTimer);
      capture?.stop();
    },
  };
}
