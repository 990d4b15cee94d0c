import type { EventChunk, SessionPage, SessionSort, SessionStats, SessionSummary, StatsBuckets } from '../../shared/api';
import { Gunzip } from 'fflate';
import { CHUNK_FRAMES_TYPE, ChunkFrameReader, type ChunkFrame, type ChunkHeader } from '../../shared/chunkFrames';
import { decodeRelativeIds } from '../../shared/relativeIds';

/** Page size of the sessions table. */
export const SESSIONS_PAGE_SIZE = 50;

/** The read API answered 401: the viewer has to sign in first. */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/** Turns a non-2xx answer into an Error carrying the server's `{ error: { message } }`. */
export async function toError(res: Response): Promise<Error> {
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON (a proxy's HTML page, say): the status line is all there is.
  }
  return res.status === 401 ? new AuthError(message) : new Error(message);
}

async function request(url: string, signal?: AbortSignal, accept = 'application/json'): Promise<Response> {
  const res = await fetch(url, { signal, headers: { Accept: accept } });
  if (!res.ok) throw await toError(res);
  return res;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}

/** One page of sessions matching `filters` in the given order; `cursor` continues a listing. */
export function fetchSessions(
  filters: URLSearchParams,
  sort: { sort: SessionSort; order: 'asc' | 'desc' },
  cursor: string | null,
  signal?: AbortSignal,
): Promise<SessionPage> {
  const query = new URLSearchParams(filters);
  query.set('sort', sort.sort);
  query.set('order', sort.order);
  query.set('limit', String(SESSIONS_PAGE_SIZE));
  if (cursor) query.set('cursor', cursor);
  return getJson<SessionPage>(`/api/sessions?${query}`, signal);
}

/** Whether the server holds any session at all, whatever the filters. */
export async function hasAnySession(signal?: AbortSignal): Promise<boolean> {
  return (await getJson<SessionPage>('/api/sessions?limit=1', signal)).total > 0;
}

/** Statistics of the sessions matching `filters`, days counted in the viewer's time zone. */
export function fetchStats(filters: URLSearchParams, buckets: StatsBuckets, signal?: AbortSignal): Promise<SessionStats> {
  const query = new URLSearchParams(filters);
  query.set('buckets', buckets);
  query.set('tz', Intl.DateTimeFormat().resolvedOptions().timeZone);
  return getJson<SessionStats>(`/api/stats?${query}`, signal);
}

/** One session's summary. */
export function fetchSession(id: string): Promise<SessionSummary> {
  return getJson<SessionSummary>(`/api/sessions/${encodeURIComponent(id)}`);
}

/**
 * Reads a session's chunks as the server stored them (gzip, see shared/chunkFrames.ts) and
 * inflates each here, handing it to `onChunk` as soon as it is whole, so the replay can start
 * before a long recording has arrived. A chunk that does not decode to a batch of events is
 * handed to `onUnreadable` instead, and the stream goes on.
 */
export async function streamEvents(
  id: string,
  onChunk: (chunk: EventChunk) => void,
  onUnreadable: (chunk: ChunkHeader) => void,
): Promise<void> {
  const res = await request(`/api/sessions/${encodeURIComponent(id)}/events`, undefined, CHUNK_FRAMES_TYPE);
  if (!res.body) return;
  const frames = new ChunkFrameReader();
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const frame of frames.push(value)) {
      const chunk = frame.header.marked ? null : decodeChunk(frame);
      if (chunk) onChunk(chunk);
      else onUnreadable(frame.header);
    }
  }
  if (!frames.complete) throw new Error('the recording stream ended in the middle of a chunk');
}

/**
 * Most bytes a chunk may inflate to, as the server's own inflate limit: a chunk that claims
 * more is a bomb or broken, not a recording.
 */
const MAX_INFLATED_BYTES = 32 * 1024 * 1024;

/**
 * The chunk's events, inflated in the browser, their relative ids made absolute
 * (shared/relativeIds.ts); null when they are not a batch of events. With
 * fflate's streaming Gunzip: a recorder's batch is two gzip members (head, then events), and
 * the browsers' DecompressionStream stops after the first.
 */
export function decodeChunk({ header, data }: ChunkFrame): EventChunk | null {
  try {
    const decoder = new TextDecoder();
    let text = '';
    let inflated = 0;
    new Gunzip((part, final) => {
      inflated += part.length;
      if (inflated > MAX_INFLATED_BYTES) throw new RangeError('chunk inflates past the limit');
      text += decoder.decode(part, { stream: !final });
    }).push(data, true);
    const { events } = JSON.parse(decodeRelativeIds(text, MAX_INFLATED_BYTES)) as { events?: unknown };
    if (!Array.isArray(events)) return null;
    return { windowId: header.windowId, seq: header.seq, events: events as EventChunk['events'] };
  } catch {
    return null;
  }
}
