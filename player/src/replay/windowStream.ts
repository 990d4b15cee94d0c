/**
 * The stream assembler: reads a session's event stream and sorts its chunks into one growing
 * list of events per browser window (tab), as they arrive.
 */
import { EventType, type eventWithTime } from '@rrweb/types';
import type { EventChunk } from '../../../shared/api';
import type { ChunkHeader } from '../../../shared/chunkFrames';
import { eventFact } from '../../../shared/eventFacts';
import { streamEvents } from '../api';
import { createAssetRewriter, type AssetUrl } from './capturedAssets';

/** One window's recording so far. */
export interface ReplayWindow {
  id: string;
  /** 0 for the window whose events came first. */
  index: number;
  /** Appended to as chunks arrive. */
  events: eventWithTime[];
  /** The page the window's first chunk opened on, if it says. */
  firstUrl: string | null;
}

/** What the assembler tells as the stream arrives. */
export interface WindowStreamHandlers {
  /** A window's first events arrived (already in `w.events`); `onEvents` follows. */
  onWindow(w: ReplayWindow): void;
  /** `events` were appended to `w.events`. */
  onEvents(w: ReplayWindow, events: eventWithTime[]): void;
  /** Captured copies of assets already drawn became known: what is drawn should be drawn again. */
  onAssets(): void;
  /** A stored chunk could not be read (corrupt): the replay goes on without it. */
  onUnreadable(chunk: ChunkHeader): void;
}

/**
 * Streams session `id` (from the read API unless `read` says otherwise) into windows, captured
 * copies at `assetUrl(hash)` (this server's by default); resolves with them all when the stream ends.
 */
export async function streamWindows(
  id: string,
  handlers: WindowStreamHandlers,
  read: typeof streamEvents = streamEvents,
  assetUrl?: AssetUrl,
): Promise<ReplayWindow[]> {
  const windows: ReplayWindow[] = [];
  const assets = createAssetRewriter(assetUrl);
  const onChunk = (chunk: EventChunk): void => {
    // The API types events loosely; they are rrweb's own events as the recorder emitted them.
    const events = chunk.events as eventWithTime[];
    // A map may arrive after the snapshot it concerns (the recorder captures once the page loaded).
    const learned = assets.learn(events);
    assets.rewrite(learned ? [...windows.flatMap((other) => other.events), ...events] : events);
    let w = windows.find((candidate) => candidate.id === chunk.windowId);
    if (!w) {
      w = { id: chunk.windowId, index: windows.length, events: [...events], firstUrl: firstPageUrl(events) };
      windows.push(w);
      handlers.onWindow(w);
    } else {
      w.events.push(...events);
    }
    handlers.onEvents(w, events);
    if (learned) handlers.onAssets();
  };
  await read(id, onChunk, handlers.onUnreadable);
  return windows;
}

/** The page of the first page load among `events`. */
function firstPageUrl(events: readonly eventWithTime[]): string | null {
  const meta = events.find((e) => e.type === EventType.Meta);
  const fact = meta ? eventFact(meta) : null;
  return fact?.kind === 'pageView' ? fact.url : null;
}

/** Whether rrweb can draw these events: it draws nothing before a Meta event and a full snapshot. */
export function replayable(events: readonly eventWithTime[]): boolean {
  const meta = events.some((e) => e.type === EventType.Meta);
  return meta && events.some((e) => e.type === EventType.FullSnapshot);
}
