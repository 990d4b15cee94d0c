/**
 * A replay's data inside an exported HTML file: the summary as JSON, and each stored chunk as
 * the server keeps it (the recorder's gzipped batch), base64 in a data block. Decoded here with
 * the browser's DecompressionStream: nothing reaches the network.
 */
import type { EventChunk, SessionSummary } from '../../../shared/api';
import type { ReplaySource } from '../replayPage';

/** The element ids and script types the server writes (server/export/replayHtml.ts). */
export const SUMMARY_ID = 'replay-session';
export const CHUNK_TYPE = 'application/x-replay-chunk';

async function gunzipJson(base64: string): Promise<unknown> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(inflated).text());
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
        const batch = (await gunzipJson(script.text)) as { events: EventChunk['events'] };
        onChunk({ windowId: script.dataset.window ?? '', seq: Number(script.dataset.seq), events: batch.events });
      }
    },
  };
}
