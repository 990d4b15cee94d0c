import { describe, expect, it } from 'vitest';
import { storedAssetType } from '../../shared/capturedAssets';
import { cssUrls, rewriteCssUrls } from '../../shared/cssUrls';

describe('cssUrls / rewriteCssUrls', () => {
  const css = `@import "a.css"; @import 'b.css' screen; @import url(c.css);
.x { background: url(img/x.png), url( "y.png" ) , url('z.png'); }
.d { background: url(data:image/png;base64,AAAA) } .f { filter: url(#blur) }`;

  it('finds every url() and @import string, skipping data: and fragment-only references', () => {
    expect(cssUrls(css)).toEqual(['a.css', 'b.css', 'c.css', 'img/x.png', 'y.png', 'z.png']);
  });

  it('rewrites what the callback maps, quoted, and leaves the rest as written', () => {
    const out = rewriteCssUrls(css, (url) => (url.endsWith('.png') || url === 'a.css' ? `H(${url})` : undefined));
    expect(out).toContain('@import "H(a.css)"; @import \'b.css\' screen; @import url(c.css);');
    expect(out).toContain('url("H(img/x.png)"), url("H(y.png)") , url("H(z.png)")');
    expect(out).toContain('url(data:image/png;base64,AAAA)');
  });
});

describe('storedAssetType', () => {
  it.each([
    ['text/css; charset=utf-8', 'https://a.test/x', 'text/css'],
    ['application/font-woff', 'https://a.test/x', 'font/woff'],
    ['application/octet-stream', 'https://a.test/f.woff2?v=3', 'font/woff2'],
    [null, 'https://a.test/logo.svg', 'image/svg+xml'],
    ['text/html', 'https://a.test/x.css', null],
    ['text/javascript', 'https://a.test/x.png', null],
    ['application/octet-stream', 'https://a.test/x.exe', null],
  ])('%s at %s → %s', (type, url, expected) => {
    expect(storedAssetType(type, url)).toBe(expected);
  });
});
