/**
 * A replay's data inside an exported HTML file: the summary as JSON, and each stored chunk as
 * the server keeps it (the recorder's gzipped batch), base64 in a data block, inflated here:
 * nothing reaches the network.
 */
import { Gunzip } from 'fflate';
import type { EventChunk, SessionSummary } from '../../../shared/api';
import type { ReplaySource } from '../replay/replayPage';

/** The element ids and script types the server writes (server/export/replayHtml.ts). */
export const SUMMARY_ID = 'replay-session';
export const CHUNK_TYPE = 'application/x-replay-chunk';

/**
 * The recorder sends each batch as two gzip members (recorder/batchBody.ts); the browser's
 * DecompressionStream stops after the first ("junk after end of compressed data"), fflate's
 * streaming Gunzip reads them all.
 */
function gunzipJson(base64: string): unknown {
  const parts: Uint8Array[] = [];
  const gunzip = new Gunzip((part) => parts.push(part));
  gunzip.push(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)), true);
  const decoder = new TextDecoder();
  return JSON.parse(parts.map((part, i) => decoder.decode(part, { stream: i < parts.length - 1 })).join(''));
}

/** The summary embedded in `doc`. */
export function embeddedSummary(doc: Document): SessionSummary {
  const text = doc.getElementById(SUMMARY_ID)?.textContent;
  if (!text) throw new Error('this file holds no recording');
  return JSON.parse(text) as SessionSummary;
}

/** Reads the summary and the chunks embedded in `doc`, in the order the server wrote them. */
export function embeddedSource(doc: Document): ReplaySource {
  return {
    fetchSession: async () => embeddedSummary(doc),
    streamEvents: async (_id, onChunk) => {
      for (const script of doc.querySelectorAll<HTMLScriptElement>(`script[type="${CHUNK_TYPE}"]`)) {
        const batch = gunzipJson(script.text) as { events: EventChunk['events'] };
        onChunk({ windowId: script.dataset.window ?? '', seq: Number(script.dataset.seq), events: batch.events });
      }
    },
  };
}
