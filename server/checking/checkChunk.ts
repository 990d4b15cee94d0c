/**
 * The check of one chunk stored from an envelope, whose events the server did not read at
 * ingest: it must inflate, within the inflate limit, to a batch of events whose count and first
 * and last times are what its client's summary claimed. Self-contained (zlib and the relative
 * ids' decoder are passed in), as it runs in a worker thread of its own source (chunkChecker.ts).
 */
import type { gunzipSync } from 'node:zlib';
import type { decodeRelativeIds } from '../../shared/relativeIds';
import type { ChunkToCheck, ChunkVerdict } from '../storage/storage';

/** What `chunk`'s events turn out to be. */
export function checkChunk(
  zlib: { gunzipSync: typeof gunzipSync },
  decode: typeof decodeRelativeIds,
  chunk: Pick<ChunkToCheck, 'data' | 'eventCount' | 'firstTs' | 'lastTs'>,
  maxInflatedBytes: number,
): ChunkVerdict {
  let batch: { events?: unknown } | null;
  try {
    const text = zlib.gunzipSync(chunk.data, { maxOutputLength: maxInflatedBytes }).toString('utf8');
    batch = JSON.parse(decode(text, maxInflatedBytes)) as { events?: unknown } | null;
  } catch {
    return 'corrupt';
  }
  const events = batch?.events;
  if (!Array.isArray(events) || events.length === 0) return 'corrupt';
  let first = Infinity;
  let last = -Infinity;
  for (const event of events as { timestamp?: unknown }[]) {
    const at = event?.timestamp;
    if (typeof at !== 'number') return 'corrupt';
    first = Math.min(first, at);
    last = Math.max(last, at);
  }
  return events.length === chunk.eventCount && first === chunk.firstTs && last === chunk.lastTs ? 'ok' : 'lying';
}
