/**
 * The recorder's hook for captured assets: starts the capture once the page has loaded and the
 * browser is idle — never during the page's own loading — and passes it the events. The names
 * of the events the capture reads and writes are given it from here.
 */
import { record } from '@rrweb/record';
import { EventType, type eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT } from '../../shared/constants';
import type { RecorderOptions } from '../options';
import type { Fetch } from '../workerJobs';
import { whenLoadedAndIdle } from '../whenLoadedAndIdle';
import { type AssetCapture, startAssetCapture } from './startAssetCapture';

/** The hook startRecording drives. */
export interface AssetWatch {
  /** Every event rrweb emits, after it went on. */
  seen(event: eventWithTime): void;
  /** rrweb records: the capture may start. */
  start(addCustomEvent: (tag: string, payload: unknown) => void): void;
  stop(): void;
}

/**
 * rrweb writes a stylesheet link of a full snapshot as its CSS text (`_cssText`) and drops its
 * `rel` and address; this puts them back, right before the text, in the snapshot rrweb just emitted
 * (its nodes are the ones its mirror holds; they are serialised later, at idle time). A batch that
 * also holds the capture's map of that address can then leave the text out (the envelope code's
 * withoutCapturedCss): the replay loads the stored copy instead. A `<style>` with an `href` is
 * what the player builds from a link that keeps its text, so nothing changes there.
 */
function keepStylesheetAddresses(): void {
  for (const link of Array.from(document.querySelectorAll('link'))) {
    const attributes = (record.mirror.getMeta(link) as { attributes?: Record<string, unknown> } | null)?.attributes;
    const css = attributes?._cssText;
    if (typeof css !== 'string' || !link.href) continue;
    delete attributes!._cssText;
    attributes!.rel = link.getAttribute('rel');
    attributes!.href = link.href;
    attributes!._cssText = css;
  }
}

/** `fetch` makes the capture's requests: the recorder's worker's, or the page's fetch as it was before rrweb's network plugin wrapped it. */
export function watchAssets(options: RecorderOptions, onError: (error: unknown) => void, fetch: Fetch): AssetWatch {
  let capture: AssetCapture | undefined;
  let stopped = false;
  return {
    seen(event) {
      if (event.type === EventType.FullSnapshot && options.captureAssets !== 'none') keepStylesheetAddresses();
      capture?.seen(event);
    },
    start(addCustomEvent) {
      if (options.captureAssets === 'none') return;
      whenLoadedAndIdle(() => {
        if (stopped) return;
        try {
          capture = startAssetCapture({
            mode: options.captureAssets === 'all' ? 'all' : 'styles',
            api: options.ingestUrl.replace(/ingest$/, ''),
            project: options.project,
            blockSelector: options.blockSelector,
            fetch,
            pageviewTag: CUSTOM_EVENT.pageview,
            recordMap: (assets) => addCustomEvent(CUSTOM_EVENT.assets, { assets }),
            onError,
          });
        } catch (error) {
          onError(error);
        }
      });
    },
    stop() {
      stopped = true;
      capture?.stop();
    },
  };
}
