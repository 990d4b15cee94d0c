/**
 * What the recorder could not read (a third-party stylesheet without CORS), fetched by the
 * server within the public-fetch limits, captured the way the recorder captures (stylesheets
 * rewritten to point at captured copies of what they use) and stored.
 */
import { AssetCapturer, DEFAULT_CAPTURE_LIMITS, type CapturedAsset } from '../../shared/assetCapturer';
import type { AssetStore } from './assetStore';
import { fetchPublicUrl, type PublicFetchLimits } from './fetchPublicUrl';

/** A URL fetched lately is answered from memory (if its assets are still stored): pages repeat. */
const REMEMBER_MS = 3_600_000;
const REMEMBER_MAX = 1_000;

/** The server side of capture, for POST /api/assets/fetch. */
export interface ServerCapture {
  /** The url → hash map of what could be captured of `urls` and of what they use. */
  capture(urls: readonly string[]): Promise<Record<string, string>>;
}

/** A fetch for AssetCapturer that only reaches what `limits` allow. */
function limitedFetch(limits: PublicFetchLimits): typeof fetch {
  return async (input) => {
    const fetched = await fetchPublicUrl(String(input), limits);
    const empty = fetched.status === 204 || fetched.status === 304;
    return new Response(empty ? null : (fetched.body as BodyInit), {
      status: fetched.status,
      headers: fetched.contentType ? { 'content-type': fetched.contentType } : {},
    });
  };
}

/** Captures through `limits` into `assets`. */
export function createServerCapture(assets: AssetStore, limits: PublicFetchLimits, now: () => number): ServerCapture {
  const remembered = new Map<string, { at: number; map: Record<string, string> }>();

  const recall = async (url: string): Promise<Record<string, string> | null> => {
    const entry = remembered.get(url);
    if (!entry || now() - entry.at > REMEMBER_MS) return null;
    return (await assets.missing(Object.values(entry.map))).length === 0 ? entry.map : null;
  };

  return {
    async capture(urls) {
      const capturer = new AssetCapturer(limitedFetch(limits), DEFAULT_CAPTURE_LIMITS);
      const map: Record<string, string> = {};
      await Promise.all(
        urls.map(async (url) => {
          const known = await recall(url);
          if (known) return Object.assign(map, known);
          const root = await capturer.capture(url);
          if (!root) return;
          const tree: Record<string, string> = {};
          const store = async (asset: CapturedAsset): Promise<void> => {
            await Promise.all(asset.children.map(store));
            await assets.put({ hash: asset.hash, contentType: asset.type, body: Buffer.from(await asset.body.arrayBuffer()) }, now());
            tree[asset.url] = asset.hash;
          };
          await store(root);
          if (remembered.size >= REMEMBER_MAX) remembered.delete(remembered.keys().next().value as string);
          remembered.set(url, { at: now(), map: tree });
          Object.assign(map, tree);
        }),
      );
      return map;
    },
  };
}
