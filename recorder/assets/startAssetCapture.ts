/**
 * Captured assets for replays that last (data-capture-assets): after the page loaded, when the
 * browser is idle, takes its stylesheets, fonts and images (assetCapturer.ts), asks the server
 * which it lacks in one request, uploads only those, has the server fetch what the page could
 * not read, and records the url → hash map as a `$assets` custom event. Nothing here delays an
 * event; failures only leave assets loading from their original URLs.
 */
import { MAX_ASSET_FETCHES_PER_REQUEST, MAX_ASSET_HASHES_PER_REQUEST } from '../../shared/capturedAssets';
import type { eventWithTime } from '@rrweb/types';
import { AssetCapturer, type CapturedAsset } from '../../shared/assetCapturer';
import { assetTrigger } from './assetTrigger';
import { pageAssetUrls, type CaptureMode } from './pageAssetUrls';
import { loadUploaded, saveUploaded } from './uploadedHashes';
import type { Fetch } from '../workerJobs';

/** What the capture needs of the recorder. */
export interface AssetCaptureOptions {
  mode: CaptureMode;
  /** The server's API base, ending in `/api/`. */
  api: string;
  project: string;
  blockSelector: string | undefined;
  /** Makes the capture's requests off the main thread where it can (workerJobs.ts), never recorded by rrweb's network plugin. */
  fetch: Fetch;
  /** The tag of page-view custom events (a navigation inside the page). */
  pageviewTag: string;
  /** Records a url → hash map with the recording (the `$assets` event). */
  recordMap(assets: Record<string, string>): void;
  onError(error: unknown): void;
}

export interface AssetCapture {
  /** Every event recorded after the capture loaded (its first full snapshot came before). */
  seen(event: eventWithTime): void;
  stop(): void;
}

/** A page's new stylesheets and images have usually loaded this long after a navigation inside it or their insertion. */
const SETTLE_MS = 2_000;

/** Uploads at once: a first visit of a large site sends a few dozen assets. */
const UPLOAD_CONCURRENCY = 2;

/** Runs `task` on every item, `concurrency` at a time. */
async function eachLimited<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

const chunked = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/** Starts capturing: a first look at once, others when events call for them. */
export function startAssetCapture(options: AssetCaptureOptions): AssetCapture {
  const capturer = new AssetCapturer(options.fetch);
  const emitted: Record<string, string> = {};
  /** Hashes known stored on the server, from any pass. */
  const stored = new Set<string>();
  const serverFetched = new Set<string>();
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await options.fetch(`${options.api}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ project: options.project, ...(body as object) }),
    });
    if (!response.ok) throw new Error(`${path} ${response.status}`);
    return (await response.json()) as T;
  };

  /** Uploads what the server lacks; adds what is now known stored to `stored`. */
  const upload = async (assets: CapturedAsset[]): Promise<void> => {
    const remembered = loadUploaded(options.api, Date.now());
    for (const hash of remembered.keys()) if (assets.some((a) => a.hash === hash)) stored.add(hash);
    const unknown = [...new Set(assets.map((a) => a.hash))].filter((hash) => !stored.has(hash));
    const missing = new Set<string>();
    for (const hashes of chunked(unknown, MAX_ASSET_HASHES_PER_REQUEST)) {
      const answer = await post<{ missing: string[] }>('assets/missing', { hashes });
      for (const hash of hashes) if (!answer.missing.includes(hash)) stored.add(hash);
      for (const hash of answer.missing) missing.add(hash);
    }
    const toSend = [...missing].map((hash) => assets.find((a) => a.hash === hash) as CapturedAsset);
    await eachLimited(toSend, UPLOAD_CONCURRENCY, async (asset) => {
      const response = await options.fetch(`${options.api}assets/${asset.hash}?project=${encodeURIComponent(options.project)}`, {
        method: 'PUT',
        headers: { 'Content-Type': asset.type },
        body: asset.body,
      });
      if (response.ok) stored.add(asset.hash);
    });
    saveUploaded(options.api, [...stored].filter((hash) => !remembered.has(hash)), Date.now());
  };

  /** What the page could not read (no CORS), fetched by the server from public addresses. */
  const fetchOnServer = async (): Promise<Record<string, string>> => {
    const urls = [...capturer.unreadable].filter((url) => !serverFetched.has(url));
    const found: Record<string, string> = {};
    for (const part of chunked(urls, MAX_ASSET_FETCHES_PER_REQUEST)) {
      for (const url of part) serverFetched.add(url);
      Object.assign(found, (await post<{ assets: Record<string, string> }>('assets/fetch', { urls: part })).assets);
    }
    return found;
  };

  const emit = (map: Record<string, string>) => {
    if (stopped || Object.keys(map).length === 0) return;
    Object.assign(emitted, map);
    options.recordMap(map);
  };

  const pass = async () => {
    const urls = pageAssetUrls(document, options.mode, options.blockSelector);
    const found = await Promise.all([
      ...[...urls.stylesheets, ...urls.images].map((url) => capturer.capture(url)),
      ...urls.css.map(({ text, base }) => capturer.captureCssReferences(text, base)),
    ]);
    const all = new Map<string, CapturedAsset>();
    const add = (asset: CapturedAsset | null) => {
      if (!asset || all.has(asset.url)) return;
      all.set(asset.url, asset);
      asset.children.forEach(add);
    };
    for (const item of found) (Array.isArray(item) ? item : [item]).forEach(add);
    const fresh = [...all.values()].filter((asset) => emitted[asset.url] !== asset.hash);
    if (fresh.length > 0) await upload(fresh);
    // A stylesheet names its captured children: it is only usable once they are stored too.
    const usable = (asset: CapturedAsset): boolean => stored.has(asset.hash) && asset.children.every(usable);
    emit(Object.fromEntries(fresh.filter(usable).map((asset) => [asset.url, asset.hash])));
    emit(await fetchOnServer());
  };

  const scan = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .catch(options.onError)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          scan();
        }
      });
  };

  // Loaded once the page has and the browser is idle (watchAssets): the first look is now.
  scan();

  let lookTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    seen(event) {
      const trigger = assetTrigger(event, options.mode === 'all', options.pageviewTag);
      // A full snapshot now starts a new session, whose recording needs the whole map too: after
      // the snapshot, not from inside rrweb's emit.
      if (trigger === 'snapshot') setTimeout(() => !stopped && Object.keys(emitted).length > 0 && options.recordMap({ ...emitted }));
      if (trigger !== 'look') return;
      // One look once a burst of insertions or a navigation has settled.
      clearTimeout(lookTimer);
      lookTimer = setTimeout(scan, SETTLE_MS);
    },
    stop() {
      stopped = true;
      clearTimeout(lookTimer);
    },
  };
}
