/**
 * What a page's look depends on: its stylesheets (linked, inline and adopted, in same-origin
 * frames too) and, in `all` mode, the images its elements show. Blocked elements (rrweb's
 * `rr-block` class or the block selector) are never looked into.
 */

/** What is captured: stylesheets and what they use, or also the images elements show. */
export type CaptureMode = 'styles' | 'all';

/** Where the page's assets are: stylesheet URLs, CSS text with the URL it is relative to, images. */
export interface PageAssetUrls {
  stylesheets: string[];
  css: Array<{ text: string; base: string }>;
  images: string[];
}

function absolute(url: string, base: string): string | null {
  try {
    const parsed = new URL(url, base);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    parsed.hash = '';
    return parsed.href;
  } catch {
    return null;
  }
}

function sheetText(sheet: CSSStyleSheet): string | null {
  try {
    return Array.from(sheet.cssRules, (rule) => rule.cssText).join('\n');
  } catch {
    // A cross-origin sheet without CORS: its rules cannot be read, its URL is captured instead.
    return null;
  }
}

/** Collects the asset URLs of `doc` and its same-origin frames. */
export function pageAssetUrls(doc: Document, mode: CaptureMode, blockSelector: string | undefined): PageAssetUrls {
  const out: PageAssetUrls = { stylesheets: [], css: [], images: [] };
  const blocked = (node: Node | null): boolean => {
    const element = node instanceof Element ? node : node?.parentElement;
    if (!element) return false;
    try {
      return element.closest(blockSelector ? `.rr-block, ${blockSelector}` : '.rr-block') !== null;
    } catch {
      return element.closest('.rr-block') !== null;
    }
  };
  const visit = (d: Document) => {
    const base = d.baseURI;
    const sheets = [...Array.from(d.styleSheets), ...(d.adoptedStyleSheets ?? [])];
    for (const sheet of sheets) {
      if (blocked(sheet.ownerNode)) continue;
      const href = sheet.href && absolute(sheet.href, base);
      if (href) out.stylesheets.push(href);
      else {
        const text = sheetText(sheet);
        if (text) out.css.push({ text, base });
      }
    }
    // A stylesheet still loading has no sheet yet, and its insertion may have come before the
    // capture loaded: taken by its URL now, as no event will tell when it has loaded.
    for (const link of Array.from(d.querySelectorAll<HTMLLinkElement>('link[rel~="stylesheet"][href]'))) {
      const href = !link.sheet && !blocked(link) && absolute(link.href, base);
      if (href) out.stylesheets.push(href);
    }
    if (mode === 'all') {
      // An <img>'s currentSrc is the srcset or <picture> candidate the browser chose: the replay,
      // at the recorded size, chooses it again (the player drops the candidates not captured).
      for (const element of Array.from(d.querySelectorAll('img, video[poster], use, [style*="url("]'))) {
        if (blocked(element)) continue;
        const urls: string[] = [];
        if (element instanceof HTMLImageElement) urls.push(element.currentSrc, element.src);
        else if (element instanceof HTMLVideoElement) urls.push(element.poster);
        else if (element instanceof SVGUseElement) urls.push(element.href.baseVal);
        const style = element.getAttribute('style');
        if (style?.includes('url(')) out.css.push({ text: style, base });
        for (const url of urls) {
          const resolved = url && !url.startsWith('#') ? absolute(url, base) : null;
          if (resolved) out.images.push(resolved);
        }
      }
    }
    for (const frame of Array.from(d.querySelectorAll('iframe'))) {
      if (blocked(frame)) continue;
      try {
        if (frame.contentDocument) visit(frame.contentDocument);
      } catch {
        // A cross-origin frame: rrweb does not record it either.
      }
    }
  };
  visit(doc);
  return { stylesheets: [...new Set(out.stylesheets)], css: out.css, images: [...new Set(out.images)] };
}
