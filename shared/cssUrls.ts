/** Finds and rewrites the URLs a stylesheet references (`url()` and `@import "…"`). Pure. */

// url("…"), url('…'), url(…) and @import "…" / '…' (the url() form of @import is a url()).
const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')/g;

/**
 * `css` with each referenced URL replaced by what `replace` returns for it (as written in the
 * CSS, unresolved); `undefined` keeps that reference as it was.
 */
export function rewriteCssUrls(css: string, replace: (url: string) => string | undefined): string {
  return css.replace(CSS_URL, (match, dq?: string, sq?: string, bare?: string, importDq?: string, importSq?: string) => {
    const url = dq ?? sq ?? bare ?? importDq ?? importSq ?? '';
    if (url === '' || url.startsWith('data:') || url.startsWith('#')) return match;
    const next = replace(url);
    if (next === undefined) return match;
    const quoted = `"${next.replace(/"/g, '%22')}"`;
    return importDq !== undefined || importSq !== undefined ? `@import ${quoted}` : `url(${quoted})`;
  });
}

/** The URLs `css` references, as written. */
export function cssUrls(css: string): string[] {
  const urls: string[] = [];
  rewriteCssUrls(css, (url) => {
    urls.push(url);
    return undefined;
  });
  return urls;
}
