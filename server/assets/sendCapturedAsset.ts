/**
 * The one read path of captured assets: the player's GET /api/assets/:hash and share links both
 * answer through it.
 */
import type { Response } from 'express';
import { ASSET_HASH_PATTERN } from '../../shared/capturedAssets';
import { HttpError } from '../http/errors';
import type { AssetStore } from './assetStore';

/** A hash names its bytes forever: a year is the longest cache lifetime browsers honour. */
const IMMUTABLE = 'private, max-age=31536000, immutable';

/**
 * Sends the asset stored under `hash`, or throws the 400/404 HttpError. Served as a sandboxed
 * document with no source allowed: an uploaded SVG opened on its own runs nothing here.
 */
export async function sendCapturedAsset(res: Response, assets: AssetStore, hash: string): Promise<void> {
  if (!ASSET_HASH_PATTERN.test(hash)) throw new HttpError(400, 'invalid_hash', 'an asset is named by the SHA-256 of its bytes, 64 lowercase hex digits');
  const asset = await assets.get(hash);
  if (!asset) throw new HttpError(404, 'not_found', `no asset ${hash}`);
  res.set({
    'Content-Type': asset.contentType,
    'Cache-Control': IMMUTABLE,
    ETag: `"${hash}"`,
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  res.end(asset.body);
}
