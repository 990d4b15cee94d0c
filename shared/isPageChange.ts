/**
 * Which recorded events show the page changed, for the dead-click rule (shared/signals.ts).
 * Apart from the rules so the snippet reads it from rrweb's events without loading them.
 */
import { EventType, IncrementalSource } from '@rrweb/types';
import { CUSTOM_EVENT } from './constants';
import type { WireEvent } from './wire';

/** Incremental snapshots that show the page changed: the DOM, a scroll, a field's value or a checkbox. */
const CHANGES: readonly number[] = [IncrementalSource.Mutation, IncrementalSource.Scroll, IncrementalSource.Input];

/**
 * Whether a recorded event shows the page changed, so the clicks before it are not dead: a DOM
 * change, scroll or input rrweb saw, or a navigation (a page load or an SPA `$pageview`).
 */
export function isPageChange(event: WireEvent): boolean {
  const data = event.data as { source?: number; tag?: unknown } | undefined;
  if (event.type === EventType.IncrementalSnapshot) return CHANGES.includes(data?.source as number);
  return event.type === EventType.Meta || (event.type === EventType.Custom && data?.tag === CUSTOM_EVENT.pageview);
}
