/** The captured assets a batch's recording references: the hashes of its `$assets` events. */
import { assetMapIn } from '../../shared/capturedAssets';
import { CUSTOM_EVENT } from '../../shared/constants';

/** rrweb's EventType.Custom. */
const CUSTOM = 5;

/** Every asset hash the `$assets` events among `events` name. */
export function assetHashesInEvents(events: ReadonlyArray<{ type: number; data?: unknown }>): string[] {
  const hashes = new Set<string>();
  for (const event of events) {
    const data = event.data as { tag?: unknown; payload?: unknown } | undefined;
    if (event.type !== CUSTOM || data?.tag !== CUSTOM_EVENT.assets) continue;
    for (const hash of Object.values(assetMapIn(data.payload) ?? {})) hashes.add(hash);
  }
  return [...hashes];
}
