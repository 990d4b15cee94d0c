import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { createAssetRewriter } from '../../../player/src/replay/capturedAssets';
import { CUSTOM_EVENT } from '../../../shared/constants';

const BASE = 'https://replay.test/api/assets/';
const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);
const H3 = '3'.repeat(64);

const map = (assets: Record<string, string>) =>
  ({ type: EventType.Custom, timestamp: 3, data: { tag: CUSTOM_EVENT.assets, payload: { assets } } }) as eventWithTime;

function snapshot(): eventWithTime {
  return {
    type: EventType.FullSnapshot,
    timestamp: 1,
    data: {
      initialOffset: { top: 0, left: 0 },
      node: {
        type: 0,
        id: 1,
        childNodes: [
          { type: 2, id: 2, tagName: 'link', attributes: { rel: 'stylesheet', href: 'https://site.test/a.css' }, childNodes: [] },
          { type: 2, id: 3, tagName: 'link', attributes: { _cssText: '.x{background:url("https://site.test/bg.png")}' }, childNodes: [] },
          {
            type: 2,
            id: 4,
            tagName: 'style',
            attributes: {},
            childNodes: [{ type: 3, id: 5, textContent: '@font-face{src:url(https://site.test/f.woff2#iefix)}', isStyle: true }],
          },
          { type: 2, id: 6, tagName: 'img', attributes: { src: 'https://site.test/bg.png', srcset: 'https://site.test/bg.png 1x, https://site.test/big.png 2x' }, childNodes: [] },
          { type: 2, id: 7, tagName: 'img', attributes: { src: 'https://elsewhere.test/kept.png', style: 'background: url(https://site.test/bg.png)' }, childNodes: [] },
        ],
      },
    },
  } as unknown as eventWithTime;
}

describe('createAssetRewriter', () => {
  it('points captured URLs in a full snapshot at the copies, fragments kept, and leaves the rest', () => {
    const rewriter = createAssetRewriter((hash) => `${BASE}${hash}`);
    const events = [snapshot(), map({ 'https://site.test/a.css': H1, 'https://site.test/bg.png': H2, 'https://site.test/f.woff2': H3 })];
    expect(rewriter.learn(events)).toBe(true);
    rewriter.rewrite(events);
    const [link, inlined, style, img, other] = (events[0].data as any).node.childNodes;
    expect(link.attributes.href).toBe(`${BASE}${H1}`);
    expect(inlined.attributes._cssText).toBe(`.x{background:url("${BASE}${H2}")}`);
    expect(style.childNodes[0].textContent).toBe(`@font-face{src:url("${BASE}${H3}#iefix")}`);
    expect(img.attributes).toMatchObject({ src: `${BASE}${H2}`, srcset: `${BASE}${H2} 1x` });
    expect(other.attributes).toEqual({ src: 'https://elsewhere.test/kept.png', style: `background: url("${BASE}${H2}")` });
    expect(rewriter.learn(events)).toBe(false);
  });

  it('rewrites added nodes, attribute and style changes, and stylesheet rules', () => {
    const rewriter = createAssetRewriter((hash) => `${BASE}${hash}`);
    rewriter.learn([map({ 'https://site.test/bg.png': H2 })]);
    const mutation = {
      type: EventType.IncrementalSnapshot,
      timestamp: 5,
      data: {
        source: IncrementalSource.Mutation,
        adds: [{ parentId: 1, nextId: null, node: { type: 2, id: 9, tagName: 'img', attributes: { src: 'https://site.test/bg.png' }, childNodes: [] } }],
        attributes: [
          { id: 6, attributes: { poster: 'https://site.test/bg.png' } },
          { id: 7, attributes: { style: { background: 'url(https://site.test/bg.png)', color: false } } },
        ],
        texts: [],
        removes: [],
      },
    } as unknown as eventWithTime;
    const rule = {
      type: EventType.IncrementalSnapshot,
      timestamp: 6,
      data: { source: IncrementalSource.StyleSheetRule, id: 4, adds: [{ rule: '.y{background:url(https://site.test/bg.png)}' }] },
    } as unknown as eventWithTime;
    rewriter.rewrite([mutation, rule]);
    const data = mutation.data as any;
    expect(data.adds[0].node.attributes.src).toBe(`${BASE}${H2}`);
    expect(data.attributes[0].attributes.poster).toBe(`${BASE}${H2}`);
    expect(data.attributes[1].attributes.style).toEqual({ background: `url("${BASE}${H2}")`, color: false });
    expect((rule.data as any).adds[0].rule).toBe(`.y{background:url("${BASE}${H2}")}`);
  });

  it('ignores maps naming anything but SHA-256 hashes', () => {
    const rewriter = createAssetRewriter((hash) => `${BASE}${hash}`);
    expect(rewriter.learn([map({ 'https://site.test/a.css': '../../etc/passwd' })])).toBe(false);
  });
});
