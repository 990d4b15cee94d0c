/**
 * The captured assets inside an exported HTML file (server/export/replayHtml.ts writes one data
 * block per asset the session references): each becomes a blob: URL, the only kind the file's
 * CSP lets styles, fonts and images load from.
 */
import { rewriteCssUrls } from '../../../shared/cssUrls';
import type { AssetUrl } from '../replay/capturedAssets';

/** The script type the server writes. */
const ASSET_TYPE = 'application/x-replay-asset';

/** A stored stylesheet names its captured siblings by hash: `<hash>`, or `/api/assets/<hash>`; a fragment may follow. */
const SIBLING = /^(?:.*\/)?([0-9a-f]{64})(#.*)?$/;

/**
 * The blob: URL of each asset embedded in `doc`, by hash, made when first asked for;
 * undefined for one the file does not hold. A stylesheet's sibling references are pointed at
 * their own blob: URLs, since nothing resolves relative to a blob: URL.
 */
export function embeddedAssetUrls(doc: Document): AssetUrl {
  const blocks = new Map<string, HTMLScriptElement>();
  for (const script of doc.querySelectorAll<HTMLScriptElement>(`script[type="${ASSET_TYPE}"]`)) {
    if (script.dataset.hash) blocks.set(script.dataset.hash, script);
  }
  const urls = new Map<string, string>();
  const urlFor: AssetUrl = (hash) => {
    const known = urls.get(hash);
    if (known) return known;
    const block = blocks.get(hash);
    if (!block) return undefined;
    const type = block.dataset.type ?? 'application/octet-stream';
    const bytes = Uint8Array.from(atob(block.text), (c) => c.charCodeAt(0));
    // A hash covers its stylesheet's text, sibling hashes included: no stylesheet can reach itself.
    const body =
      type === 'text/css'
        ? rewriteCssUrls(new TextDecoder().decode(bytes), (written) => {
            const sibling = SIBLING.exec(written);
            const url = sibling ? urlFor(sibling[1]) : undefined;
            return url && `${url}${sibling?.[2] ?? ''}`;
          })
        : bytes;
    const url = URL.createObjectURL(new Blob([body], { type }));
    urls.set(hash, url);
    return url;
  };
  return urlFor;
}
