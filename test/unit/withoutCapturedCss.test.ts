/**
 * A full snapshot's inline stylesheet text is left out of a batch only where the batch's own
 * `$assets` map names a stored copy of that link's address; everything else stays as written.
 */
import { describe, expect, it } from 'vitest';
import { CUSTOM_EVENT } from '../../shared/constants';
import { withoutCapturedCss } from '../../recorder/withoutCapturedCss';

const T0 = 1_790_000_000_000;
const HASH = 'a'.repeat(64);
const SITE_CSS = 'https://shop.test/site.css';
const OTHER_CSS = 'https://shop.test/other.css';
// Quotes and backslashes inside the text: its end is the first unescaped quote.
const CSS = '.a::before { content: "\\"x\\\\"; } .b { color: red; }';

/** A link as rrweb writes it once keepStylesheetAddresses put its rel and address back. */
const link = (href: string, id: number) => ({ type: 2, tagName: 'link', attributes: { media: 'all', rel: 'stylesheet', href, _cssText: CSS }, childNodes: [], id });

const snapshot = JSON.stringify({
  type: 2,
  data: { node: { type: 0, childNodes: [link(SITE_CSS, 3), link(OTHER_CSS, 4), { type: 2, tagName: 'div', attributes: { class: 'x' }, childNodes: [], id: 5 }], id: 1 } },
  timestamp: T0,
});
const assets = (map: Record<string, string>) => JSON.stringify({ type: 5, data: { tag: CUSTOM_EVENT.assets, payload: { assets: map } }, timestamp: T0 + 900 });
const click = JSON.stringify({ type: 3, data: { source: 2, type: 2, id: 5, x: 1, y: 2 }, timestamp: T0 + 1_000 });

const linksOf = (json: string) => (JSON.parse(json) as { data: { node: { childNodes: Array<{ attributes: Record<string, string> }> } } }).data.node.childNodes.slice(0, 2).map((n) => n.attributes);

describe('withoutCapturedCss', () => {
  it('leaves out the text of a link the batch maps to a captured copy, and keeps the rest of the snapshot as it was', () => {
    const [trimmed, ...rest] = withoutCapturedCss([snapshot, assets({ [SITE_CSS]: HASH }), click]);
    expect(linksOf(trimmed)).toEqual([
      { media: 'all', rel: 'stylesheet', href: SITE_CSS },
      { media: 'all', rel: 'stylesheet', href: OTHER_CSS, _cssText: CSS },
    ]);
    expect(JSON.parse(trimmed).data.node.childNodes[2]).toEqual(JSON.parse(snapshot).data.node.childNodes[2]);
    expect(rest).toEqual([assets({ [SITE_CSS]: HASH }), click]);
  });

  it('keeps the text when the batch holds no map of that address, or the map names no valid hash', () => {
    expect(withoutCapturedCss([snapshot, click])).toEqual([snapshot, click]);
    expect(withoutCapturedCss([snapshot, assets({ 'https://shop.test/site.css?v=2': HASH })])[0]).toBe(snapshot);
    expect(withoutCapturedCss([snapshot, assets({ [SITE_CSS]: 'not-a-hash' })])[0]).toBe(snapshot);
  });

  it('reads links as older snippets wrote them (text, no address) as they are', () => {
    const older = snapshot.replaceAll(`"rel":"stylesheet","href":${JSON.stringify(SITE_CSS)},`, '');
    expect(withoutCapturedCss([older, assets({ [SITE_CSS]: HASH })])[0]).toBe(older);
  });
});
