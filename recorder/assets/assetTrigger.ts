/**
 * Which recorded events call for the capture: a full snapshot (a new session, whose recording
 * needs the map again), or a navigation inside the page or inserted stylesheets (and images,
 * with `all`), which call for a new look once they settle.
 */
import type { eventWithTime } from '@rrweb/types';

// rrweb's EventType and IncrementalSource values, spelled here as the numbers they are.
const FULL_SNAPSHOT = 2;
const INCREMENTAL_SNAPSHOT = 3;
const CUSTOM = 5;
const MUTATION = 0;

/** Elements whose insertion may bring assets: stylesheets always, what shows images with `all`. */
const STYLE_TAGS = new Set(['link', 'style']);
const IMAGE_TAGS = new Set(['img', 'picture', 'source', 'video', 'use']);

/** `snapshot`, `look` or null for `event`; `pageviewTag` names page-view custom events. */
export function assetTrigger(event: eventWithTime, images: boolean, pageviewTag: string): 'snapshot' | 'look' | null {
  if (event.type === FULL_SNAPSHOT) return 'snapshot';
  if (event.type === CUSTOM) return (event.data as { tag?: string }).tag === pageviewTag ? 'look' : null;
  if (event.type !== INCREMENTAL_SNAPSHOT) return null;
  const data = event.data as { source: number; adds?: Array<{ node: { tagName?: string } }> };
  if (data.source !== MUTATION) return null;
  const adds = data.adds ?? [];
  return adds.some(({ node }) => node.tagName !== undefined && (STYLE_TAGS.has(node.tagName) || (images && IMAGE_TAGS.has(node.tagName)))) ? 'look' : null;
}
