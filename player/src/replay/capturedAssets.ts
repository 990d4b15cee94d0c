/**
 * Replays that last: recorded URLs pointed at the copies the recorder captured (`$assets`
 * events map each URL to a content hash served by /api/assets/<hash>), in the events
 * themselves before rrweb rebuilds from them: full snapshots, added nodes, attributes, style
 * text, stylesheet rules. What was not captured keeps its original URL.
 */
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import { assetMapIn } from '../../../shared/capturedAssets';
import { CUSTOM_EVENT } from '../../../shared/constants';
import { rewriteCssUrls } from '../../../shared/cssUrls';

/** Learns url → hash maps and rewrites events with them. */
export interface AssetRewriter {
  /** Takes in the maps of the `$assets` events among `events`; true when one named a URL not known yet. */
  learn(events: readonly eventWithTime[]): boolean;
  /** Points the recorded URLs in `events` at captured copies, in place (again is harmless). */
  rewrite(events: readonly eventWithTime[]): void;
}

/** Attributes holding one URL. */
const URL_ATTRIBUTES = new Set(['src', 'href', 'poster', 'xlink:href', 'background']);
/** Attributes holding CSS. */
const CSS_ATTRIBUTES = new Set(['style', '_cssText']);

interface SerializedNode {
  type: number;
  attributes?: Record<string, unknown>;
  childNodes?: SerializedNode[];
  textContent?: string;
  isStyle?: boolean;
}

/** Where this server serves the captured copy named `hash`. */
export const serverAssetUrl = (hash: string): string => new URL(`/api/assets/${hash}`, location.href).href;

/** Where the captured copy named `hash` is; undefined leaves the recorded URL as it was. */
export type AssetUrl = (hash: string) => string | undefined;

/** A rewriter pointing recorded URLs at `assetUrl(hash)` (this server's copies by default; an export's own). */
export function createAssetRewriter(assetUrl: AssetUrl = serverAssetUrl): AssetRewriter {
  const hashes = new Map<string, string>();

  const copyOf = (url: string): string | undefined => {
    try {
      const parsed = new URL(url);
      const fragment = parsed.hash;
      parsed.hash = '';
      const hash = hashes.get(parsed.href);
      const copy = hash && assetUrl(hash);
      return copy ? `${copy}${fragment}` : undefined;
    } catch {
      return undefined;
    }
  };
  const css = (text: string) => rewriteCssUrls(text, copyOf);
  // The replay browser picks a srcset candidate by its own screen: with any captured, only those stay.
  const srcset = (value: string) => {
    const candidates = value.split(/,\s+/).map((candidate) => candidate.trim().split(/\s+/));
    const captured = candidates.filter(([url]) => copyOf(url)).map(([url, ...size]) => [copyOf(url), ...size].join(' '));
    return captured.length > 0 ? captured.join(', ') : value;
  };
  const attribute = (name: string, value: unknown): unknown => {
    if (typeof value === 'string') {
      if (URL_ATTRIBUTES.has(name)) return copyOf(value) ?? value;
      if (CSS_ATTRIBUTES.has(name)) return css(value);
      if (name === 'srcset') return srcset(value);
      return value;
    }
    // A style attribute mutation: { property: value | [value, priority] | false }.
    if (name === 'style' && value && typeof value === 'object') {
      for (const [property, declared] of Object.entries(value)) {
        if (typeof declared === 'string') (value as Record<string, unknown>)[property] = css(declared);
        else if (Array.isArray(declared) && typeof declared[0] === 'string') declared[0] = css(declared[0]);
      }
    }
    return value;
  };
  const attributes = (attrs: Record<string, unknown> | undefined) => {
    for (const [name, value] of Object.entries(attrs ?? {})) attrs![name] = attribute(name, value);
  };
  const node = (n: SerializedNode) => {
    attributes(n.attributes);
    if (n.isStyle && typeof n.textContent === 'string') n.textContent = css(n.textContent);
    n.childNodes?.forEach(node);
  };
  const rules = (list: Array<{ rule?: unknown }> | undefined) => {
    for (const item of list ?? []) if (typeof item.rule === 'string') item.rule = css(item.rule);
  };

  const event = (e: eventWithTime) => {
    if (e.type === EventType.FullSnapshot) return node(e.data.node as SerializedNode);
    if (e.type !== EventType.IncrementalSnapshot) return;
    const data = e.data as unknown as Record<string, any>;
    switch (data.source) {
      case IncrementalSource.Mutation:
        for (const add of data.adds ?? []) node(add.node);
        for (const change of data.attributes ?? []) attributes(change.attributes);
        for (const text of data.texts ?? []) if (typeof text.value === 'string') text.value = css(text.value);
        return;
      case IncrementalSource.StyleSheetRule:
        rules(data.adds);
        if (typeof data.replace === 'string') data.replace = css(data.replace);
        if (typeof data.replaceSync === 'string') data.replaceSync = css(data.replaceSync);
        return;
      case IncrementalSource.StyleDeclaration:
        if (typeof data.set?.value === 'string') data.set.value = css(data.set.value);
        return;
      case IncrementalSource.AdoptedStyleSheet:
        for (const style of data.styles ?? []) rules(style.rules);
        return;
    }
  };

  return {
    learn(events) {
      let learned = false;
      for (const e of events) {
        if (e.type !== EventType.Custom || e.data.tag !== CUSTOM_EVENT.assets) continue;
        for (const [url, hash] of Object.entries(assetMapIn(e.data.payload) ?? {})) {
          // The first capture of a URL is the one the page showed at first.
          if (hashes.has(url)) continue;
          hashes.set(url, hash);
          learned = true;
        }
      }
      return learned;
    },
    rewrite(events) {
      if (hashes.size > 0) events.forEach(event);
    },
  };
}
