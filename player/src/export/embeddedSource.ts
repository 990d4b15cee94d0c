/**
 * A replay's data inside an exported HTML file: the summary as JSON, and each stored chunk as
 * the server keeps it (the recorder's gzipped batch), base64 in a data block, inflated here as
 * the player inflates what the server streams: nothing reaches the network.
 */
import type { SessionSummary } from '../../../shared/api';
import type { ChunkHeader } from '../../../shared/chunkFrames';
import { decodeChunk } from '../api';
import type { ReplaySource } from '../replay/replayPage';
import { embeddedAssetUrls } from './embeddedAssets';

/** The element id and script type the server writes (server/export/replayHtml.ts). */
const SUMMARY_ID = 'replay-session';
const CHUNK_TYPE = 'application/x-replay-chunk';

/** The summary embedded in `doc`. */
export function embeddedSummary(doc: Document): SessionSummary {
  const text = doc.getElementById(SUMMARY_ID)?.textContent;
  if (!text) throw new Error('this file holds no recording');
  return JSON.parse(text) as SessionSummary;
}

/** Reads the summary, the chunks (in the order the server wrote them) and the captured assets embedded in `doc`. */
export function embeddedSource(doc: Document): ReplaySource {
  return {
    fetchSession: async () => embeddedSummary(doc),
    assetUrl: embeddedAssetUrls(doc),
    streamEvents: async (_id, onChunk, onUnreadable) => {
      for (const script of doc.querySelectorAll<HTMLScriptElement>(`script[type="${CHUNK_TYPE}"]`)) {
        const data = Uint8Array.from(atob(script.text), (c) => c.charCodeAt(0));
        const marked = script.dataset.marked as ChunkHeader['marked'];
        const header: ChunkHeader = { windowId: script.dataset.window ?? '', seq: Number(script.dataset.seq), bytes: data.length, marked };
        const chunk = marked ? null : decodeChunk({ header, data });
        if (chunk) onChunk(chunk);
        else onUnreadable(header);
      }
    },
  };
}
