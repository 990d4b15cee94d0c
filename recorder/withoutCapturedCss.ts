/**
 * A batch's events without the CSS text of the stylesheet links its full snapshots inline, where
 * the batch's own `$assets` events map the link's address to a captured copy (stored on the
 * server before the map is recorded). The player points that address at the copy, so the replay
 * loads the same stylesheet from the server rather than from the snapshot, and the batch is
 * lighter by the whole stylesheet (about 2 KB gzip on TodoMVC). Only the batch's own maps count,
 * so each stored chunk replays alone whatever became of the others; older recordings, and links
 * whose address no map of the batch names, keep their text.
 */
import { assetMapIn } from '../shared/capturedAssets';
import { CUSTOM_EVENT } from '../shared/constants';

/** How the JSON of a full snapshot starts (rrweb's EventType.FullSnapshot is 2). */
export const FULL_SNAPSHOT_HEAD = '{"type":2,';
const ASSETS_HEAD = `{"type":5,"data":{"tag":${JSON.stringify(CUSTOM_EVENT.assets)},`;

/** Past the closing quote of the JSON string whose text starts at `from`; -1 when it has none. */
function stringEnd(json: string, from: number): number {
  for (let quote = json.indexOf('"', from); quote >= 0; quote = json.indexOf('"', quote + 1)) {
    let slashes = 0;
    while (json[quote - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 0) return quote + 1;
  }
  return -1;
}

/** `json` without the `,"_cssText":"…"` right after each `"href":<url>` (where keepStylesheetAddresses put it). */
function withoutCssOf(json: string, url: string): string {
  const address = `"href":${JSON.stringify(url)}`;
  const key = `${address},"_cssText":"`;
  for (let at = json.indexOf(key); at >= 0; at = json.indexOf(key, at + 1)) {
    const end = stringEnd(json, at + key.length);
    if (end < 0) break;
    json = `${json.slice(0, at)}${address}${json.slice(end)}`;
  }
  return json;
}

/**
 * `eventsJson` (one batch's serialised events) with the CSS text its `$assets` maps make redundant
 * left out. It cannot throw: what it parses was written by JSON.stringify.
 */
export function withoutCapturedCss(eventsJson: readonly string[]): readonly string[] {
  const urls = eventsJson
    .filter((json) => json.startsWith(ASSETS_HEAD))
    .flatMap((json) => Object.keys(assetMapIn((JSON.parse(json) as { data: { payload: unknown } }).data.payload) ?? {}));
  if (urls.length === 0) return eventsJson;
  return eventsJson.map((json) => (json.startsWith(FULL_SNAPSHOT_HEAD) ? urls.reduce(withoutCssOf, json) : json));
}
