/**
 * Captured assets (stylesheets, fonts, images stored by content hash so replays outlive the
 * site): the limits and types the recorder, the server and the player agree on. Pure: no DOM,
 * no node:*.
 */

/** A SHA-256 in lowercase hex: the one name an asset has on the server. */
export const ASSET_HASH_PATTERN = /^[0-9a-f]{64}$/;
/** Largest asset stored; a bigger one keeps loading from its original URL. */
export const MAX_ASSET_BYTES = 4 * 1024 * 1024;
/** Hashes one "which do you lack" request may ask about. */
export const MAX_ASSET_HASHES_PER_REQUEST = 500;
/** URLs one request may ask the server to fetch itself. */
export const MAX_ASSET_FETCHES_PER_REQUEST = 50;

/** The types stored, by the extension a misconfigured server's `application/octet-stream` hides. */
const TYPE_BY_EXTENSION: Record<string, string> = {
  css: 'text/css',
  woff2: 'font/woff2',
  woff: 'font/woff',
  ttf: 'font/ttf',
  otf: 'font/otf',
  eot: 'application/vnd.ms-fontobject',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
};

/** Content types that are fonts under older names. */
const FONT_ALIASES: Record<string, string> = {
  'application/font-woff': 'font/woff',
  'application/x-font-woff': 'font/woff',
  'application/font-woff2': 'font/woff2',
  'application/x-font-ttf': 'font/ttf',
  'application/x-font-truetype': 'font/ttf',
  'application/font-sfnt': 'font/sfnt',
  'application/x-font-opentype': 'font/otf',
};

const STORED_TYPES = new Set([...Object.values(TYPE_BY_EXTENSION), ...Object.values(FONT_ALIASES), 'font/collection', 'font/sfnt', 'image/apng', 'image/vnd.microsoft.icon']);

/**
 * The type an asset is stored and served as, or null when it is not one kept (HTML, script,
 * anything else): only stylesheets, fonts and images. `application/octet-stream` and a missing
 * type fall back on the URL's extension.
 */
export function storedAssetType(contentType: string | null | undefined, url?: string): string | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const named = FONT_ALIASES[type] ?? type;
  if (STORED_TYPES.has(named)) return named;
  if (type !== '' && type !== 'application/octet-stream' && type !== 'binary/octet-stream') return null;
  const extension = url ? /\.([a-z0-9]+)$/i.exec(new URL(url, 'http://x/').pathname)?.[1]?.toLowerCase() : undefined;
  return (extension && TYPE_BY_EXTENSION[extension]) ?? null;
}

/** The url → hash map a `$assets` event carries, or null when the payload is not one. */
export function assetMapIn(payload: unknown): Record<string, string> | null {
  const assets = (payload as { assets?: unknown } | null)?.assets;
  if (typeof assets !== 'object' || assets === null) return null;
  const map: Record<string, string> = {};
  for (const [url, hash] of Object.entries(assets)) if (typeof hash === 'string' && ASSET_HASH_PATTERN.test(hash)) map[url] = hash;
  return map;
}
